// `nianbao parse` as a user runs it: files, a directory and a URL served on
// 127.0.0.1; JSON lines out; one unreadable document named on stderr without
// stopping the others; exit status 1 at the end.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTS } from './helpers.ts';
import { blankPage, imagePdf, tablePage } from './scan-fixtures.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/nianbao');

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/report.htm') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(readFileSync(join(REPORTS, '2023_pingtan_zongheshiyanqu.html')));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('nianbao parse', () => {
  it('prints one JSON record per readable document and names the unreadable one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-'));
    const bad = join(dir, 'broken.pdf');
    writeFileSync(bad, '%PDF-1.7\nthis is not really a pdf');
    const args = [BIN, 'parse', '--json', join(REPORTS, '2020_zhongwei_shenjiju.md'), bad, `${base}/report.htm`];
    const err = await run(process.execPath, args).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect('code' in err && err.code).toBe(1);
    const { stdout, stderr } = err as { stdout: string; stderr: string };
    const records = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => [r.agency?.name, r.year])).toEqual([
      ['中卫市审计局', 2020],
      ['平潭综合实验区', 2023],
    ]);
    expect(records[1].source.url).toBe(`${base}/report.htm`);
    expect(stderr).toContain('broken.pdf');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('goes on through a folder with a scan over the page budget and a blank scan, naming each on stderr', async () => {
    // Image-only PDFs drawn here (scan-fixtures.ts): no government figure.
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-scans-'));
    writeFileSync(join(dir, 'a-report.md'), readFileSync(join(REPORTS, '2020_zhongwei_shenjiju.md')));
    writeFileSync(join(dir, 'b-blank-scan.pdf'), await imagePdf([blankPage(), blankPage()], [360, 252]));
    const page = tablePage(5);
    writeFileSync(join(dir, 'c-long-scan.pdf'), await imagePdf(Array.from({ length: 30 }, () => page), [360, 252]));
    const args = [BIN, 'parse', '--json', '--workers', '2', '--ocr-max-pages', '1', '--ocr-page-seconds', '30', dir];
    const err = await run(process.execPath, args).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect('code' in err && err.code).toBe(1);
    const { stdout, stderr } = err as { stdout: string; stderr: string };
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l).year)).toEqual([2020]);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/b-blank-scan\.pdf: PDF has no text layer .* OCR found no text in its images \(.*skipped 1: page 2\) \[image_only; skipped\]$/);
    expect(lines[1]).toMatch(/c-long-scan\.pdf: .*OCR read the first 1 .* skipped 29: pages 2–30\) \[not_a_report; skipped\]$/);
  }, 180_000);

  it('refuses a time limit that is not a positive number', async () => {
    const err = await run(process.execPath, [BIN, 'parse', '--ocr-page-seconds', 'lots', join(REPORTS, '2020_zhongwei_shenjiju.md')]).catch((e: { code: number; stderr: string }) => e);
    expect('code' in err && err.code).not.toBe(0);
    expect((err as { stderr: string }).stderr).toContain('--ocr-page-seconds must be a positive number, not "lots"');
  });

  it('exits 0 with human summaries when every document is read, failed checks included', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'parse', join(REPORTS, '2023_huaian_hongzequ.pdf')]);
    expect(stdout).toContain('洪泽区人民政府 2023');
    expect(stdout).toContain('FAIL r4.review: 0 ≠ 11');
  });

  it('has --help', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'parse', '--help']);
    expect(stdout).toContain('--json');
    expect(stdout).toContain('Exit status');
  });
});

// End-to-end through the real CLI (bin/nianbao) in child processes: a crawl
// killed with SIGKILL mid-way resumes without refetching, losing or
// duplicating anything; and --map crawls a local mirror of a real site
// (平潭's TRS column) under its real URLs, through parse into the store.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/archive.ts';
import { tempData } from './helpers.ts';
import { EXPECTED_REPORTS, PINGTAN_ARTICLES, pingtanMirror, startTestSite, type TestSite } from './test-site.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/nianbao');
let site: TestSite;

beforeAll(async () => {
  site = await startTestSite(pingtanMirror());
});
afterAll(() => site.close());

function run(args: string[], killWhen?: () => boolean): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killWhen && setInterval(() => {
      if (killWhen()) {
        child.kill('SIGKILL');
        clearInterval(timer);
      }
    }, 5);
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('nianbao crawl (child process)', () => {
  it('resumes after kill -9 without refetching, losing or duplicating', async () => {
    const data = tempData();
    const args = ['--data', data, 'crawl', `${site.origin}/trs/index.html`, '--allow-private', '127.0.0.1', '--delay', '200', '--no-parse', '--json'];
    const start = site.log.length;
    const docRequests = () => site.log.slice(start).filter((r) => r.path !== '/robots.txt');
    const killed = await run(args, () => docRequests().length >= 7);
    expect(killed.signal).toBe('SIGKILL');
    const beforeResume = docRequests().length;
    expect(beforeResume).toBeLessThan(14);

    const resumed = await run(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout).report;
    expect(report.resumed).toBe(true);
    // The resumed run's report covers the whole run, including work done before the kill.
    expect([...report.reportUrls].map((u: string) => new URL(u).pathname).sort()).toEqual([...EXPECTED_REPORTS.trs].sort());
    expect(report.reports.new).toBe(EXPECTED_REPORTS.trs.length);

    // Only the request in flight at the kill may be repeated.
    const paths = docRequests().map((r) => r.path);
    const repeated = paths.filter((p, i) => paths.indexOf(p) !== i);
    expect(repeated.length, repeated.join(',')).toBeLessThanOrEqual(1);

    // Every report is archived, each with exactly one fetch record.
    const archive = openArchive(path.join(data, 'archive'));
    for (const p of EXPECTED_REPORTS.trs) {
      const recs = archive.recordsFor(`${site.origin}${p}`);
      expect(recs, p).toHaveLength(1);
      expect(recs[0].sha256).toBeTruthy();
    }
    const journal = readFileSync(path.join(data, 'crawl', '127-0-0-1-' + site.port, 'frontier.jsonl'), 'utf8');
    expect(journal.trim().split('\n').at(-1)).toContain('"e":"end"');
  }, 40_000);

  it('crawls a mirror of a real site through --map, keeping real URLs, and parses into the store', async () => {
    const data = tempData();
    const r = await run(['--data', data, 'crawl', 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/', '--map', `https://www.pingtan.gov.cn=${site.origin}`, '--delay', '100', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { report, ingest } = JSON.parse(r.stdout);
    const expected = PINGTAN_ARTICLES.map(([href]) => `https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/${href}`);
    expect([...report.reportUrls].sort()).toEqual([...expected].sort());
    expect(report.errors).toEqual({});
    expect(report.handedOn).toBe(PINGTAN_ARTICLES.length);
    expect(ingest.added).toBe(PINGTAN_ARTICLES.length);
    const recs = openArchive(path.join(data, 'archive')).recordsFor(expected[0]);
    expect(recs[0].url).toBe(expected[0]);
    expect(recs[0].site).toBe('www-pingtan-gov-cn');
  }, 40_000);

  it('refuses a private address unless explicitly allowed', async () => {
    const data = tempData();
    const r = await run(['--data', data, 'crawl', `${site.origin}/trs/index.html`, '--delay', '0', '--no-parse', '--json']);
    const { report } = JSON.parse(r.stdout);
    expect(report.pagesFetched).toBe(0);
    expect(report.errorSamples[0].message).toMatch(/private/);
  }, 20_000);
});

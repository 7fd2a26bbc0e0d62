// `nianbao parse` on a saved web page whose tables are pictures beside it
// (a variant of a corpus report, see table-images.ts), and on an image file
// named directly: the pictures are read by OCR as in a crawl.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ReportRecord } from '../../src/parse/types.ts';
import { REPORTS } from './helpers.ts';
import { tablesAsImages } from './table-images.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/nianbao');

describe('nianbao parse with pictures', () => {
  it('reads a saved page with its table pictures from disk, and a picture file named alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-img-'));
    const page = tablesAsImages(readFileSync(join(REPORTS, '2019_shanghai_shizhengfubangongting.html'), 'utf8'), 'http://www.example.gov.cn/nb/report.html');
    mkdirSync(join(dir, 'images'));
    for (const img of page.images) writeFileSync(join(dir, new URL(img.url).pathname.replace('/nb/', '')), img.bytes);
    writeFileSync(join(dir, 'report.html'), page.html);
    const { stdout } = await run(process.execPath, [BIN, 'parse', '--json', join(dir, 'report.html'), join(dir, 'images', 'table-2.png')], { timeout: 240_000 });
    const [html, png] = stdout.trim().split('\n').map((l) => JSON.parse(l) as ReportRecord);
    expect(html.source.format).toBe('html');
    expect(html.values.find((v) => v.table === 't3' && v.row === 'new_received' && v.col === 'total')).toMatchObject({ value: 859, ocr: {} });
    expect(html.source.images).toHaveLength(3);
    expect(png.source.format).toBe('image');
    expect(png.values.find((v) => v.table === 't3' && v.row === 'total_processed' && v.col === 'total')?.value).toBe(805);
  }, 240_000);
});

// Peak memory of OCR: `parse.ocr.peak_rss_mb_20_pages` is the peak resident
// set size of a fresh process that parses a 20-page scan (the 200-dpi scan
// variant of a corpus report, its pages repeated to 20: turned 1.5°, noise, a
// red seal, JPEG), against the same process parsing one page of it (models
// loaded, one page held): memory must not grow with the page count. A second
// figure puts the same peak against the limit of 1.5 GB.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { makeScanPdf } from '../test/parse/ocr-variants.ts';
import type { BenchFigure } from './figure.ts';

const SOURCE = join(import.meta.dirname, '../../shared/corpus/reports/2019_shanghai_shizhengfubangongting.rerendered.pdf');
const LIMIT_MB = 1536;

/** The scan's pages repeated (in order) until the PDF has `pages` pages. */
async function repeatPages(scan: Uint8Array, pages: number): Promise<Uint8Array> {
  const src = await PDFDocument.load(scan);
  const out = await PDFDocument.create();
  const n = src.getPageCount();
  for (let i = 0; i < pages; i++) {
    const [p] = await out.copyPages(src, [i % n]);
    out.addPage(p);
  }
  return out.save();
}

/** Peak RSS (MB) of a fresh Node process parsing `file` (bench/ocr-memory-child.ts). */
function peakRssMb(file: string): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'ocr-memory-child.ts'), file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return Math.round(Number(JSON.parse(out.trim().split('\n').at(-1)!).maxRssKb) / 1024);
}

export async function benchOcrMemory(): Promise<BenchFigure[]> {
  const scan = await makeScanPdf(new Uint8Array(readFileSync(SOURCE)), { name: 'bench', dpi: 200, rotate: 1.5, noise: 12, jpeg: 70, seal: true });
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-ocr-memory-'));
  try {
    const one = join(dir, 'one.pdf'), twenty = join(dir, 'twenty.pdf');
    writeFileSync(one, await repeatPages(scan, 1));
    writeFileSync(twenty, await repeatPages(scan, 20));
    const base = peakRssMb(one);
    const peak = peakRssMb(twenty);
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return [
      { name: 'parse.ocr.peak_rss_mb_20_pages', value: peak, unit: 'MB', baseline: base, ratio: r(peak / base), target: 1.5 },
      { name: 'parse.ocr.peak_rss_mb_20_pages_of_limit', value: peak, unit: 'MB', baseline: LIMIT_MB, ratio: r(peak / LIMIT_MB), target: 1 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

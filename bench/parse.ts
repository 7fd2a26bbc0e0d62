// Parse speed, each figure a ratio to a baseline measured in the same run on
// the same file (so machine speed cancels out): HTML against a bare
// cheerio.load, PDF against pdfjs getTextContent over all pages, and a batch
// of ≥500 documents on the worker pool against the same batch parsed
// sequentially on one thread, both warm (steady state).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { parseDocument } from '../src/parse/index.ts';
import { ParsePool } from '../src/parse/pool.ts';
import type { BenchFigure } from './figure.ts';

const REPORTS = join(import.meta.dirname, '../../shared/corpus/reports');

/**
 * Median CPU time (ms) of `fn`. Parsing and its baselines run on this thread
 * (pdfjs' worker in-process), so CPU time is their cost; wall time on a
 * shared 2-core machine mostly measured the other processes.
 */
async function median(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function pdfTextBaseline(bytes: Uint8Array): Promise<void> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false }).promise;
  for (let p = 1; p <= doc.numPages; p++) await (await doc.getPage(p)).getTextContent();
  await doc.destroy();
}

export async function benchParse(): Promise<BenchFigure[]> {
  const files = readdirSync(REPORTS);
  const figures: BenchFigure[] = [];
  const html = files.filter((f) => f.endsWith('.html'));
  let htmlParse = 0;
  let htmlBase = 0;
  for (const f of html) {
    const bytes = readFileSync(join(REPORTS, f));
    await parseDocument(bytes, { path: f }); // warm up
    htmlParse += await median(7, () => parseDocument(bytes, { path: f }));
    htmlBase += await median(7, () => cheerio.load(bytes.toString('utf8')));
  }
  figures.push(figure('parse.html.ms_per_doc', htmlParse / html.length, 'ms', htmlBase / html.length, 3));

  const pdfs = files.filter((f) => f.endsWith('.pdf'));
  let pdfParse = 0;
  let pdfBase = 0;
  for (const f of pdfs) {
    const bytes = new Uint8Array(readFileSync(join(REPORTS, f)));
    await parseDocument(bytes, { path: f });
    pdfParse += await median(5, () => parseDocument(bytes, { path: f }));
    pdfBase += await median(5, () => pdfTextBaseline(bytes));
  }
  figures.push(figure('parse.pdf.ms_per_doc', pdfParse / pdfs.length, 'ms', pdfBase / pdfs.length, 2));

  // A batch of 510 real documents (the corpus reports copied 30 times into a temp dir).
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
  try {
    const batch: string[] = [];
    for (let i = 0; i < 30; i++) {
      mkdirSync(join(dir, String(i)));
      for (const f of files) {
        cpSync(join(REPORTS, f), join(dir, String(i), f));
        batch.push(join(dir, String(i), f));
      }
    }
    const t0 = performance.now();
    for (const f of batch) await parseDocument(readFileSync(f), { path: f }).catch(() => null);
    const sequential = performance.now() - t0;
    // Steady state on both sides: the sequential run above is warm (this process has parsed every
    // format already), so the workers first parse the corpus once, untimed — their start-up (loading
    // pdf.js, compiling) is about 2 s, a fixed cost a real batch of thousands of documents amortises.
    const pool = new ParsePool({ timeoutMs: 120_000 });
    await Promise.all(batch.slice(0, 2 * files.length).map((f) => pool.parseFile(f).catch(() => null)));
    const t1 = performance.now();
    await Promise.all(batch.map((f) => pool.parseFile(f).catch(() => null)));
    const parallel = performance.now() - t1;
    await pool.close();
    figures.push(figure(`parse.batch${batch.length}.docs_per_s(${pool.size} workers)`, batch.length / (parallel / 1000), 'docs/s', batch.length / (sequential / 1000), Infinity, true));
    figures.push(figure(`parse.batch${batch.length}.seconds`, parallel / 1000, 's', sequential / 1000, 0.8));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

function figure(name: string, value: number, unit: string, baseline: number, target: number, higherIsBetter = false): BenchFigure {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { name, value: r(value), unit, baseline: r(baseline), ratio: r(value / baseline), target: higherIsBetter ? null : target };
}

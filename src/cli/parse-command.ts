// `nianbao parse <file|dir|url>…`: canonical records, one per document.
// Every document is tried; unreadable ones get one line on stderr naming the
// document and the reason, and the exit status is 1 at the end.
import type { Command } from 'commander';
import { DEFAULT_OCR_MAX_PAGES, DEFAULT_OCR_PAGE_S, DEFAULT_TIMEOUT_S } from '../parse/limits.ts';
import { ParsePool } from '../parse/pool.ts';
import type { ReportRecord } from '../parse/types.ts';
import { expandInputs, type DocumentInput } from './inputs.ts';
import { summarize } from './summary.ts';
import { fetchDocument } from './fetch-document.ts';
import { fileImages, urlImages } from './page-images.ts';
import { readFile } from 'node:fs/promises';

interface ParseOptions {
  json?: boolean;
  workers?: string;
  timeout?: string;
  ocrPageSeconds?: string;
  ocrMaxPages?: string;
}

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('parse reports (files, directories or http(s) URLs) into canonical records')
    .argument('<inputs...>', 'files, directories or http(s) URLs')
    .option('--json', 'print one JSON record per line instead of a summary')
    .option('--workers <n>', 'parse on this many worker threads (default: one per core)')
    .option('--timeout <seconds>', 'time limit per document (a scan gets --ocr-page-seconds more per page it reads)', String(DEFAULT_TIMEOUT_S))
    .option('--ocr-page-seconds <seconds>', 'time allowed per scanned page read by OCR, on top of --timeout', String(DEFAULT_OCR_PAGE_S))
    .option('--ocr-max-pages <n>', 'scanned pages read by OCR at most per document; later ones are skipped with an ocr_pages_skipped warning', String(DEFAULT_OCR_MAX_PAGES))
    .addHelpText('after', '\nExit status: 0 when every document was read (even if checks fail), 1 when any could not be read.')
    .action(async (args: string[], opts: ParseOptions) => {
      process.exitCode = await runParse(args, opts);
    });
}

export async function runParse(args: string[], opts: ParseOptions): Promise<number> {
  const { inputs, problems } = await expandInputs(args);
  for (const p of problems) console.error(`nianbao parse: ${p}`);
  const number = (v: string | undefined, name: string, fallback: number): number => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not "${v}"`);
    return n;
  };
  const pool = new ParsePool({
    workers: opts.workers ? Number(opts.workers) : undefined,
    timeoutMs: number(opts.timeout, '--timeout', DEFAULT_TIMEOUT_S) * 1000,
    ocrPageMs: number(opts.ocrPageSeconds, '--ocr-page-seconds', DEFAULT_OCR_PAGE_S) * 1000,
    ocrMaxPages: Math.floor(number(opts.ocrMaxPages, '--ocr-max-pages', DEFAULT_OCR_MAX_PAGES)),
  });
  let failed = problems.length;
  try {
    // Settle every job up front so a failure waiting its turn is never an unhandled rejection.
    const jobs = inputs.map((input) => ({
      input,
      result: parseOne(pool, input).then(
        (record) => ({ record, error: null }),
        (error: unknown) => ({ record: null, error }),
      ),
    }));
    for (const { input, result } of jobs) {
      const name = input.kind === 'file' ? input.path : input.url;
      const { record, error } = await result;
      if (record) {
        process.stdout.write(opts.json ? `${JSON.stringify(record)}\n` : `${summarize(record, name)}\n`);
      } else {
        failed++;
        console.error(`nianbao parse: ${describeError(error)}`);
      }
    }
  } finally {
    await pool.close();
  }
  if (!opts.json) console.error(`${inputs.length - (failed - problems.length)} of ${inputs.length + problems.length} documents read`);
  return failed ? 1 : 0;
}

function describeError(e: unknown): string {
  if (e instanceof Error && 'reason' in e) return `${e.message} [${String((e as { reason: string }).reason)}; skipped]`;
  return e instanceof Error ? e.message : String(e);
}

async function parseOne(pool: ParsePool, input: DocumentInput): Promise<ReportRecord> {
  if (input.kind === 'file') {
    // A saved web page: the table images beside it are read with it.
    const images = /\.(s?html?|xhtml)$/i.test(input.path) ? await fileImages(input.path, new Uint8Array(await readFile(input.path))) : [];
    return pool.parseFile(input.path, images.length ? { images } : {});
  }
  const doc = await fetchDocument(input.url);
  const images = await urlImages(input.url, doc.bytes, doc.charset);
  return pool.parseBytes(doc.bytes, { url: input.url, contentType: doc.contentType, charset: doc.charset, ...(images.length ? { images } : {}) });
}

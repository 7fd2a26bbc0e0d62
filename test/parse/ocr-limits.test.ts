// Time limits, the OCR page budget and bad scanned input, on image-only PDFs
// drawn in test setup (scan-fixtures.ts; no government figure involved) and
// one real corpus report that must come through a batch untouched.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnreadableDocumentError } from '../../src/parse/errors.ts';
import { parseDocument } from '../../src/parse/index.ts';
import { DEFAULT_OCR_MAX_PAGES, DEFAULT_OCR_PAGE_S, DEFAULT_TIMEOUT_S, pageRanges } from '../../src/parse/limits.ts';
import { extractPdf } from '../../src/parse/pdf/index.ts';
import { ParsePool } from '../../src/parse/pool.ts';
import { REPORTS } from './helpers.ts';
import { blankPage, corruptPage, imagePdf, photoPage, prosePage, tablePage } from './scan-fixtures.ts';

/** A small page size: a 200-page scan renders fast, and each page still holds a readable table. */
const SMALL: [number, number] = [360, 252];

describe('the OCR page budget', () => {
  it('reads the first pages of a 200-page scan and names the pages it skipped', async () => {
    const page = tablePage(3);
    const pdf = await imagePdf(Array.from({ length: 200 }, () => page), SMALL);
    let planned = -1;
    const doc = await extractPdf(pdf, { ocrMaxPages: 2, onOcrPlan: (n) => ((planned = n), undefined) });
    expect(planned).toBe(2);
    const skipped = doc.warnings.filter((w) => w.code === 'ocr_pages_skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0].message).toBe('200 pages have no text layer; OCR read the first 2 (the page budget, --ocr-max-pages) and skipped 198: pages 3–200');
    expect(doc.warnings.find((w) => w.code === 'ocr_used')?.message).toMatch(/^page\(s\) 1, 2 /);
  }, 120_000);

  it('allows a 40-page scan under the defaults', () => {
    // 3 s of CPU per page measured (npm run bench): the allowance is over three times that, and the budget covers it.
    expect(DEFAULT_OCR_MAX_PAGES).toBeGreaterThanOrEqual(40);
    expect(DEFAULT_TIMEOUT_S + 40 * DEFAULT_OCR_PAGE_S).toBeGreaterThanOrEqual(3 * 40 * 3);
    expect(pageRanges([1, 2, 3, 5, 7, 8])).toBe('1–3, 5, 7–8');
  });
});

describe('the parse receives its deadline', () => {
  it('stops OCR between pages with an error naming the document, the pages read and what to do', async () => {
    const pdf = await imagePdf([tablePage(1), tablePage(2)], SMALL);
    const err = await parseDocument(pdf, { path: 'long-scan.pdf', limits: { onOcrPlan: () => Date.now() - 1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    expect((err as UnreadableDocumentError).reason).toBe('timeout');
    expect((err as Error).message).toBe(
      'long-scan.pdf: the time limit was reached after reading 0 of 2 scanned page(s) by OCR; page 1 and on were not read — '
        + 'raise --timeout or --ocr-page-seconds (time allowed per scanned page), or lower --ocr-max-pages',
    );
  }, 60_000);
});

/** CPU ticks (user + system) of every thread of this process, by thread id (Linux /proc). */
function threadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const f = readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(t, Number(f[11]) + Number(f[12]));
    } catch {
      /* the thread ended */
    }
  }
  return out;
}

describe('the worker pool and OCR', () => {
  it('reads two scans in parallel on two workers, one OCR page in flight per worker thread (measured)', async () => {
    const a = await imagePdf([tablePage(1), tablePage(2), tablePage(3)]);
    const b = await imagePdf([tablePage(4), tablePage(5), tablePage(6)]);
    const events: string[] = [];
    const threads = new Set<number>();
    const pool = new ParsePool({
      workers: 2,
      onOcrPlan: (e) => {
        events.push(`plan ${e.path} ${e.pages}`);
        threads.add(e.threadId);
      },
    });
    try {
      // Start both workers first, so their start-up is not counted with the OCR.
      const warm = await imagePdf([blankPage()], SMALL);
      await Promise.allSettled([pool.parseBytes(warm, { path: 'warm-1.pdf' }), pool.parseBytes(warm, { path: 'warm-2.pdf' })]);
      events.length = 0;
      threads.clear();
      const before = threadTicks();
      const done = (name: string) => () => void events.push(`done ${name}`);
      await Promise.allSettled([pool.parseBytes(a, { path: 'A.pdf' }).finally(done('A.pdf')), pool.parseBytes(b, { path: 'B.pdf' }).finally(done('B.pdf'))]);
      const spent = [...threadTicks()].map(([t, n]) => n - (before.get(t) ?? 0)).filter((n) => n > 0).sort((x, y) => y - x);
      const total = spent.reduce((s, n) => s + n, 0);
      // Parallel: both scans were being read by OCR, on two threads, before either finished.
      expect(threads.size).toBe(2);
      expect(events.slice(0, 2).sort()).toEqual(['plan A.pdf 3', 'plan B.pdf 3']);
      // No oversubscription: the OCR work ran on the two worker threads themselves (single-threaded
      // onnxruntime sessions), not on extra compute threads — on any core count.
      const busy = spent.filter((n) => n > total * 0.1);
      console.log(`OCR of 2 × 3 pages on 2 workers: CPU ticks per busy thread ${busy.join(', ')} of ${total} in all`);
      expect(busy.length).toBeLessThanOrEqual(2);
    } finally {
      await pool.close();
    }
  }, 180_000);

  it('goes on through a batch of bad scans, each refused or warned about by name, and keeps the good report', async () => {
    const docs: [string, Uint8Array][] = [
      ['prose-scan.pdf', await imagePdf([prosePage()])],
      ['photo-scan.pdf', await imagePdf([photoPage()], [400, 300])],
      ['blank-scan.pdf', await imagePdf([blankPage(), blankPage()], SMALL)],
      ['corrupt-image.pdf', await imagePdf([corruptPage()], SMALL)],
      ['long-scan.pdf', await imagePdf(Array.from({ length: 200 }, () => tablePage(7)), SMALL)],
      ['photo.jpg', photoPage().bytes],
    ];
    const plans: string[] = [];
    const pool = new ParsePool({ workers: 2, ocrMaxPages: 2, onOcrPlan: (e) => plans.push(`${e.path} ${e.pages}`) });
    try {
      const good = pool.parseFile(join(REPORTS, '2020_zhongwei_shenjiju.md'));
      const results = await Promise.allSettled(docs.map(([path, bytes]) => pool.parseBytes(bytes, { path })));
      expect((await good).year).toBe(2020);
      const outcome = results.map((r, i) => {
        if (r.status === 'fulfilled') return [docs[i][0], 'parsed', r.value.warnings.map((w) => w.code).filter((c) => c.startsWith('ocr_')).sort().join(' ')];
        const e = r.reason as UnreadableDocumentError;
        expect(e.message.startsWith(`${docs[i][0]}: `), e.message).toBe(true);
        return [docs[i][0], e.reason, e.message];
      });
      const by = new Map(outcome.map((o) => [o[0], o]));
      // Nothing that is not a report comes out as one, and nothing runs into the time limit.
      for (const o of outcome) expect(o[1], String(o)).not.toBe('timeout');
      expect(['not_a_report', 'image_only']).toContain(by.get('prose-scan.pdf')![1]);
      expect(['not_a_report', 'image_only']).toContain(by.get('photo-scan.pdf')![1]);
      expect(by.get('blank-scan.pdf')!.slice(1)).toEqual(['image_only', expect.stringMatching(/OCR found no text in its images$/)]);
      // pdfjs paints a JPEG cut short as far as it decodes (here: white), so OCR finds nothing there.
      expect(by.get('corrupt-image.pdf')!.slice(1)).toEqual(['image_only', expect.stringMatching(/OCR found no text in its images/)]);
      expect(['not_a_report', 'image_only', 'unsupported_format']).toContain(by.get('photo.jpg')![1]);
      // The 200-page scan read its budget of 2 pages, not 200.
      expect(plans).toContain('long-scan.pdf 2');
      expect(plans.filter((p) => p.startsWith('long-scan.pdf'))).toEqual(['long-scan.pdf 2']);
      expect(by.get('long-scan.pdf')![2]).toMatch(/OCR read the first 2 .* skipped 198: pages 3–200\)$/);
    } finally {
      await pool.close();
    }
  }, 300_000);
});

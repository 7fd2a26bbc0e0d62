// OCR of the pages of a PDF that have no text layer (scans): each page is
// rendered, read by ocrPage, and handed back as the PageLayout the text
// path would have made, so tables continue across pages and the interpreter
// sees one document whatever mix of text and scanned pages it has.

import { UnreadableDocumentError } from '../errors.js';
import { DEFAULT_OCR_MAX_PAGES, pageRanges } from '../limits.ts';
import type { PageLayout } from '../pdf/assemble.js';
import type { ParseWarning } from '../types.js';
import { ocrPage } from './page.js';
import { openForRendering, renderPage } from './render.js';

export interface OcrOptions {
  /** Rendering resolution; 200 dpi reads 9-point print and keeps a page under 20 MB. */
  dpi?: number;
  /** Epoch milliseconds after which reading stops with a timeout error. */
  deadline?: number;
  /** Scanned pages read at most; the rest are skipped with a warning (default DEFAULT_OCR_MAX_PAGES). */
  maxPages?: number;
  /** Told how many pages OCR will read before it starts; returns the deadline that then applies. */
  onPlan?: (pages: number) => number | undefined;
}

export interface OcrPdfResult {
  layouts: Map<number, PageLayout>;
  /** Characters read per page (letters and digits), to compare with the text layer's. */
  chars: Map<number, number>;
}

function countChars(layout: PageLayout): number {
  let n = 0;
  const count = (t: string) => (t.match(/[\p{L}\p{N}]/gu) ?? []).length;
  for (const l of layout.lines) n += count(l.text);
  for (const t of layout.tables) for (const c of t.cells) n += count(c.text);
  return n;
}

export async function ocrPdfPages(bytes: Uint8Array, pages: readonly number[], warnings: ParseWarning[], opts: OcrOptions = {}): Promise<OcrPdfResult> {
  const dpi = opts.dpi ?? 200;
  const layouts = new Map<number, PageLayout>();
  const chars = new Map<number, number>();
  const doc = await openForRendering(bytes);
  try {
    for (const [i, p] of pages.entries()) {
      // Checked between pages: one page is the unit of work, so at most one is in flight past the limit.
      if (opts.deadline !== undefined && Date.now() > opts.deadline) {
        throw new UnreadableDocumentError(
          'timeout',
          `the time limit was reached after reading ${i} of ${pages.length} scanned page(s) by OCR`
            + `${i ? ` (pages ${pageRanges(pages.slice(0, i))})` : ''}; page ${p} and on were not read — `
            + 'raise --timeout or --ocr-page-seconds (time allowed per scanned page), or lower --ocr-max-pages',
        );
      }
      let rendered;
      try {
        rendered = await renderPage(doc, p, dpi);
      } catch (err) {
        warnings.push({ code: 'ocr_page_unreadable', message: `page ${p}: the scanned image cannot be decoded (${(err as Error)?.message ?? err})`, at: { page: p } });
        continue;
      }
      const res = await ocrPage(rendered, warnings);
      rendered.img.data = new Uint8Array(0); // a 200-dpi page is 4 MB: let it go before the next one
      layouts.set(p, res.layout);
      chars.set(p, countChars(res.layout));
      if (Math.abs(res.skew) >= 0.05) {
        warnings.push({ code: 'ocr_deskewed', message: `page ${p}: the scan was tilted ${res.skew}°; straightened before reading`, at: { page: p } });
      }
    }
  } finally {
    await doc.destroy();
  }
  return { layouts, chars };
}

/** A page whose text layer has fewer letters and digits than this is treated as a scan (a stamp or page number is all it has). */
export const SCANNED_PAGE_MAX_CHARS = 20;

/**
 * The extractor's hook: reads the pages whose text layer is (nearly) empty
 * by OCR and puts their layouts in place of the text layer's, when OCR
 * found clearly more text there. Returns the letters and digits OCR added.
 */
export async function ocrScannedPages(
  bytes: Uint8Array,
  layouts: PageLayout[],
  pageChars: readonly number[],
  warnings: ParseWarning[],
  opts: OcrOptions = {},
): Promise<number> {
  const scanned = layouts.filter((_, i) => pageChars[i] < SCANNED_PAGE_MAX_CHARS).map((l) => l.page);
  if (scanned.length === 0) return 0;
  // The page budget: the first pages are read (the statistics tables come
  // early in a report), the rest named in a warning — the same pages every run.
  const budget = Math.max(1, opts.maxPages ?? DEFAULT_OCR_MAX_PAGES);
  const pages = scanned.slice(0, budget);
  if (scanned.length > budget) {
    const skipped = scanned.slice(budget);
    warnings.push({
      code: 'ocr_pages_skipped',
      message: `${scanned.length} pages have no text layer; OCR read the first ${budget} (the page budget, --ocr-max-pages) and skipped ${skipped.length}: page${skipped.length > 1 ? 's' : ''} ${pageRanges(skipped)}`,
    });
  }
  const deadline = opts.onPlan?.(pages.length) ?? opts.deadline;
  const res = await ocrPdfPages(bytes, pages, warnings, { ...opts, deadline });
  const read: number[] = [];
  let added = 0;
  layouts.forEach((l, i) => {
    const o = res.layouts.get(l.page), n = res.chars.get(l.page) ?? 0;
    if (!o || n < Math.max(10, 2 * pageChars[i])) return;
    layouts[i] = o;
    read.push(l.page);
    added += n - pageChars[i];
  });
  const blank = pages.filter((p) => !read.includes(p) && res.layouts.has(p));
  if (read.length > 0) {
    warnings.push({
      code: 'ocr_used',
      message: `page(s) ${read.join(', ')} have no text layer: read by OCR from the scanned image (PP-OCRv4); each value read there carries ocr.confidence`,
    });
  }
  if (blank.length > 0 && read.length > 0) {
    warnings.push({ code: 'ocr_page_blank', message: `page(s) ${blank.join(', ')} have no text layer and OCR found no text on them` });
  }
  return added;
}

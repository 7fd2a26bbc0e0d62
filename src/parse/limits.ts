// How long a parse may take and how much of a scan it reads. A born-digital
// document parses in well under a second, so it gets a plain time limit; OCR
// costs about 3 s of CPU per page, so a scan gets an allowance per page it
// reads on top of that limit, and reads at most a page budget: a 200-page
// scan (a report bound with its annexes, a scanned archive) reads its first
// pages — where the statistics tables are — and says which it skipped,
// instead of taking ten minutes or being killed with nothing to show.

/** The base time limit per document (seconds): `--timeout`. */
export const DEFAULT_TIMEOUT_S = 60;
/** The time allowed per scanned page on top of the base limit (seconds): `--ocr-page-seconds`. ~3× the measured cost. */
export const DEFAULT_OCR_PAGE_S = 10;
/** Scanned pages read at most per document: `--ocr-max-pages`. The rest are skipped with `ocr_pages_skipped`. */
export const DEFAULT_OCR_MAX_PAGES = 60;

/**
 * The parse's time limits as the worker pool hands them to a parse: the
 * deadline, the page budget, and the hook through which OCR, once it knows
 * how many pages it will read, learns its extended deadline (and the pool
 * extends its own timer to match).
 */
export interface ParseLimits {
  /** Epoch milliseconds after which the parse gives up with a timeout error (OCR checks it between pages). */
  deadline?: number;
  /** Scanned pages read at most (default DEFAULT_OCR_MAX_PAGES). */
  ocrMaxPages?: number;
  /** Called before OCR with the number of pages it will read; returns the deadline that then applies. */
  onOcrPlan?: (pages: number) => number | undefined;
}

/** "3–5, 9, 12–200": page numbers as ranges, for messages about many pages. */
export function pageRanges(pages: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < pages.length; i++) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j] + 1) j++;
    out.push(j > i ? `${pages[i]}–${pages[j]}` : String(pages[i]));
    i = j;
  }
  return out.join(', ');
}

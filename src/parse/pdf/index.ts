// PDF format extractor: bytes → DocModel (paragraphs and table grids in
// reading order). pdfjs runs in-process (no worker thread, no network, no
// eval); per page we read positioned text (getTextContent) and the drawing
// operators (getOperatorList) from which table borders are rebuilt.

import { createRequire } from 'node:module';
import path from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { UnreadableDocumentError } from '../errors.js';
import { normalizeRadicals } from '../normalize-radicals.js';
import type { DocModel, ParseWarning } from '../types.js';
import { assemble, type PageLayout } from './assemble.js';
import { groupLines } from './lines.js';
import { extractRulingLines } from './ruling-lines.js';
import { findTables } from './table-detect.js';
import { addStreamTables } from './stream-tables.ts';
import { toTextRuns, type RawTextItem, type TextRun } from './text-runs.js';
import { verticalFontRuns } from './vertical-text.js';
import type { Matrix } from './matrix.ts';
/** Same constant as src/parse/ocr (kept here so born-digital parses do not import OCR). */
const SCANNED_PAGE_MAX_CHARS = 20;
import type { DocumentInitParameters } from 'pdfjs-dist/types/src/display/api.js';
import type { ParseLimits } from '../limits.ts';

export interface ExtractPdfOptions extends ParseLimits {
  /** Read at most this many pages (a warning records the rest were skipped). */
  maxPages?: number;
}


// Registering the worker module on globalThis makes pdfjs run its "worker"
// in this thread instead of spawning one (pdfjs' documented fake-worker path).
let workerReady: Promise<unknown> | null = null;
function ensureInProcessWorker(): Promise<unknown> {
  workerReady ??= import('pdfjs-dist/legacy/build/pdf.worker.mjs').then((mod) => {
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= mod;
  });
  return workerReady;
}

// Local data directories shipped with pdfjs-dist: predefined CJK CMaps
// (UniGB-UCS2-H … used by PDFs with non-embedded Chinese fonts) and the
// standard 14 fonts. Paths, not URLs: pdfjs reads them with fs in Node.
const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const CMAP_DIR = path.join(pdfjsRoot, 'cmaps') + path.sep;
const FONT_DIR = path.join(pdfjsRoot, 'standard_fonts') + path.sep;

/**
 * The smallest stand-in for a DOM document that pdfjs' FontLoader needs to
 * "install" a font face: a <style> element whose sheet ignores the rule.
 * Nothing else in pdfjs reads ownerDocument in Node (canvas and filter
 * factories are the Node ones).
 */
const NO_FONT_DOCUMENT = {
  createElement: () => ({ sheet: { cssRules: [], insertRule: () => 0 }, remove: () => undefined }),
  documentElement: { getElementsByTagName: () => [{ append: () => undefined }] },
} as unknown as HTMLDocument;

/**
 * Even on NO_FONT_DOCUMENT, "installing" a font face base64-encodes the
 * whole font file first (a JS polyfill in pdfjs' legacy build, ~8% of a
 * parse). The document's font loader is replaced by one that does nothing;
 * if pdfjs' internals ever move, NO_FONT_DOCUMENT still keeps it correct.
 */
export function skipFontFaceInstall(doc: pdfjs.PDFDocumentProxy): boolean {
  const loader = (doc as unknown as { _transport?: { fontLoader?: { bind?: unknown } } })._transport?.fontLoader;
  if (!loader || typeof loader.bind !== 'function') return false;
  loader.bind = () => Promise.resolve();
  return true;
}

/** The extractor's getDocument options, besides `data`. */
export const PDFJS_OPTIONS = {
  isEvalSupported: false,
  // Nothing is rendered, so fonts need no glyph outlines. With
  // disableFontFace (pdfjs' Node default) pdfjs compiles an outline for
  // every glyph of every showText into the operator list — more than
  // half its cost. With font faces "enabled" and a document whose font
  // loading is a no-op (NO_FONT_DOCUMENT), it skips them.
  disableFontFace: false,
  ownerDocument: NO_FONT_DOCUMENT,
  // Tables need the drawn lines, never the pictures: every image is
  // dropped from the operator list instead of being decoded (seals and
  // logos cost more than the rest of their page). pdfjs warns and goes on.
  maxImageSize: 0,
  useSystemFonts: false,
  useWorkerFetch: false,
  cMapUrl: CMAP_DIR,
  cMapPacked: true,
  standardFontDataUrl: FONT_DIR,
  verbosity: 0,
} satisfies Omit<DocumentInitParameters, 'data'>;

const META_KEYS = ['Title', 'Author', 'Creator', 'Producer', 'CreationDate', 'ModDate'] as const;

/** Titles producers put in by default carry no information about the document. */
const MEANINGLESS_TITLE = /^(?:untitled|无标题|新建.*文档|microsoft word\s*-.*|document\d*|文档\d*|\s*)$/i;

function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

function classifyLoadError(err: unknown): UnreadableDocumentError {
  const e = err as { name?: string; message?: string };
  const msg = e?.message ?? String(err);
  if (e?.name === 'PasswordException') return new UnreadableDocumentError('encrypted', `PDF is password-protected: ${msg}`);
  return new UnreadableDocumentError('corrupt', `PDF cannot be read (${e?.name ?? 'error'}): ${msg}`);
}

export async function extractPdf(bytes: Uint8Array, opts: ExtractPdfOptions = {}): Promise<DocModel> {
  if (!bytes || bytes.length === 0) throw new UnreadableDocumentError('corrupt', 'PDF is empty (0 bytes)');
  if (!hasPdfHeader(bytes)) throw new UnreadableDocumentError('corrupt', 'not a PDF: no %PDF- header in the first 1024 bytes');
  await ensureInProcessWorker();

  let doc: pdfjs.PDFDocumentProxy;
  try {
    // pdfjs may take ownership of the buffer; the caller keeps theirs.
    doc = await pdfjs.getDocument({ data: bytes.slice(), ...PDFJS_OPTIONS }).promise;
  } catch (err) {
    throw classifyLoadError(err);
  }
  skipFontFaceInstall(doc);

  try {
    const warnings: ParseWarning[] = [];
    const { meta, title } = await readMeta(doc);
    const total = doc.numPages;
    const limit = opts.maxPages && opts.maxPages > 0 ? Math.min(total, opts.maxPages) : total;
    if (limit < total) {
      warnings.push({ code: 'pages_skipped', message: `read ${limit} of ${total} pages (maxPages=${opts.maxPages})` });
    }

    const layouts: PageLayout[] = [];
    const pageChars: number[] = [];
    let meaningfulChars = 0;
    for (let p = 1; p <= limit; p++) {
      const layout = await readPage(doc, p, warnings).catch((err: unknown) => {
        throw new UnreadableDocumentError('corrupt', `PDF page ${p} cannot be read: ${(err as Error)?.message ?? err}`);
      });
      meaningfulChars += layout.meaningfulChars;
      pageChars.push(layout.meaningfulChars);
      layouts.push(layout.layout);
    }
    // OCR hook: pages without a text layer (scans) are read from their
    // image by src/parse/ocr, loaded only when such a page exists.
    const textLayerChars = meaningfulChars;
    if (pageChars.some((n) => n < SCANNED_PAGE_MAX_CHARS)) {
      const { ocrScannedPages } = await import('../ocr/index.js');
      meaningfulChars += await ocrScannedPages(bytes, layouts, pageChars, warnings, { deadline: opts.deadline, maxPages: opts.ocrMaxPages, onPlan: opts.onOcrPlan });
    }
    if (meaningfulChars < 10) {
      // Say why OCR had nothing: images it could not decode, pages it did not read.
      const why = warnings.filter((w) => w.code === 'ocr_page_unreadable' || w.code === 'ocr_pages_skipped').map((w) => w.message);
      throw new UnreadableDocumentError(
        'image_only',
        `PDF has no text layer (${textLayerChars} characters on ${limit} page(s)) and OCR found no text in its images${why.length ? ` (${why.join('; ')})` : ''}`,
      );
    }
    // Tables printed without ruling lines, from the lines the ruled path left as text.
    const blocks = assemble(addStreamTables(layouts, warnings), warnings);
    return { format: 'pdf', blocks, title, meta, pages: total, warnings };
  } finally {
    await doc.destroy();
  }
}

async function readMeta(doc: pdfjs.PDFDocumentProxy): Promise<{ meta: Record<string, string>; title?: string }> {
  const meta: Record<string, string> = {};
  try {
    const { info } = (await doc.getMetadata()) as unknown as { info?: Record<string, unknown> };
    for (const k of META_KEYS) {
      const v = info?.[k];
      if (typeof v === 'string' && v.trim()) meta[k] = normalizeRadicals(v.trim());
    }
  } catch {
    // A broken info dictionary does not make the document unreadable.
  }
  const title = meta.Title && !MEANINGLESS_TITLE.test(meta.Title) ? meta.Title : undefined;
  return { meta, title };
}

async function readPage(
  doc: pdfjs.PDFDocumentProxy,
  pageNo: number,
  warnings: ParseWarning[],
): Promise<{ layout: PageLayout; meaningfulChars: number }> {
  const page = await doc.getPage(pageNo);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const vt = viewport.transform as Matrix;
    const content = await page.getTextContent();
    // Vertical-writing fonts are read from the operator list instead (see vertical-text.ts).
    const verticalFonts = new Set(
      Object.entries(content.styles as Record<string, { vertical?: boolean }>)
        .filter(([, style]) => style.vertical)
        .map(([name]) => name),
    );
    const items = (content.items as (RawTextItem & { fontName?: string })[]).filter(
      (it) => !(it.fontName && verticalFonts.has(it.fontName)),
    );
    const runs = toTextRuns(items, vt, pageNo);
    // The operator list costs more than the text content itself (pdfjs
    // builds glyph outlines for every new glyph in Node), so it is read only
    // where a table can be: a page whose text has column gaps, or vertical
    // glyphs to recover. Text-less pages (scans) are skipped as well.
    let tables: PageLayout['tables'] = [];
    let freeRuns = runs;
    if (verticalFonts.size > 0 || mayHoldTable(runs)) {
      const ops = await page.getOperatorList();
      if (verticalFonts.size > 0) runs.push(...verticalFontRuns(ops.fnArray, ops.argsArray, vt, verticalFonts, pageNo));
      const rulings = extractRulingLines(ops.fnArray, ops.argsArray, vt);
      ({ tables, freeRuns } = findTables(rulings, runs, pageNo));
    }
    let meaningfulChars = 0;
    for (const r of runs) meaningfulChars += (r.text.match(/[\p{L}\p{N}]/gu) ?? []).length;
    const lines = groupLines(freeRuns);
    // Column-aligned text with no borders around it is probably a table we
    // could not rebuild; its lines stay text (cells tab-separated). Say so.
    const columnLines = lines.filter((l) => l.text.includes('\t')).length;
    if (columnLines >= 3) {
      warnings.push({
        code: 'table_without_rulings',
        message: `page ${pageNo}: ${columnLines} lines with column gaps outside any ruled table; kept as tab-separated text lines`,
        at: { page: pageNo },
      });
    }
    return { layout: { page: pageNo, height: viewport.height, lines, tables }, meaningfulChars };
  } finally {
    page.cleanup();
  }
}

/**
 * True if some line of the page has two runs separated by a wide gap — what
 * the cells of one table row look like. Prose (justified, indented or
 * centred lines) never has such gaps, so its pages need no drawing operators.
 */
export function mayHoldTable(runs: readonly TextRun[]): boolean {
  for (const line of groupLines(runs)) {
    for (let i = 1; i < line.runs.length; i++) {
      const prev = line.runs[i - 1], cur = line.runs[i];
      if (cur.x - prev.right > 1.5 * Math.min(prev.fs, cur.fs)) return true;
    }
  }
  return false;
}

// HTML format extractor: bytes → DocModel (ordered paragraphs and table
// grids of the report body, plus page metadata). Also the back end of the
// DOCX extractor, which converts to HTML first.
//
// Steps: decode (decode.ts) → one cheerio/parse5 parse → one DOM walk that
// yields all blocks and per-element statistics (walker.ts) → pick the body
// among the site chrome (content.ts) → metadata and title (meta.ts).
import { load } from 'cheerio';
import type { Block, BodyImage, DocModel, ParseWarning, SourceFormat } from '../types.ts';
import { UnreadableDocumentError } from '../errors.ts';
import { decodeText } from '../../common/charset.ts';
import { walkDocument, type DomNode, type RawBlock, type WalkResult } from './walker.ts';
import { selectBody, type BodySelection } from './content.ts';
import { chooseTitle, collectMeta } from './meta.ts';


/** Pages larger than this are not article pages (and would stall the pipeline). */
const MAX_BYTES = 64 * 1024 * 1024;

/** File signatures of formats that are sometimes served with an .htm URL or text/html type. */
const SIGNATURES: Array<[number[], string]> = [
  [[0x25, 0x50, 0x44, 0x46], 'PDF'],
  [[0x50, 0x4b, 0x03, 0x04], 'ZIP/OOXML'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'OLE (DOC/WPS/XLS)'],
  [[0x89, 0x50, 0x4e, 0x47], 'PNG'],
  [[0xff, 0xd8, 0xff], 'JPEG'],
  [[0x47, 0x49, 0x46, 0x38], 'GIF'],
  [[0x52, 0x61, 0x72, 0x21], 'RAR'],
  [[0x37, 0x7a, 0xbc, 0xaf], '7z'],
  [[0x1f, 0x8b], 'gzip'],
];

/** Throw for inputs that are not an HTML document at all. */
function rejectNonHtml(bytes: Uint8Array): void {
  if (bytes.length > MAX_BYTES) {
    throw new UnreadableDocumentError('too_large', `HTML document of ${bytes.length} bytes exceeds ${MAX_BYTES}`);
  }
  let start = 0;
  while (start < bytes.length && (bytes[start] === 0x20 || (bytes[start] >= 0x09 && bytes[start] <= 0x0d))) start++;
  if (start === bytes.length) throw new UnreadableDocumentError('corrupt', 'empty document');
  for (const [sig, name] of SIGNATURES) {
    if (sig.every((b, i) => bytes[start + i] === b)) {
      throw new UnreadableDocumentError('unsupported_format', `not HTML: the bytes are a ${name} file`);
    }
  }
  // NUL bytes never occur in text encodings we read as HTML (UTF-16 is
  // recognised by its BOM before we get here).
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!utf16) {
    const n = Math.min(bytes.length, 8192);
    let controls = 0;
    for (let i = 0; i < n; i++) {
      const b = bytes[i];
      if (b === 0) throw new UnreadableDocumentError('unsupported_format', 'not HTML: binary data (NUL bytes)');
      if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) controls++;
    }
    if (controls > n / 20) throw new UnreadableDocumentError('unsupported_format', 'not HTML: binary data (control bytes)');
  }
}

function resolveHref(href: string, base: string | undefined): string {
  if (!base) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

export interface HtmlStringOptions {
  format?: SourceFormat;
  url?: string;
  /** Take the whole document as the body (converted DOCX: there is no site chrome). */
  whole?: boolean;
  warnings?: ParseWarning[];
  /** Pictures of the body will be read by OCR: a body of pictures only is not an error here. */
  images?: boolean;
}

/** The extractor behind extractHtml and extractDocx, from already decoded text. */
export function extractHtmlString(html: string, opts: HtmlStringOptions = {}): DocModel {
  const warnings: ParseWarning[] = [...(opts.warnings ?? [])];
  const $ = load(html);
  const walk = walkDocument($.root()[0] as unknown as DomNode);

  const meta = collectMeta(walk.metaTags);
  if (walk.titleTag) meta.title = walk.titleTag;
  if (opts.url) meta.url = opts.url;

  const pictures = opts.images === true && walk.images.length > 0;
  if (walk.blocks.length === 0 && !pictures) {
    if (walk.body.images > 0) throw new UnreadableDocumentError('image_only', 'the document has images but no text');
    throw new UnreadableDocumentError('corrupt', 'the document has no text');
  }

  const sel = selectBody(walk, opts.whole);
  if (sel.via === 'scoring') {
    warnings.push({ code: 'body_scored', message: 'no known content container; article body chosen by text density' });
  }
  if (sel.extraTables.length > 0) {
    warnings.push({
      code: 'table_outside_body',
      message: `${sel.extraTables.length} report table(s) found outside the article body were kept`,
    });
  }
  const extra = new Set(sel.extraTables);
  const chosen = walk.blocks.filter((b) => (b.ordinal >= sel.start && b.ordinal < sel.end) || extra.has(b.ordinal));

  const blocks: Block[] = [];
  let tableIndex = 0;
  for (const b of chosen) {
    if (b.kind === 'text') {
      blocks.push({ kind: 'text', text: b.text });
      continue;
    }
    const index = tableIndex++;
    blocks.push({ kind: 'table', rows: b.rows, index });
    if (b.padded.length > 0) {
      warnings.push({
        code: 'ragged_table',
        message: `ragged table: ${b.padded.length} row(s) shorter than the widest row were padded with blank cells (rows ${b.padded.join(', ')})`,
        at: { table: index, row: b.padded[0] },
      });
    }
  }
  const images = bodyImages(walk, sel, chosen, opts.url);
  if (blocks.length === 0 && !(pictures && images.length > 0)) throw new UnreadableDocumentError('corrupt', 'the document body has no text');

  const attachments = walk.attachments
    .filter((a) => a.ordinal >= sel.start && a.ordinal <= sel.end)
    .map((a) => resolveHref(a.href, opts.url));
  if (attachments.length > 0) meta.attachments = [...new Set(attachments)].join('\n');

  const title = chooseTitle(meta, walk.headings, chosen, sel, walk.titleTag);
  const doc: DocModel = { format: opts.format ?? 'html', blocks, meta, warnings };
  if (title) doc.title = title;
  if (images.length > 0) doc.images = images;
  return doc;
}

/** Han characters under which a body counts as having no text of its own (a title, a date, a line of introduction). */
const BODY_TEXT_HAN = 150;

/**
 * The body's pictures, each placed before the first body block after it.
 * A body of pictures only has no text for the body finder to go by: then the
 * tightest known content container that holds pictures is taken, else the
 * whole page's pictures (icons and logos among them are told apart by size
 * when they are decoded).
 */
function bodyImages(walk: WalkResult, sel: BodySelection, chosen: readonly RawBlock[], url: string | undefined): BodyImage[] {
  let range: { start: number; end: number } = sel;
  const inRange = (o: number, r: { start: number; end: number }) => o >= r.start && o < r.end;
  let han = 0;
  for (const b of chosen) han += b.han;
  // Only a body with (almost) no text of its own can be pictures kept elsewhere; a text body's pictures are its own.
  if (han < BODY_TEXT_HAN && !chosen.some((b) => b.kind === 'table') && !walk.images.some((i) => inRange(i.ordinal, range))) {
    const holder = walk.elements.filter((e) => e.rank >= 0 && e.images > 0).sort((a, b) => a.rank - b.rank || b.depth - a.depth)[0];
    range = holder ?? walk.body;
  }
  const out: BodyImage[] = [];
  let k = 0;
  for (const img of walk.images) {
    if (!inRange(img.ordinal, range) || /^(?:javascript|about|blob):/i.test(img.src)) continue;
    while (k < chosen.length && chosen[k].ordinal < img.ordinal) k++;
    out.push({ src: img.src.startsWith('data:') ? img.src : resolveHref(img.src, url), before: k, ...(img.link ? { link: true } : {}) });
  }
  return out;
}

/** Decode and extract an HTML page (a full page with site chrome, or a bare fragment). */
export function extractHtml(bytes: Uint8Array, meta?: { charset?: string; url?: string; images?: boolean }): DocModel {
  rejectNonHtml(bytes);
  const decoded = decodeText(bytes, meta?.charset);
  const doc = extractHtmlString(decoded.text, { format: 'html', url: meta?.url, warnings: decoded.warnings, images: meta?.images });
  doc.meta.charset = decoded.charset;
  return doc;
}

/**
 * The URLs of the pictures in a page's article body, in document order (the
 * crawler fetches these for the parser's OCR): the same body extractHtml
 * reads, so exactly the pictures the parse will look for. Inline data: images
 * need no fetching and are left out; so are other schemes than http(s) unless
 * `schemes` names them (file: for a page read from disk). Not HTML, or no body: none.
 */
export function bodyImageUrls(bytes: Uint8Array, url: string, charset?: string, schemes: readonly string[] = ['http:', 'https:']): string[] {
  try {
    const doc = extractHtml(bytes, { charset, url, images: true });
    const wanted = (s: string) => schemes.some((x) => s.toLowerCase().startsWith(x));
    return [...new Set((doc.images ?? []).map((i) => i.src).filter(wanted))];
  } catch {
    return [];
  }
}

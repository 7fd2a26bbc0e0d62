// Makes a "without rulings" variant of a real PDF: every painted path (the
// strokes and filled rectangles that draw table borders and cell shading) is
// removed from the page content streams and the Form XObjects they use,
// while text, images and clipping paths stay. The result is what a producer
// that draws tables without borders would give: the same positioned text,
// no lines for the ruled-table path to find.
//
// Used by the stream-table tests to build their documents in memory from the
// corpus PDFs (nothing invented: the text and numbers are the real report's).
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, decodePDFRawStream, type PDFObject } from 'pdf-lib';

const PATH_OPS = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're']);
const PAINT_OPS = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*']);
const CLIP_OPS = new Set(['W', 'W*']);

const isWhite = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDelim = (c: number) => '()<>[]{}/%'.includes(String.fromCharCode(c));

/**
 * Splits a content stream into operations: each is the raw bytes of its
 * operands and operator, and the operator name. Strings, hex strings,
 * arrays, dictionaries, comments and inline images are skipped over intact.
 */
export function splitOperations(src: string): { raw: string; op: string }[] {
  const out: { raw: string; op: string }[] = [];
  let start = 0;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (isWhite(c)) { i++; continue; }
    if (c === 0x25 /* % */) { while (i < n && src[i] !== '\n' && src[i] !== '\r') i++; continue; }
    if (c === 0x28 /* ( */) {
      let depth = 0;
      for (; i < n; i++) {
        const ch = src[i];
        if (ch === '\\') { i++; continue; }
        if (ch === '(') depth++;
        else if (ch === ')' && --depth === 0) { i++; break; }
      }
      continue;
    }
    if (c === 0x3c /* < */) {
      if (src[i + 1] === '<') { i += 2; continue; }
      const end = src.indexOf('>', i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === 0x3e /* > */ || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) { i++; continue; }
    if (c === 0x2f /* / */) {
      i++;
      while (i < n && !isWhite(src.charCodeAt(i)) && !isDelim(src.charCodeAt(i))) i++;
      continue;
    }
    // A bare token: a number or an operator.
    let j = i;
    while (j < n && !isWhite(src.charCodeAt(j)) && !isDelim(src.charCodeAt(j))) j++;
    const tok = src.slice(i, j);
    i = j;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(tok) || tok === 'true' || tok === 'false' || tok === 'null') continue;
    if (tok === 'BI') {
      // Inline image: its data runs from ID to the EI that ends it.
      const id = src.indexOf('ID', i);
      let k = id + 3;
      while (k < n) {
        const ei = src.indexOf('EI', k);
        if (ei < 0) { k = n; break; }
        if (isWhite(src.charCodeAt(ei - 1)) && (ei + 2 >= n || isWhite(src.charCodeAt(ei + 2)))) { k = ei + 2; break; }
        k = ei + 2;
      }
      i = k;
      out.push({ raw: src.slice(start, i), op: 'BI' });
      start = i;
      continue;
    }
    out.push({ raw: src.slice(start, i), op: tok });
    start = i;
  }
  if (start < n) out.push({ raw: src.slice(start), op: '' });
  return out;
}

/** The content stream without painted paths; clipping paths (… W n) are kept. */
export function stripPaintedPaths(src: string): { text: string; removed: number } {
  let out = '';
  let pending = '';
  let removed = 0;
  for (const { raw, op } of splitOperations(src)) {
    if (PATH_OPS.has(op) || CLIP_OPS.has(op)) { pending += raw; continue; }
    if (PAINT_OPS.has(op)) { pending = ''; removed++; out += ' '; continue; }
    out += pending + raw;
    pending = '';
  }
  return { text: out + pending, removed };
}

function rewriteStream(doc: PDFDocument, ref: PDFRef, done: Set<string>): number {
  const key = ref.toString();
  if (done.has(key)) return 0;
  done.add(key);
  const stream = doc.context.lookup(ref);
  if (!(stream instanceof PDFRawStream)) return 0;
  const bytes = decodePDFRawStream(stream).decode();
  const { text, removed } = stripPaintedPaths(Buffer.from(bytes).toString('latin1'));
  let count = removed;
  // Form XObjects used by this stream may draw borders too.
  count += rewriteForms(doc, stream.dict.lookup(PDFName.of('Resources')), done);
  const dict = stream.dict.clone(doc.context);
  dict.delete(PDFName.of('Filter'));
  dict.delete(PDFName.of('DecodeParms'));
  dict.delete(PDFName.of('Length'));
  const fresh = doc.context.flateStream(Buffer.from(text, 'latin1'), Object.fromEntries(
    dict.entries().map(([k, v]) => [k.asString().slice(1), v]),
  ) as Record<string, PDFObject>);
  doc.context.assign(ref, fresh);
  return count;
}

function rewriteForms(doc: PDFDocument, resources: PDFObject | undefined, done: Set<string>): number {
  if (!(resources instanceof PDFDict)) return 0;
  const xobjects = resources.lookup(PDFName.of('XObject'));
  if (!(xobjects instanceof PDFDict)) return 0;
  let count = 0;
  for (const [, value] of xobjects.entries()) {
    if (!(value instanceof PDFRef)) continue;
    const obj = doc.context.lookup(value);
    if (obj instanceof PDFRawStream && obj.dict.lookup(PDFName.of('Subtype')) === PDFName.of('Form')) {
      count += rewriteStream(doc, value, done);
    }
  }
  return count;
}

/** The PDF with every painted path removed, and how many were removed. */
export async function stripRulings(bytes: Uint8Array): Promise<{ bytes: Uint8Array; removed: number }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const done = new Set<string>();
  let removed = 0;
  for (const page of doc.getPages()) {
    const contents = page.node.get(PDFName.of('Contents'));
    const refs: PDFRef[] = [];
    if (contents instanceof PDFRef) {
      const target = doc.context.lookup(contents);
      if (target instanceof PDFRawStream) refs.push(contents);
      else if (target && 'asArray' in target) refs.push(...(target as { asArray(): PDFObject[] }).asArray().filter((x): x is PDFRef => x instanceof PDFRef));
    } else if (contents && 'asArray' in contents) {
      refs.push(...(contents as { asArray(): PDFObject[] }).asArray().filter((x): x is PDFRef => x instanceof PDFRef));
    }
    for (const ref of refs) removed += rewriteStream(doc, ref, done);
    removed += rewriteForms(doc, page.node.Resources(), done);
  }
  return { bytes: await doc.save({ useObjectStreams: false }), removed };
}

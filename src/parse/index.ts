// src/parse: pure parsers, document bytes + meta → ReportRecord (values, checks, narrative, warnings); no I/O, so the archive can be re-parsed offline.
//
// parseDocument: bytes + where they came from → the canonical ReportRecord.
// A pure function of its input (no I/O), so the raw archive can be re-parsed
// offline by any later parser version. The format is sniffed from the bytes
// first and the declared type second, because government sites often serve
// PDFs as application/octet-stream and HTML as text/plain.
import { createHash } from 'node:crypto';
import type { DocModel, ParseMeta, ReportRecord, SourceFormat, SourceInfo } from './types.ts';
import { UnreadableDocumentError } from './errors.ts';
import { interpret, PARSER_VERSION } from './interpret/index.ts';
import { extractText } from './text/extract-text.ts';
import { sniffImage } from './ocr/image-decode.ts';

export { PARSER_VERSION };
export { UnreadableDocumentError } from './errors.ts';
export { bodyImageUrls } from './html/index.ts';
export type { ReportRecord, ParseMeta } from './types.ts';

/** Documents larger than this are refused before any parsing work. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

export function sniffFormat(bytes: Uint8Array, meta: ParseMeta = {}): SourceFormat | 'unknown' {
  if (sniffImage(bytes)) return 'image';
  const head = Buffer.from(bytes.subarray(0, 1024));
  const ascii = head.toString('latin1');
  // Some servers put junk before the header; readers accept it within the first KB.
  if (ascii.startsWith('%PDF') || ascii.includes('%PDF-')) return 'pdf';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    return /\.wps$/i.test(meta.path ?? meta.url ?? '') ? 'wps' : 'doc';
  }
  if (ascii.startsWith('PK')) {
    const name = (meta.path ?? meta.url ?? '').toLowerCase();
    if (name.endsWith('.ofd') || Buffer.from(bytes).includes('OFD.xml')) return 'ofd';
    return 'docx';
  }
  // Declared a picture but not recognisable as one: read as an image, so the error says it cannot be decoded.
  if (/^image\/(?!svg)/i.test(meta.contentType ?? '') || /\.(jpe?g|png|gif|bmp|tiff?|webp)$/i.test(meta.path ?? meta.url ?? '')) return 'image';
  const hint = `${meta.contentType ?? ''} ${meta.path ?? meta.url ?? ''}`.toLowerCase();
  const text = head.toString('utf8').replace(/^\ufeff/, '').trimStart().toLowerCase();
  if (/^<(!doctype|html|head|body|meta|div|p|table|span|\?xml|!--)/.test(text) || /html|\.s?html?\b|\.htm\b/.test(hint)) return 'html';
  if (/<(p|div|table|br)[\s>]/i.test(head.toString('utf8'))) return 'html';
  return 'text';
}

async function extract(bytes: Uint8Array, format: SourceFormat, meta: ParseMeta): Promise<DocModel> {
  switch (format) {
    case 'pdf': {
      const { extractPdf } = await import('./pdf/index.ts');
      // pdfjs refuses Node Buffers and may detach what it is given: hand it a copy.
      return extractPdf(new Uint8Array(bytes), meta.limits);
    }
    case 'docx': {
      const { extractDocx } = await import('./docx/index.ts');
      return withBodyImages(await extractDocx(bytes), meta);
    }
    case 'doc':
    case 'wps': {
      const { extractDoc } = await import('./doc/index.ts');
      return extractDoc(bytes, format);
    }
    case 'html': {
      const { extractHtml } = await import('./html/index.ts');
      return withBodyImages(extractHtml(bytes, { charset: meta.charset, url: meta.url, images: (meta.images?.length ?? 0) > 0 }), meta);
    }
    case 'image': {
      const { extractImage } = await import('./ocr/image-document.ts');
      return extractImage(bytes);
    }
    case 'text':
      return extractText(bytes);
    case 'ofd': {
      const { extractOfd } = await import('./ofd/index.ts');
      return extractOfd(bytes);
    }
  }
}

/** Pictures in an HTML or DOCX body are read by OCR where the document has any (the OCR code is loaded only then). */
async function withBodyImages(doc: DocModel, meta: ParseMeta): Promise<DocModel> {
  if (!doc.images?.length) return doc;
  if (!meta.images?.length && !doc.images.some((i) => i.bytes || i.src.startsWith('data:'))) {
    // Nothing to read them from (a page parsed from its file alone): the document reads as its text.
    delete doc.images;
    return doc;
  }
  const { readBodyImages } = await import('./ocr/body-images.ts');
  return readBodyImages(doc, meta.images ?? [], meta.limits);
}

export async function parseDocument(bytes: Uint8Array, meta: ParseMeta = {}): Promise<ReportRecord> {
  const name = meta.path ?? meta.url ?? 'document';
  if (bytes.length === 0) throw new UnreadableDocumentError('corrupt', `${name}: the file is empty`);
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new UnreadableDocumentError('too_large', `${name}: ${bytes.length} bytes is over the ${MAX_DOCUMENT_BYTES}-byte limit`);
  }
  const format = sniffFormat(bytes, meta);
  if (format === 'unknown') {
    throw new UnreadableDocumentError('unsupported_format', `${name}: the file's format is not recognised`);
  }
  let doc: DocModel;
  try {
    doc = await extract(bytes, format, meta);
  } catch (e) {
    // Whatever a damaged file makes a library throw, the caller learns one thing: skip this document.
    if (e instanceof UnreadableDocumentError) throw new UnreadableDocumentError(e.reason, e.message.startsWith(name) ? e.message : `${name}: ${e.message}`);
    throw new UnreadableDocumentError('corrupt', `${name}: the ${format.toUpperCase()} could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
  const source: SourceInfo = { sha256: createHash('sha256').update(bytes).digest('hex'), format };
  if (meta.path) source.path = meta.path;
  if (meta.url) source.url = meta.url;
  if (doc.pages !== undefined) source.pages = doc.pages;
  if (doc.imagesRead?.length) source.images = doc.imagesRead;
  const record = interpret(doc, source);
  if (!record.year && !record.agency && record.values.length === 0 && record.narrative.length === 0) {
    // A scan cut short by the OCR page budget says so: its report may be on the pages not read.
    const skipped = record.warnings.find((w) => w.code === 'ocr_pages_skipped');
    throw new UnreadableDocumentError('not_a_report', `${name}: no report title, year, publisher or statistics table found${skipped ? ` (${skipped.message})` : ''}`);
  }
  return record;
}

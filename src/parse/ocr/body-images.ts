// Pictures in the body of a web page or Word document, read by OCR at their
// place: many bodies post the report's tables, or the whole scanned report,
// as images between (or instead of) their paragraphs. The extractor leaves
// the pictures' places in DocModel.images; this step reads each one like a
// scanned page and puts its text and table blocks there, so the interpreter
// sees one document.
//
// Pictures next to each other (nothing but pictures between them) are the
// pages of one scan: they are assembled together, so a table continues from
// one image onto the next as it does across PDF pages. Icons, logos and share
// buttons are skipped by their size before anything is read; a picture that
// cannot be decoded or is over the pixel limit is named in a warning and the
// rest of the document is read.

import { UnreadableDocumentError } from '../errors.js';
import type { PageLayout } from '../pdf/assemble.js';
import { createHash } from 'node:crypto';
import type { ParseLimits } from '../limits.js';
import type { Block, BodyImage, DocModel, ImageSource, ParseImage, ParseWarning } from '../types.js';
import { ImageDecodeError, imageInfo } from './image-decode.js';
import { describeScale, isDecorative, layoutChars, layoutsToBlocks, readImage } from './image-document.js';

/** At most this many pictures of one document are read (each costs seconds of CPU), unless the page budget is lower. */
export const MAX_BODY_IMAGES = 60;

function normalizeUrl(u: string): string {
  try {
    return new URL(u).href;
  } catch {
    return u;
  }
}

function fromDataUri(src: string): Uint8Array | undefined {
  const m = /^data:image\/[\w.+-]+(;[^,]*)?,(.*)$/is.exec(src);
  if (!m) return undefined;
  return m[1]?.includes('base64') ? new Uint8Array(Buffer.from(m[2], 'base64')) : new Uint8Array(Buffer.from(decodeURIComponent(m[2]), 'latin1'));
}

/** The supplied image for a body picture: by its URL, else (a page parsed without its URL) by the end of the URL's path. */
function lookup(src: string, byUrl: Map<string, ParseImage>, supplied: readonly ParseImage[]): ParseImage | undefined {
  const exact = byUrl.get(normalizeUrl(src));
  if (exact) return exact;
  if (/^[a-z][\w+.-]*:/i.test(src)) return undefined;
  const tail = src.replace(/^\.?\//, '').replace(/[?#].*$/, '');
  return tail ? supplied.find((s) => s.url.replace(/[?#].*$/, '').endsWith(`/${tail}`)) : undefined;
}

/** A short name for warnings: the file name, not a whole data: URI. */
function nameOf(src: string): string {
  if (src.startsWith('data:')) return 'an inline data: image';
  return src.length > 120 ? `…${src.slice(-100)}` : src;
}

interface Picture extends BodyImage {
  n: number;
  /** The bytes came from ParseMeta.images (not from the document itself). */
  supplied: boolean;
}

export async function readBodyImages(doc: DocModel, supplied: readonly ParseImage[], limits: ParseLimits = {}): Promise<DocModel> {
  const places = doc.images ?? [];
  delete doc.images;
  const byUrl = new Map(supplied.map((s) => [normalizeUrl(s.url), s]));
  const pictures: Picture[] = [];
  const seen = new Set<string>();
  for (const p of places) {
    const own = p.bytes ?? fromDataUri(p.src);
    const bytes = own ?? lookup(p.src, byUrl, supplied)?.bytes;
    const key = p.src.startsWith('data:') ? `${p.src.length}:${p.src.slice(-64)}` : normalizeUrl(p.src);
    if (seen.has(key)) continue;
    seen.add(key);
    const prev = pictures[pictures.length - 1];
    // A thumbnail inside a link to its full-size image: one picture, the bigger one if it was supplied.
    if (prev?.link && !p.link && prev.before === p.before) {
      if (prev.bytes) continue;
      pictures.pop();
    }
    pictures.push({ ...p, bytes, n: pictures.length + 1, supplied: !own && bytes !== undefined });
  }
  pictures.forEach((p, i) => (p.n = i + 1));
  // Nothing was given to the parser (a page parsed from a file alone): the document reads as before.
  if (!pictures.some((p) => p.bytes)) {
    if (doc.blocks.length === 0) throw new UnreadableDocumentError('image_only', 'the body is pictures only, and they were not supplied to the parser');
    return doc;
  }
  const missing = pictures.filter((p) => !p.bytes && !p.link);
  if (missing.length > 0) {
    doc.warnings.push({ code: 'image_not_supplied', message: `${missing.length} picture(s) of the body were not supplied, so not read: ${missing.slice(0, 5).map((p) => nameOf(p.src)).join(', ')}${missing.length > 5 ? ', …' : ''}` });
  }

  const warnings: ParseWarning[] = [];
  const read: string[] = [];
  const imagesRead: ImageSource[] = [];
  const inserts: { before: number; blocks: Block[] }[] = [];
  let group: PageLayout[] = [];
  let groupBefore = -1;
  // The same limits as scanned PDF pages: a page budget, and a deadline the
  // pool extends by its per-page allowance once it knows how many pictures
  // will be read (decorative ones are counted too: they cost nothing, so the
  // allowance is only generous). Without limits (a direct call) nothing is cut.
  const maxImages = Math.min(MAX_BODY_IMAGES, Math.max(1, limits.ocrMaxPages ?? MAX_BODY_IMAGES));
  let budget = maxImages;
  const deadline = limits.onOcrPlan?.(Math.min(maxImages, pictures.filter((p) => p.bytes).length)) ?? limits.deadline ?? Infinity;
  const late: number[] = [];
  const closeGroup = () => {
    if (group.length > 0) inserts.push({ before: groupBefore, blocks: layoutsToBlocks(group, warnings) });
    group = [];
  };
  for (const p of pictures) {
    if (!p.bytes) continue;
    if (p.before !== groupBefore) closeGroup();
    groupBefore = p.before;
    const name = `image ${p.n} (${nameOf(p.src)})`;
    try {
      const info = await imageInfo(p.bytes);
      if (isDecorative(info)) continue;
      if (budget-- <= 0) {
        warnings.push({ code: 'ocr_image_skipped', message: `${name}: not read, the document has more than ${maxImages} pictures (the page budget, --ocr-max-pages)`, at: { page: p.n } });
        continue;
      }
      if (Date.now() > deadline) {
        late.push(p.n);
        continue;
      }
      const r = await readImage(p.bytes, p.n, warnings, info, true);
      if (r.photo !== undefined) {
        warnings.push({ code: 'ocr_image_no_text', message: `${name}: ${r.width}×${r.height} pixels, looks like a photograph (${Math.round(r.photo * 100)} % of it paper-white), not read`, at: { page: p.n } });
        continue;
      }
      if (layoutChars(r.layout) < 4) {
        warnings.push({ code: 'ocr_image_no_text', message: `${name}: ${r.width}×${r.height} pixels, OCR found no text in it (a photo or drawing?)`, at: { page: p.n } });
        continue;
      }
      group.push(r.layout);
      if (p.supplied) imagesRead.push({ url: p.src, sha256: createHash('sha256').update(p.bytes).digest('hex') });
      read.push(`${p.n} (${nameOf(p.src)}, ${r.width}×${r.height}, ${describeScale(r.scale)})`);
    } catch (err) {
      if (!(err instanceof ImageDecodeError)) throw err;
      warnings.push({ code: 'ocr_image_unreadable', message: `${name}: ${err.message}`, at: { page: p.n } });
    }
  }
  closeGroup();
  if (late.length > 0) {
    warnings.push({ code: 'ocr_image_skipped', message: `image(s) ${late.join(', ')} not read: the parse's time limit was reached; parse with a larger --timeout or --ocr-page-seconds to read them`, at: { page: late[0] } });
  }

  // Splice the read blocks in, then number the tables in their new order (warnings follow their table).
  const renumber = new Map<Block, number>();
  const blocks: Block[] = [];
  const oldIndex = new Map<Block, { from: 'doc' | number; index: number }>();
  doc.blocks.forEach((b) => b.kind === 'table' && oldIndex.set(b, { from: 'doc', index: b.index }));
  inserts.forEach((ins, gi) => ins.blocks.forEach((b) => b.kind === 'table' && oldIndex.set(b, { from: gi, index: b.index })));
  for (let i = 0, g = 0; i <= doc.blocks.length; i++) {
    while (g < inserts.length && inserts[g].before === i) blocks.push(...inserts[g++].blocks);
    if (i < doc.blocks.length) blocks.push(doc.blocks[i]);
  }
  let t = 0;
  for (const b of blocks) if (b.kind === 'table') renumber.set(b, t++);
  const remap = (from: 'doc' | number, index: number): number | undefined => {
    for (const [b, o] of oldIndex) if (o.from === from && o.index === index) return renumber.get(b);
    return undefined;
  };
  for (const b of blocks) if (b.kind === 'table') b.index = renumber.get(b)!;
  const fix = (w: ParseWarning, from: 'doc' | number) => {
    if (w.at?.table !== undefined) w.at = { ...w.at, table: remap(from, w.at.table) ?? w.at.table };
  };
  doc.warnings.forEach((w) => fix(w, 'doc'));
  // Warnings from assembling a group name its group-local table numbers: those of the group they came after.
  warnings.forEach((w) => {
    if (w.at?.table === undefined || w.at.page === undefined) return;
    const gi = inserts.findIndex((ins) => ins.blocks.some((b) => b.page === w.at!.page));
    if (gi >= 0) fix(w, gi);
  });

  if (read.length > 0) {
    doc.warnings.push({
      code: 'ocr_used',
      message: `picture(s) of the body read by OCR (PP-OCRv4): image ${read.join('; ')}; each value read there carries ocr.confidence, and its at.page is the picture's number in the body`,
    });
  }
  doc.warnings.push(...warnings);
  doc.blocks = blocks;
  if (imagesRead.length > 0) doc.imagesRead = imagesRead;
  if (blocks.length === 0) throw new UnreadableDocumentError('image_only', 'the body is pictures only, and OCR found no text in them');
  return doc;
}

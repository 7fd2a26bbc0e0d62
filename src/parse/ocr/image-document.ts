// An image (a scanned page, or a table posted as a picture) → the PageLayout
// a scanned PDF page gives, through the same ocrPage; and image files as
// documents of their own (format "image").
//
// A PDF page has a size in points; an image has only pixels, and ocrPage's
// thresholds (border length, line height) are in points. So the resolution
// is estimated: the density the file declares when it is a scanner's
// (120–600 dpi), else an A4 page's width when the image has A4's shape,
// else from the height of its text lines (taken as 10.5-point print, the
// size tables are set in). The estimate is named in the record. Images
// under 170 dpi (screenshots, web renderings at 96 dpi) are enlarged before
// reading (see ENLARGE_TO_DPI), since the recogniser and ocrPage's thresholds were
// set on 150–300-dpi scans (measured on table pictures drawn at 16 px:
// enlarged to 200 dpi a lone thin "1" was lost in 3 cells of 198, at 250 dpi
// none); very fine ones are reduced to 300 dpi.

import { UnreadableDocumentError } from '../errors.js';
import { assemble, type PageLayout } from '../pdf/assemble.js';
import { addStreamTables } from '../pdf/stream-tables.js';
import type { Block, DocModel, ParseWarning } from '../types.js';
import { decodeImage, ImageDecodeError, imageInfo, MAX_IMAGE_PIXELS, type ImageInfo } from './image-decode.js';
import { otsuThreshold, paperLevel, toGray, type Gray } from './image.js';
import { eraseRulings, findRulings } from './rulings.js';
import { ocrPage } from './page.js';

const A4_RATIO = 297 / 210;
const A4_WIDTH_PT = 595;
/** Points of the print an image's text lines are taken to be, where nothing else tells the scale. */
const ASSUMED_TEXT_PT = 10.5;
/** Ink height of a CJK or digit line as a share of its font size. */
const INK_SHARE = 0.85;
/**
 * Low-resolution pictures whose scale was estimated from their text are
 * enlarged to this before reading (a page of known size to 200 dpi, as the
 * PDF path renders): the estimate takes text for 10.5-point print, while
 * tables in screenshots are often set larger, so it errs towards too few pixels.
 */
const ENLARGE_TO_DPI = 250;

export interface ImageScale {
  dpi: number;
  /** How the dpi was found, for the record. */
  how: 'declared' | 'a4' | 'line-height' | 'default';
}

/** The median height (pixels) of the image's text lines, by horizontal projection; undefined when it shows none. */
export function medianLineHeight(img: Gray): number | undefined {
  const threshold = otsuThreshold(img);
  // Table borders put ink in every row they cross: they are erased first
  // (any straight run longer than a small share of the image is a border,
  // and a glyph's long stroke erased with them leaves its line's rows inked).
  const side = Math.min(img.width, img.height);
  const rulings = findRulings(img, Math.max(30, Math.round(0.6 * (paperLevel(img, threshold) - threshold))), Math.max(15, Math.round(side * 0.03)), Math.max(3, Math.round(side / 150)));
  const clean = img.data.slice();
  eraseRulings(clean, img.width, img.height, rulings);
  const heights: number[] = [];
  let start = -1;
  for (let y = 0; y <= img.height; y++) {
    let n = 0;
    if (y < img.height) for (let x = 0, row = y * img.width; x < img.width; x++) if (clean[row + x] <= threshold) n++;
    const ink = n >= 2;
    if (ink && start < 0) start = y;
    if (!ink && start >= 0) {
      const h = y - start;
      // Runs under four pixels are specks; runs over a quarter of the image are pictures.
      if (h >= 4 && h < img.height / 4) heights.push(h);
      start = -1;
    }
  }
  if (heights.length < 2) return undefined;
  heights.sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)];
}

export function estimateScale(info: ImageInfo, img: Gray): ImageScale {
  if (info.density && info.density >= 120 && info.density <= 600) return { dpi: info.density, how: 'declared' };
  const ratio = Math.max(info.width, info.height) / Math.min(info.width, info.height);
  if (Math.abs(ratio - A4_RATIO) < 0.04) {
    const widthPt = info.height >= info.width ? A4_WIDTH_PT : A4_WIDTH_PT * A4_RATIO;
    return { dpi: Math.round((info.width / widthPt) * 72), how: 'a4' };
  }
  const h = medianLineHeight(img);
  if (h !== undefined) return { dpi: Math.round((h / (ASSUMED_TEXT_PT * INK_SHARE)) * 72), how: 'line-height' };
  return { dpi: 150, how: 'default' };
}

export function describeScale(s: ImageScale): string {
  switch (s.how) {
    case 'declared': return `${s.dpi} dpi as the file declares`;
    case 'a4': return `~${s.dpi} dpi, taking it for an A4 page`;
    case 'line-height': return `~${s.dpi} dpi, taking its text lines for ${ASSUMED_TEXT_PT}-point print`;
    case 'default': return `${s.dpi} dpi assumed (no text lines to measure)`;
  }
}

export interface ImageReading {
  layout: PageLayout;
  /** Set when the picture was not read because it looks like a photo: the share of it that is paper-white. */
  photo?: number;
  scale: ImageScale;
  /** Factor the image was enlarged (>1) or reduced (<1) by before reading. */
  factor: number;
  width: number;
  height: number;
}

/** Images smaller than this on either side (or in area) are icons, bullets, logos or share buttons, never a table. */
export const DECORATIVE_SIDE = 48;
export const DECORATIVE_AREA = 150 * 150;

export function isDecorative(info: { width: number; height: number }): boolean {
  return Math.min(info.width, info.height) < DECORATIVE_SIDE || info.width * info.height < DECORATIVE_AREA;
}

/**
 * Share of the picture near its paper level. Printed pages, scans and
 * screenshots of tables are mostly paper (over 60 %, even a dense table);
 * photographs of people, buildings or events spread over all grey levels.
 */
export function paperShare(img: Gray): number {
  const paper = paperLevel(img, otsuThreshold(img));
  let n = 0;
  for (let i = 0; i < img.data.length; i++) if (Math.abs(img.data[i] - paper) <= 40) n++;
  return n / Math.max(1, img.data.length);
}

/** Under this share of paper a body picture is taken for a photograph and not read (it would cost seconds and give noise). */
export const PHOTO_MAX_PAPER = 0.35;

/**
 * Reads one image as page `page`. Throws ImageDecodeError when the image
 * cannot be decoded; the caller says which document and image it was.
 * With `skipPhotos`, a picture that looks like a photograph is not read
 * (`photo` says why).
 */
export async function readImage(bytes: Uint8Array, page: number, warnings: ParseWarning[], info?: ImageInfo, skipPhotos = false): Promise<ImageReading> {
  info ??= await imageInfo(bytes);
  let decoded = await decodeImage(bytes);
  let gray = toGray(decoded.rgba, decoded.width, decoded.height);
  if (skipPhotos) {
    const share = paperShare(gray.img);
    if (share < PHOTO_MAX_PAPER) {
      return { layout: { page, height: decoded.height, lines: [], tables: [] }, photo: share, scale: { dpi: 0, how: 'default' }, factor: 1, width: decoded.width, height: decoded.height };
    }
  }
  // Sizes after the EXIF orientation was applied.
  const scale = estimateScale({ ...info, width: decoded.width, height: decoded.height }, gray.img);
  const target = scale.how === 'a4' || scale.how === 'declared' ? 200 : ENLARGE_TO_DPI;
  let factor = scale.dpi < 170 ? target / scale.dpi : scale.dpi > 400 ? 300 / scale.dpi : 1;
  // Never past the pixel limit, and never more than 4× (a thumbnail is not made readable by enlarging it).
  factor = Math.min(factor, 4, Math.sqrt(MAX_IMAGE_PIXELS / (info.width * info.height)));
  if (Math.abs(factor - 1) > 0.05) {
    decoded = await decodeImage(bytes, factor);
    gray = toGray(decoded.rgba, decoded.width, decoded.height);
  } else factor = 1;
  decoded.rgba = new Uint8Array(0);
  if (factor > 1) darkenStrokes(gray.img);
  const res = await ocrPage({ img: gray.img, scale: (scale.dpi * factor) / 72, page, redPixels: gray.redPixels, ...(gray.seal ? { seal: gray.seal } : {}) }, warnings);
  if (Math.abs(res.skew) >= 0.05) {
    warnings.push({ code: 'ocr_deskewed', message: `image ${page}: the scan was tilted ${res.skew}°; straightened before reading`, at: { page } });
  }
  return { layout: res.layout, scale, factor, width: info.width, height: info.height };
}

/**
 * Thin strokes of small print are anti-aliased to grey on a screen and
 * stay grey when enlarged: below a knee 40 levels under the paper, darkness
 * is raised to the power 0.5 (a 40 %-dark stroke pixel becomes 63 % dark),
 * so a thin digit keeps enough ink to be found and read. Measured on table
 * pictures of five corpus reports drawn at 14–16 px: without it a lone serif
 * "7" or "1" was lost in 1–4 cells of 200 per report; with it none, PNG or JPEG.
 * Only for pictures enlarged from under 170 dpi (screenshots, coarse scans;
 * the 150-dpi page scans of the tests read as well with it as without).
 */
export function darkenStrokes(img: Gray): void {
  const paper = paperLevel(img, otsuThreshold(img));
  const lut = new Uint8Array(256);
  // Within 40 levels of paper nothing changes: JPEG ringing and scanner noise live there.
  const knee = Math.max(1, paper - 40);
  for (let v = 0; v < 256; v++) lut[v] = v >= knee ? v : Math.round(knee * (1 - Math.sqrt((knee - v) / knee)));
  for (let i = 0; i < img.data.length; i++) img.data[i] = lut[img.data[i]];
}

/** Letters and digits a layout holds. */
export function layoutChars(layout: PageLayout): number {
  let n = 0;
  const count = (t: string) => (t.match(/[\p{L}\p{N}]/gu) ?? []).length;
  for (const l of layout.lines) n += count(l.text);
  for (const t of layout.tables) for (const c of t.cells) n += count(c.text);
  return n;
}

/** Layouts of consecutive images (pages of one scan) → blocks, by the PDF path's assembly: a table continues across them. */
export function layoutsToBlocks(layouts: PageLayout[], warnings: ParseWarning[]): Block[] {
  return assemble(addStreamTables(layouts, warnings), warnings);
}

/** An image file as a document: one page, read by OCR. */
export async function extractImage(bytes: Uint8Array): Promise<DocModel> {
  const warnings: ParseWarning[] = [];
  let reading: ImageReading;
  try {
    reading = await readImage(bytes, 1, warnings);
  } catch (err) {
    if (err instanceof ImageDecodeError) throw new UnreadableDocumentError(err.reason, err.message);
    throw err;
  }
  if (layoutChars(reading.layout) < 10) {
    throw new UnreadableDocumentError('image_only', `OCR found no text in the ${reading.width}×${reading.height} image`);
  }
  warnings.push({
    code: 'ocr_used',
    message: `the document is an image (${reading.width}×${reading.height} pixels, ${describeScale(reading.scale)}${reading.factor !== 1 ? `, resampled ×${reading.factor.toFixed(2)}` : ''}): read by OCR (PP-OCRv4); each value read there carries ocr.confidence`,
  });
  const blocks = layoutsToBlocks([reading.layout], warnings);
  return { format: 'image', blocks, meta: {}, pages: 1, warnings };
}

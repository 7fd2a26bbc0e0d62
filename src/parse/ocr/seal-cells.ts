// Cells under a seal. Removing the seal's red (see toGray) also lightens the
// black print under it: JPEG keeps colour at half resolution, so the thin
// strokes of a digit stamped over take the seal's tint and turn pale, while
// the seal's rim and letters leave faint grey outlines that widen the ink
// box of the cell's print and mislead the recogniser. Such a cell is read a
// second time from a copy that keeps only its dark print (see keepDarkInk),
// and the better reading is kept; the page says how many cells took the
// second reading.

import type { Box, Gray } from './image.js';
import { otsuThreshold, paperLevel } from './image.js';
import type { Reading } from './recognize.js';

const isWords = (text: string) => (text.match(/\p{Script=Han}/gu) ?? []).length >= 2;

/** Share of the box's pixels where the seal was removed. */
export function sealShare(seal: Gray, b: Box): number {
  const x0 = Math.max(0, Math.floor(b.x0)), x1 = Math.min(seal.width, Math.ceil(b.x1));
  const y0 = Math.max(0, Math.floor(b.y0)), y1 = Math.min(seal.height, Math.ceil(b.y1));
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (seal.data[y * seal.width + x] < 128) n++;
  return n / Math.max(1, (x1 - x0) * (y1 - y0));
}

/**
 * The box of `img` keeping only its dark print, written into `out` (a copy
 * of the page): pixels lighter than halfway between the box's darkest pixels
 * and its paper become paper, the rest is stretched to black. The seal's
 * ghost outlines are light grey and vanish; print under or beside the seal
 * stays. Returns the threshold for ink in `out`, or null when the box holds
 * no dark print (blank paper, or only the seal's ghosts).
 */
export function keepDarkInk(img: Gray, out: Gray, b: Box, minSpeck: number): number | null {
  const x0 = Math.max(0, Math.floor(b.x0)), x1 = Math.min(img.width, Math.ceil(b.x1));
  const y0 = Math.max(0, Math.floor(b.y0)), y1 = Math.min(img.height, Math.ceil(b.y1));
  const w = x1 - x0, h = y1 - y0;
  if (w <= 2 || h <= 2) return null;
  const local: Gray = { width: w, height: h, data: new Uint8Array(w * h) };
  for (let y = 0; y < h; y++) local.data.set(img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x1), y * w);
  const paper = paperLevel(local, otsuThreshold(local));
  const sorted = Uint8Array.from(local.data).sort();
  // The print's level: the darkest few pixels (a lone digit covers under 1 % of its cell).
  const ink = sorted[Math.min(sorted.length - 1, Math.max(5, Math.floor(sorted.length * 0.002)))];
  if (paper - ink < 80) return null;
  const cut = (ink + paper) / 2;
  const dark = new Uint8Array(w * h);
  for (let i = 0; i < dark.length; i++) dark[i] = local.data[i] <= cut ? 1 : 0;
  dropSpecks(dark, w, h, minSpeck);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = local.data[y * w + x];
      out.data[(y0 + y) * out.width + x0 + x] = dark[y * w + x] ? Math.round((Math.max(0, v - ink) * 200) / (cut - ink)) : 255;
    }
  }
  return 200;
}

/**
 * Clears 8-connected groups of fewer than `min` set pixels: noise and the
 * darkest remains of the seal, scattered over the cell. A small group on the
 * line of a larger one, next to it and before another (a decimal point, a
 * comma) is print.
 */
function dropSpecks(mask: Uint8Array, w: number, h: number, min: number): void {
  const seen = new Uint8Array(mask.length);
  const stack: number[] = [];
  interface Group { px: number[]; x0: number; x1: number; y0: number; y1: number }
  const groups: Group[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    const g: Group = { px: [], x0: w, x1: 0, y0: h, y1: 0 };
    stack.push(start);
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop() as number;
      g.px.push(i);
      const x = i % w, y = (i - x) / w;
      g.x0 = Math.min(g.x0, x); g.x1 = Math.max(g.x1, x); g.y0 = Math.min(g.y0, y); g.y1 = Math.max(g.y1, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy, j = yy * w + xx;
          if (xx >= 0 && yy >= 0 && xx < w && yy < h && mask[j] && !seen[j]) { seen[j] = 1; stack.push(j); }
        }
      }
    }
    groups.push(g);
  }
  const big = groups.filter((g) => g.px.length >= min);
  for (const g of groups) {
    if (g.px.length >= min) continue;
    const onLine = big.filter((b) => g.y0 >= b.y0 - 1 && g.y1 <= b.y1 + 2);
    const besideBig = onLine.some((b) => Math.max(b.x0 - g.x1, g.x0 - b.x1, 0) <= 0.6 * (b.y1 - b.y0 + 1));
    // A decimal point or a comma has print after it: a speck after the
    // last character is the seal's (a "0" read "0.").
    const before = onLine.some((b) => b.x0 > g.x1);
    if (!besideBig || !before) for (const i of g.px) mask[i] = 0;
  }
}

/**
 * The better of two readings of one cell. The first (from the seal-removed
 * page) stands when the recogniser was sure of it (≥ 0.9): the dark-print
 * copy can lose thin strokes (the "一" of "上一年"). A blank reading says
 * nothing of the recogniser's certainty (its confidence is 1 by
 * convention): a non-blank reading beats it when read at ≥ 0.7, which the
 * seal's ghost outlines read as text come far below. Otherwise the more
 * confident reading wins. Only numbers, blanks and stray marks are read again.
 */
export function betterReading(a: Reading, b: Reading): 'first' | 'second' {
  const blankA = a.text.trim() === '', blankB = b.text.trim() === '';
  if (blankA && blankB) return 'first';
  // Labels (two or more CJK characters) are matched to the template's labels loosely, and the dark-print
  // copy reads them no better; numbers are what a seal spoils.
  if (isWords(a.text) || isWords(b.text)) return 'first';
  if (blankA) return b.confidence >= 0.7 ? 'second' : 'first';
  if (a.confidence >= 0.9) return 'first';
  if (blankB) return a.confidence >= 0.7 ? 'first' : 'second';
  return b.confidence > a.confidence ? 'second' : 'first';
}

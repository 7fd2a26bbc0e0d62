// Lines of text inside a box of a page (a table cell, or the page outside
// its tables) by horizontal projection: pixel rows with ink form a line,
// runs of blank rows separate lines. Within a line, a gap wider than a few
// character heights separates two pieces (a title and a right-aligned unit,
// a name and a date), each read on its own.

import type { Box, Gray } from './image.js';
import { inkBox } from './recognize.js';

function inkProfile(img: Gray, b: Box, threshold: number, axis: 'rows' | 'cols'): Uint16Array {
  const x0 = Math.max(0, Math.round(b.x0)), x1 = Math.min(img.width, Math.round(b.x1));
  const y0 = Math.max(0, Math.round(b.y0)), y1 = Math.min(img.height, Math.round(b.y1));
  const prof = new Uint16Array(Math.max(0, axis === 'rows' ? y1 - y0 : x1 - x0));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (img.data[y * img.width + x] <= threshold) prof[axis === 'rows' ? y - y0 : x - x0]++;
    }
  }
  return prof;
}

/** Maximal runs of profile entries ≥ min, joined across gaps ≤ maxGap. */
function bands(prof: Uint16Array, min: number, maxGap: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1, last = -1;
  for (let i = 0; i <= prof.length; i++) {
    const on = i < prof.length && prof[i] >= min;
    if (on) {
      if (start < 0) start = i;
      last = i;
    } else if (start >= 0 && (i - last > maxGap || i === prof.length)) {
      out.push([start, last + 1]);
      start = -1;
    }
  }
  return out;
}

/**
 * Text line boxes (ink boxes, padded for the recogniser) in `b`, top to
 * bottom and left to right. `minHeight` (pixels) drops specks and stray
 * remains of borders that are no text.
 */
export function textLines(img: Gray, b: Box, threshold: number, minHeight: number): Box[] {
  // One ink pixel makes a row part of a line: the stem of a thin "1" or of
  // a light "5" scanned grey has one or two pixels above the threshold per
  // row, and asking for two cut such a digit into specks below minHeight.
  const rows = bands(inkProfile(img, b, threshold, 'rows'), 1, 1);
  const out: Box[] = [];
  for (const [r0, r1] of rows) {
    if (r1 - r0 < minHeight) continue;
    const band: Box = { x0: b.x0, x1: b.x1, y0: b.y0 + r0, y1: b.y0 + r1 };
    const h = r1 - r0;
    for (const [c0, c1] of bands(inkProfile(img, band, threshold, 'cols'), 1, Math.round(2.5 * h))) {
      const piece = inkBox(img, { x0: band.x0 + c0, x1: band.x0 + c1, y0: Math.max(b.y0, band.y0 - 3), y1: Math.min(b.y1, band.y1 + 3) }, threshold);
      if (piece && piece.x1 - piece.x0 >= minHeight * 0.5) out.push(piece);
    }
  }
  return out;
}

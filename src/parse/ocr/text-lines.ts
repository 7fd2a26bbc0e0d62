// Lines of text inside a box of a page (a table cell, or the page outside
// its tables) by horizontal projection: pixel rows with ink form a line,
// runs of blank rows separate lines. Within a line, a gap wider than a few
// character heights separates two pieces (a title and a right-aligned unit,
// a name and a date), each read on its own.

import type { Box, Gray } from './image.js';
import { inkBox } from './recognize.js';
import { ColumnEvidence } from './free-columns.js';

export function inkProfile(img: Gray, b: Box, threshold: number, axis: 'rows' | 'cols'): Uint16Array {
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

/** Pixel rows (from b.y0) of the lines of text in `b`. */
export function lineRows(img: Gray, b: Box, threshold: number, minHeight: number): [number, number][] {
  return bands(inkProfile(img, b, threshold, 'rows'), 1, 1).filter(([r0, r1]) => r1 - r0 >= minHeight);
}

/**
 * Text line boxes (ink boxes, padded for the recogniser) in `b`, top to
 * bottom and left to right. `minHeight` (pixels) drops specks and stray
 * remains of borders that are no text.
 *
 * With `columnGap` (a multiple of the page's usual line height), a line is
 * also cut wherever its ink leaves a gap that wide: on a page whose table
 * has no ruling lines, a "line" across the page is a table row, and its
 * label and numbers must come out as separate pieces at their own
 * positions (read whole, the numbers of a row run together). Each piece
 * then gets its own lines: a label wrapped over two lines beside a number
 * centred between them is two lines and a number, not one tall band.
 */
export function textLines(img: Gray, b: Box, threshold: number, minHeight: number, columnGap?: number): Piece[] {
  // One ink pixel makes a row part of a line: the stem of a thin "1" or of
  // a light "5" scanned grey has one or two pixels above the threshold per
  // row, and asking for two cut such a digit into specks below minHeight.
  const rows = lineRows(img, b, threshold, minHeight);
  const heights = rows.map(([r0, r1]) => r1 - r0).sort((p, q) => p - q);
  const usual = heights.length ? heights[Math.floor(heights.length / 2)] : 0;
  const out: Piece[] = [];
  const columns = columnGap !== undefined ? new ColumnEvidence(img, b, threshold, rows) : null;
  for (const [r0, r1] of rows) {
    const band: Box = { x0: b.x0, x1: b.x1, y0: b.y0 + r0, y1: b.y0 + r1 };
    const h = r1 - r0;
    const gap = columnGap !== undefined ? Math.max(2, Math.round(columnGap * Math.min(h, usual))) : Math.round(2.5 * h);
    for (const [c0, c1] of bands(inkProfile(img, band, threshold, 'cols'), 1, gap)) {
      // A little paper either side of a narrow piece (the column gap is
      // wider): inkBox pads the ink for the recogniser only within the box
      // it is given, and a lone "1" cropped to its stroke reads as nothing.
      // Longer pieces read as well or better cropped tight.
      const margin = columnGap !== undefined && c1 - c0 < h ? Math.min(Math.floor(gap / 3), Math.round(0.3 * h)) : 0;
      const piece: Box = { x0: Math.max(b.x0, band.x0 + c0 - margin), x1: Math.min(b.x1, band.x0 + c1 + margin), y0: Math.max(b.y0, band.y0 - 3), y1: Math.min(b.y1, band.y1 + 3) };
      const parts = columnGap !== undefined ? subLines(img, piece, threshold, minHeight) : [piece];
      // One line: cut it further, tentatively, at narrower gaps that line up with blank columns of the lines around it.
      const cuts = columns && parts.length === 1 ? columns.cut(piece, Math.min(h, usual)) : [piece];
      const inks = cuts.map((part) => inkBox(img, part, threshold));
      if (cuts.length > 1 && inks.every((ink) => ink && ink.x1 - ink.x0 >= minHeight * 0.5)) {
        inks.forEach((ink, i) => out.push(i > 0 ? { ...ink!, joinsPrev: true } : ink!));
        continue;
      }
      for (const part of parts) {
        const ink = inkBox(img, part, threshold);
        if (ink && ink.x1 - ink.x0 >= minHeight * 0.5) out.push(ink);
      }
    }
  }
  return out;
}

/**
 * A piece of a line; `joinsPrev` when it was cut from the piece before it at
 * a gap narrower than a column gap (see ColumnEvidence): the caller keeps the
 * cut only if both sides read as numbers, and joins them again otherwise.
 */
export type Piece = Box & { joinsPrev?: boolean };

/** The lines of one piece of a band, by its own horizontal projection (the piece itself when it is one line). */
export function subLines(img: Gray, piece: Box, threshold: number, minHeight: number): Box[] {
  const rows = bands(inkProfile(img, piece, threshold, 'rows'), 1, 1).filter(([r0, r1]) => r1 - r0 >= minHeight);
  if (rows.length <= 1) return [piece];
  return rows.map(([r0, r1]) => ({ x0: piece.x0, x1: piece.x1, y0: Math.max(piece.y0, piece.y0 + r0 - 2), y1: Math.min(piece.y1, piece.y0 + r1 + 2) }));
}

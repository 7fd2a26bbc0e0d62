// One scanned page → the PageLayout the PDF path assembles (text lines and
// table fragments in points), with the recogniser's confidence on every
// table cell. Tables are found from their ruling lines and read cell by cell
// (a whole-page text detector merges a table row into one box and drops
// lone zeros); text outside the tables is read line by line.

import type { PageLayout } from '../pdf/assemble.js';
import { groupLines, joinLines } from '../pdf/lines.js';
import type { CellRect, TableFragment } from '../pdf/table-detect.js';
import type { TextRun } from '../pdf/text-runs.js';
import type { OcrReading, ParseWarning } from '../types.js';
import { estimateSkew } from './deskew.js';
import { otsuThreshold, paperLevel, rotate, type Box, type Gray } from './image.js';
import { inkBox, recognizeBoxes, type Reading } from './recognize.js';
import { buildTables, type PixelTable } from './grid.js';
import { eraseRulings, findRulings } from './rulings.js';
import { lineRows, textLines, type Piece } from './text-lines.js';
import { ColumnEvidence, headerCuts } from './free-columns.js';
import { parseCell } from '../cell-value.js';
import { betterReading, sealShare, keepDarkInk } from './seal-cells.js';

export type OcrCellRect = CellRect & { ocr: OcrReading };

export interface OcrPageResult {
  layout: PageLayout;
  /** Degrees the scan was turned back by. */
  skew: number;
  cells: number;
  lines: number;
}

export interface OcrPageInput {
  img: Gray;
  /** Pixels per point (dpi / 72). */
  scale: number;
  page: number;
  /** Red (seal) pixels removed when the image was made grey. */
  redPixels?: number;
  /** 0 where seal ink was removed (see toGray). */
  seal?: Gray;
}

export async function ocrPage(input: OcrPageInput, warnings: ParseWarning[]): Promise<OcrPageResult> {
  const { page, scale } = input;
  const dpi = scale * 72;
  let img = input.img;
  let seal = input.seal;
  let threshold = otsuThreshold(img);
  const skew = estimateSkew(img, threshold);
  if (Math.abs(skew) >= 0.05) {
    img = rotate(img, -skew);
    if (seal) seal = rotate(seal, -skew);
    threshold = otsuThreshold(img);
  }
  // Thin borders scanned or rendered at 150–200 dpi, or scaled down from a
  // 300-dpi scan, are grey, not black: a line needs only 60 % of the gap
  // between paper and the ink threshold in darkness summed across its width. Only long runs count as lines, so
  // the paper's noise does not matter. A border is longer than 0.3 inch (a
  // character stroke is shorter) and thinner than 1/20 inch (a filled bar or
  // a photo is thicker; the summing widens a line by two pixels).
  const paper = paperLevel(img, threshold);
  const rulings = findRulings(img, Math.max(30, Math.round(0.6 * (paper - threshold))), Math.round(0.3 * dpi), Math.max(5, Math.round(dpi / 20)), Math.max(3, Math.round(dpi / 50)), Math.max(2, Math.round(dpi / 100)));
  const tables = buildTables(rulings, Math.max(4, Math.round(dpi / 25)), seal);
  const clean: Gray = { width: img.width, height: img.height, data: img.data.slice() };
  eraseRulings(clean.data, clean.width, clean.height, rulings);

  // Every line box of the page, read in one batched pass.
  const minHeight = Math.max(4, Math.round(dpi / 30));
  const cellLines: Box[][][] = tables.map((t) =>
    t.cells.map((c) => {
      const inset = Math.max(2, Math.round(dpi / 70));
      return textLines(clean, { x0: c.x0 + inset, x1: c.x1 - inset, y0: c.y0 + inset, y1: c.y1 - inset }, threshold, minHeight);
    }),
  );
  // Outside ruled tables, a gap of 1.2 line heights cuts a line into pieces:
  // wider than the spacing of a prose line's characters (a full-width comma leaves most of an em blank), narrower than the
  // space between the columns of a table printed without borders.
  const free = maskTables(clean, tables);
  const freeLines = textLines(free, { x0: 0, y0: 0, x1: img.width, y1: img.height }, threshold, minHeight, 1.2);
  const all: Box[] = [...cellLines.flat(2), ...freeLines];
  const readings = await recognizeBoxes(clean, all);
  // Cells a seal was stamped over get a second reading (see seal-cells.ts).
  const second = seal ? await rereadSealedCells(clean, seal, tables, dpi, minHeight) : new Map<string, Reading[]>();
  let reread = 0;

  let k = 0;
  const frags: TableFragment[] = tables.map((t, ti) => {
    const cells: OcrCellRect[] = t.cells.map((c, ci) => {
      let parts: Reading[] = cellLines[ti][ci].map(() => readings[k++]);
      const alt = second.get(`${ti}:${ci}`);
      if (alt && betterReading(summary(parts), summary(alt)) === 'second') {
        parts = alt;
        reread++;
      }
      const text = joinLines(parts.map((p) => p.text).filter(Boolean));
      const ocr: OcrReading = { confidence: round3(Math.min(1, ...parts.map((p) => p.confidence))) };
      const full = parts.some((p) => p.full !== undefined) ? joinLines(parts.map((p) => p.full ?? p.text)) : undefined;
      if (full !== undefined && full !== text) ocr.full = full;
      return { x0: c.x0 / scale, x1: c.x1 / scale, y0: c.y0 / scale, y1: c.y1 / scale, text, page, ocr };
    });
    return {
      page, cells, irregularCells: 0,
      left: t.box.x0 / scale, right: t.box.x1 / scale, top: t.box.y0 / scale, bottom: t.box.y1 / scale,
      xs: t.xs.map((x) => x / scale),
    };
  });
  if (reread > 0) {
    warnings.push({
      code: 'ocr_seal_cells_reread',
      message: `page ${page}: ${reread} of ${second.size} cells under the seal read again from their dark print only (the seal's grey remains left out), which the recogniser read with more confidence`,
      at: { page },
    });
  }
  let pieces = await cutHeaders(free, threshold, minHeight, keepNumberCuts(freeLines, readings.slice(k)));
  if (seal) {
    const again = await rereadSealedPieces(free, seal, pieces, dpi, minHeight);
    pieces = again.pieces;
    if (again.reread > 0) {
      warnings.push({
        code: 'ocr_seal_cells_reread',
        message: `page ${page}: ${again.reread} of ${again.tried} pieces of text outside ruled tables under the seal read again from their dark print only, which the recogniser read with more confidence`,
        at: { page },
      });
    }
  }
  const runs: TextRun[] = pieces.map(([b, r]) => {
    const fs = ((b.y1 - b.y0) / scale) * 0.85;
    const ocr: OcrReading = { confidence: round3(r.confidence) };
    if (r.full !== undefined) ocr.full = r.full;
    return { text: r.text, x: b.x0 / scale, right: b.x1 / scale, base: b.y1 / scale - fs * 0.12, fs, page, ocr };
  }).filter((r) => r.text.trim() !== '');
  if (input.redPixels && input.redPixels > 0.0005 * img.width * img.height) {
    warnings.push({ code: 'ocr_seal_removed', message: `page ${page}: red ink (a seal) removed before reading the scan`, at: { page } });
  }
  return {
    layout: { page, height: img.height / scale, lines: groupLines(runs), tables: frags },
    skew,
    cells: frags.reduce((s, f) => s + f.cells.length, 0),
    lines: runs.length,
  };
}

/** A copy of the page with the tables painted white, so only the text around them is left. */
function maskTables(img: Gray, tables: readonly PixelTable[]): Gray {
  if (tables.length === 0) return img;
  const data = img.data.slice();
  for (const t of tables) {
    const x0 = Math.max(0, Math.floor(t.box.x0) - 3), x1 = Math.min(img.width, Math.ceil(t.box.x1) + 3);
    for (let y = Math.max(0, Math.floor(t.box.y0) - 3); y < Math.min(img.height, Math.ceil(t.box.y1) + 3); y++) data.fill(255, y * img.width + x0, y * img.width + x1);
  }
  return { width: img.width, height: img.height, data };
}

/**
 * The free pieces with their readings, a tentative cut (see textLines) kept
 * only before a number or dash (a column's value, after another value or
 * a row's label); elsewhere (a numbered label's "一、" and its words) the
 * two sides are one piece again.
 */
function keepNumberCuts(pieces: readonly Piece[], readings: readonly Reading[]): [Box, Reading][] {
  const out: [Box, Reading][] = [];
  pieces.forEach((p, i) => {
    const r = readings[i];
    const prev = out[out.length - 1];
    if (p.joinsPrev && prev && !isValue(r.text)) {
      const box = { x0: prev[0].x0, y0: Math.min(prev[0].y0, p.y0), x1: p.x1, y1: Math.max(prev[0].y1, p.y1) };
      const text = prev[1].text + r.text;
      const joined: Reading = { text, confidence: Math.min(prev[1].confidence, r.confidence) };
      if (prev[1].full !== undefined || r.full !== undefined) joined.full = (prev[1].full ?? prev[1].text) + (r.full ?? r.text);
      out[out.length - 1] = [box, joined];
      return;
    }
    out.push([p, r]);
  });
  return out;
}

/** The free pieces with header words over a borderless table's columns cut apart and read again (see headerCuts). */
async function cutHeaders(free: Gray, threshold: number, minHeight: number, pieces: [Box, Reading][]): Promise<[Box, Reading][]> {
  const page = { x0: 0, y0: 0, x1: free.width, y1: free.height };
  const rows = lineRows(free, page, threshold, minHeight);
  const heights = rows.map(([r0, r1]) => r1 - r0).sort((p, q) => p - q);
  if (heights.length === 0) return pieces;
  const usual = heights[Math.floor(heights.length / 2)];
  const ev = new ColumnEvidence(free, page, threshold, rows);
  const cuts = headerCuts(free, threshold, ev, pieces.map(([box, r]) => ({ box, text: r.text, value: isValue(r.text) })), usual);
  if (cuts.length === 0) return pieces;
  const boxes = cuts.map((c) => c.parts.map((b) => inkBox(free, b, threshold)));
  const readings = await recognizeBoxes(free, boxes.flat().filter((b): b is Box => b !== null));
  const out: [Box, Reading][][] = pieces.map((p) => [p]);
  let k = 0;
  cuts.forEach((c, i) => {
    out[c.index] = boxes[i].flatMap((b) => (b ? [[b, readings[k++]] as [Box, Reading]] : []));
  });
  return out.flat();
}

function isValue(t: string): boolean {
  const kind = parseCell(t).kind;
  return kind === 'number' || kind === 'dash';
}

/** One reading of a cell made of its lines' readings. */
function summary(parts: readonly Reading[]): Reading {
  return { text: parts.map((p) => p.text).join(''), confidence: Math.min(1, ...parts.map((p) => p.confidence)) };
}

/**
 * Free pieces with seal ink in them read again from their dark print only,
 * as table cells are (a borderless table's numbers under a seal), the
 * better reading kept (see betterReading).
 */
async function rereadSealedPieces(free: Gray, seal: Gray, pieces: [Box, Reading][], dpi: number, minHeight: number): Promise<{ pieces: [Box, Reading][]; reread: number; tried: number }> {
  const pad = Math.max(2, Math.round(dpi / 70));
  let stretched: Gray | null = null;
  const lines = new Map<number, Box[]>();
  pieces.forEach(([b], i) => {
    const box = { x0: Math.max(0, b.x0 - pad), x1: Math.min(free.width, b.x1 + pad), y0: Math.max(0, b.y0 - pad), y1: Math.min(free.height, b.y1 + pad) };
    if (sealShare(seal, box) < 0.005) return;
    stretched ??= { width: free.width, height: free.height, data: free.data.slice() };
    const t2 = keepDarkInk(free, stretched, box, Math.max(6, Math.round((dpi / 50) ** 2)));
    lines.set(i, t2 === null ? [] : textLines(stretched, box, t2, minHeight));
  });
  if (!stretched || lines.size === 0) return { pieces, reread: 0, tried: 0 };
  const readings = await recognizeBoxes(stretched, [...lines.values()].flat());
  let k = 0, reread = 0;
  const out = pieces.slice();
  for (const [i, boxes] of lines) {
    const alt = boxes.map(() => readings[k++]);
    // A piece is one line: a second reading in several is no better one.
    if (alt.length === 1 && betterReading(out[i][1], alt[0]) === 'second') {
      out[i] = [out[i][0], alt[0]];
      reread++;
    }
  }
  return { pieces: out, reread, tried: lines.size };
}

/** Second readings of the table cells with seal ink in them, by `${table}:${cell}`. */
async function rereadSealedCells(clean: Gray, seal: Gray, tables: readonly PixelTable[], dpi: number, minHeight: number): Promise<Map<string, Reading[]>> {
  const inset = Math.max(2, Math.round(dpi / 70));
  let stretched: Gray | null = null;
  const lines = new Map<string, Box[]>();
  tables.forEach((t, ti) => t.cells.forEach((c, ci) => {
    const box = { x0: c.x0 + inset, x1: c.x1 - inset, y0: c.y0 + inset, y1: c.y1 - inset };
    if (sealShare(seal, box) < 0.005) return;
    stretched ??= { width: clean.width, height: clean.height, data: clean.data.slice() };
    // A speck: smaller than a dot of 1/50 inch across.
    const t2 = keepDarkInk(clean, stretched, box, Math.max(6, Math.round((dpi / 50) ** 2)));
    // No dark print at all: whatever was read there was the seal's remains.
    lines.set(`${ti}:${ci}`, t2 === null ? [] : textLines(stretched, box, t2, minHeight));
  }));
  const out = new Map<string, Reading[]>();
  if (!stretched || lines.size === 0) return out;
  const readings = await recognizeBoxes(stretched, [...lines.values()].flat());
  let k = 0;
  for (const [key, boxes] of lines) out.set(key, boxes.map(() => readings[k++]));
  return out;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

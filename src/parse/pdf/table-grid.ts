// Joins table fragments that continue across a page break and expands the
// (merged) cells into the rectangular GridCell grid of a TableBlock.
//
// Fragments are stacked vertically (each page's fragment placed right below
// the previous one) and the grid is built on the union of all fragments'
// column boundaries, so a fragment drawn with fewer column lines (a header
// band whose cells span several data columns) still lines up.

import type { GridCell, OcrReading } from '../types.js';
import { clusterPositions, type TableFragment } from './table-detect.js';

/** Column boundaries of two pages closer than this are the same column line (points). */
const COLUMN_TOL = 3;
/** Left/right table edges may move this much between pages (points). */
const EDGE_TOL = 4;

/**
 * Does `next` (first thing on its page) continue the table whose last
 * fragment is `prev` (last thing on the previous page)? The column structure
 * must continue: same outer edges, and the inner column lines of the
 * fragment with fewer lines all reappear in the other.
 */
export function continuesTable(prev: TableFragment, next: TableFragment): boolean {
  if (next.page !== prev.page + 1) return false;
  if (Math.abs(prev.left - next.left) > EDGE_TOL || Math.abs(prev.right - next.right) > EDGE_TOL) return false;
  const a = prev.xs.slice(1, -1), b = next.xs.slice(1, -1);
  const [small, big] = a.length <= b.length ? [a, b] : [b, a];
  if (small.length === 0) return true;
  const matched = small.filter((x) => big.some((y) => Math.abs(x - y) <= COLUMN_TOL)).length;
  return matched / small.length >= 0.8;
}

function nearest(bounds: readonly number[], v: number): number {
  let best = 0, bestD = Infinity;
  // Bounds are few (tens); a linear scan keeps this simple and exact.
  for (let i = 0; i < bounds.length; i++) {
    const d = Math.abs(bounds[i] - v);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

export interface BuiltGrid {
  rows: GridCell[][];
  /** Repeated header rows removed from continuation fragments. */
  droppedHeaderRows: number;
}

/** Builds the expanded grid of one table from its fragments (in page order). */
export function buildGrid(frags: readonly TableFragment[]): BuiltGrid {
  interface Placed { x0: number; x1: number; y0: number; y1: number; text: string; page: number; frag: number; ocr?: OcrReading }
  const placed: Placed[] = [];
  let offset = 0;
  frags.forEach((f, k) => {
    if (k > 0) offset += frags[k - 1].bottom - f.top;
    for (const c of f.cells) placed.push({ ...c, y0: c.y0 + offset, y1: c.y1 + offset, frag: k });
  });
  const xs = clusterPositions(placed.flatMap((c) => [c.x0, c.x1]), COLUMN_TOL);
  const ys = clusterPositions(placed.flatMap((c) => [c.y0, c.y1]), 1.5);
  const nr = ys.length - 1, nc = xs.length - 1;
  const grid: (GridCell | undefined)[][] = Array.from({ length: nr }, () => new Array<GridCell | undefined>(nc));
  const rowFrag = new Array<number>(nr).fill(-1);
  // Top-left first, so that if two cells overlap (irregular merges) the
  // earlier one keeps the slot and nothing is written twice.
  placed.sort((p, q) => p.y0 - q.y0 || p.x0 - q.x0);
  for (const c of placed) {
    const r0 = nearest(ys, c.y0), r1 = nearest(ys, c.y1), c0 = nearest(xs, c.x0), c1 = nearest(xs, c.x1);
    let first = true;
    for (let r = r0; r < Math.max(r1, r0 + 1) && r < nr; r++) {
      if (rowFrag[r] < 0) rowFrag[r] = c.frag;
      for (let col = c0; col < Math.max(c1, c0 + 1) && col < nc; col++) {
        if (grid[r][col]) continue;
        grid[r][col] = { text: c.text, origin: first, page: c.page, ...(c.ocr ? { ocr: c.ocr } : {}) };
        first = false;
      }
    }
  }
  const rows: GridCell[][] = grid.map((row, r) =>
    Array.from(row, (cell) => cell ?? { text: '', origin: true, page: frags[Math.max(0, rowFrag[r])]?.page }),
  );
  const droppedHeaderRows = dropRepeatedHeaders(rows, rowFrag);
  return { rows, droppedHeaderRows };
}

const rowKey = (row: GridCell[]) => row.map((c) => c.text).join('\u0001');

/**
 * Word and WPS can repeat the header rows at the top of every page. A
 * continuation fragment whose first rows are exactly the table's first rows
 * repeats the header; keeping it would put header text among data rows.
 */
function dropRepeatedHeaders(rows: GridCell[][], rowFrag: number[]): number {
  let dropped = 0;
  for (let start = rows.length - 1; start > 0; start--) {
    if (rowFrag[start] === rowFrag[start - 1] || rowFrag[start] <= 0) continue;
    let m = 0;
    while (
      start + m < rows.length &&
      m < start &&
      rowFrag[start + m] === rowFrag[start] &&
      rowKey(rows[start + m]) === rowKey(rows[m]) &&
      rows[m].some((c) => c.text !== '')
    ) m++;
    if (m === 0 || start + m >= rows.length) continue;
    // A merged cell that began in a removed row and continues below keeps its
    // text: its first surviving copy becomes the origin.
    const after = rows[start + m];
    after.forEach((cell, col) => {
      if (!cell.origin && rows[start + m - 1][col].text === cell.text) cell.origin = true;
    });
    rows.splice(start, m);
    rowFrag.splice(start, m);
    dropped += m;
  }
  return dropped;
}

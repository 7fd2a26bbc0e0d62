// Finds ruled tables on one page and fills their cells with text.
//
// 1. Ruling segments are merged (WPS draws each cell's border separately,
//    a quarter point apart) and grouped into connected components: a table
//    is a set of horizontal and vertical lines that touch each other.
// 2. The component's distinct x and y positions span a fine grid of
//    elementary cells. Two neighbouring elementary cells belong to the same
//    (merged) cell unless a drawn line separates them — this is how rowspans
//    and colspans, including the tall "三、本年度办理结果" cell, come back.
// 3. Text runs are dropped into elementary cells by their centre; a run that
//    crosses a cell border (one showText for several cells) is split by
//    character first.

import { groupLines, joinLines, tidySpaces } from './lines.js';
import type { RulingLines, Segment } from './ruling-lines.js';
import type { OcrReading } from '../types.js';
import { runCenterY, splitRunByChar, type TextRun } from './text-runs.js';

/** One (possibly merged) cell of a table fragment, in viewport coordinates of its page. */
export interface CellRect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  text: string;
  page: number;
  /** Set by OCR (src/parse/ocr) on cells read from a scanned page. */
  ocr?: OcrReading;
}

/** The part of a table drawn on one page. */
export interface TableFragment {
  page: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  cells: CellRect[];
  /** Column boundaries (sorted, outer edges included). */
  xs: number[];
  /** Cells whose elementary parts did not form a rectangle (reported as a warning). */
  irregularCells: number;
}

/** Two positions closer than this are the same border (points). */
const SNAP = 2;
/** How far a line may stop short of the line it meets and still touch it. */
const TOUCH = 2.5;

/** Merges collinear, overlapping or nearly touching segments. */
export function mergeSegments(segs: readonly Segment[]): Segment[] {
  if (segs.length === 0) return [];
  const sorted = [...segs].sort((p, q) => p.at - q.at);
  const out: Segment[] = [];
  let i = 0;
  while (i < sorted.length) {
    // One band of segments at (almost) the same coordinate.
    let j = i + 1;
    while (j < sorted.length && sorted[j].at - sorted[j - 1].at <= 1) j++;
    const band = sorted.slice(i, j).sort((p, q) => p.a - q.a);
    const at = band.reduce((s, g) => s + g.at, 0) / band.length;
    let cur = { at, a: band[0].a, b: band[0].b };
    for (let k = 1; k < band.length; k++) {
      if (band[k].a <= cur.b + SNAP) cur.b = Math.max(cur.b, band[k].b);
      else {
        out.push(cur);
        cur = { at, a: band[k].a, b: band[k].b };
      }
    }
    out.push(cur);
    i = j;
  }
  return out;
}

/** Sorted, de-duplicated positions: values within SNAP of each other collapse to their mean. */
export function clusterPositions(values: readonly number[], snap = SNAP): number[] {
  const sorted = [...values].sort((p, q) => p - q);
  const out: number[] = [];
  let sum = 0, count = 0, last = -Infinity;
  for (const v of sorted) {
    if (count > 0 && v - last > snap) {
      out.push(sum / count);
      sum = 0;
      count = 0;
    }
    sum += v;
    count++;
    last = v;
  }
  if (count > 0) out.push(sum / count);
  return out;
}

/** Index of the interval [bounds[i], bounds[i+1]) containing v, or -1. */
export function intervalIndex(bounds: readonly number[], v: number): number {
  if (v < bounds[0] || v > bounds[bounds.length - 1]) return -1;
  let lo = 0, hi = bounds.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index of the position within `snap` of v, or -1. */
function nearestIndex(bounds: readonly number[], v: number, snap: number): number {
  const i = intervalIndex(bounds, v);
  if (i < 0) {
    if (Math.abs(v - bounds[0]) <= snap) return 0;
    if (Math.abs(v - bounds[bounds.length - 1]) <= snap) return bounds.length - 1;
    return -1;
  }
  if (Math.abs(v - bounds[i]) <= snap) return i;
  if (i + 1 < bounds.length && Math.abs(v - bounds[i + 1]) <= snap) return i + 1;
  return -1;
}

class UnionFind {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Groups horizontal and vertical segments that touch into candidate tables. */
function components(h: Segment[], v: Segment[]): { h: Segment[]; v: Segment[] }[] {
  const uf = new UnionFind(h.length + v.length);
  for (let i = 0; i < h.length; i++) {
    const hs = h[i];
    for (let j = 0; j < v.length; j++) {
      const vs = v[j];
      if (vs.at >= hs.a - TOUCH && vs.at <= hs.b + TOUCH && hs.at >= vs.a - TOUCH && hs.at <= vs.b + TOUCH) {
        uf.union(i, h.length + j);
      }
    }
  }
  const groups = new Map<number, { h: Segment[]; v: Segment[] }>();
  const get = (root: number) => {
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { h: [], v: [] }));
    return g;
  };
  h.forEach((s, i) => get(uf.find(i)).h.push(s));
  v.forEach((s, j) => get(uf.find(h.length + j)).v.push(s));
  return [...groups.values()].filter((g) => g.h.length >= 2 && g.v.length >= 2);
}

/** True if one of `segs` (all at the boundary in question) covers position `mid`. */
function covered(segs: Segment[] | undefined, from: number, to: number): boolean {
  if (!segs) return false;
  const mid = (from + to) / 2;
  const tol = Math.min(TOUCH, (to - from) / 4);
  return segs.some((s) => s.a - tol <= mid && s.b + tol >= mid);
}

export interface PageTables {
  tables: TableFragment[];
  /** Runs outside every table, for the paragraph builder. */
  freeRuns: TextRun[];
}

export function findTables(lines: RulingLines, runs: readonly TextRun[], page: number): PageTables {
  const h = mergeSegments(lines.horizontal);
  const v = mergeSegments(lines.vertical);
  const tables: TableFragment[] = [];
  let remaining: TextRun[] = [...runs];
  for (const comp of components(h, v)) {
    const built = buildFragment(comp.h, comp.v, remaining, page);
    if (!built) continue;
    tables.push(built.fragment);
    remaining = built.outside;
  }
  tables.sort((p, q) => p.top - q.top);
  return { tables, freeRuns: remaining };
}

function buildFragment(
  hs: Segment[],
  vs: Segment[],
  runs: TextRun[],
  page: number,
): { fragment: TableFragment; outside: TextRun[] } | null {
  const minX = Math.min(...hs.map((s) => s.a)), maxX = Math.max(...hs.map((s) => s.b));
  const minY = Math.min(...vs.map((s) => s.a)), maxY = Math.max(...vs.map((s) => s.b));
  const xs = clusterPositions([...vs.map((s) => s.at), minX, maxX]);
  const ys = clusterPositions([...hs.map((s) => s.at), minY, maxY]);
  const nc = xs.length - 1, nr = ys.length - 1;
  if (nc < 1 || nr < 1) return null;
  if (xs[nc] - xs[0] < 10 || ys[nr] - ys[0] < 5) return null;

  // Segments by the boundary they lie on.
  const vAt = new Map<number, Segment[]>();
  for (const s of vs) {
    const k = nearestIndex(xs, s.at, SNAP);
    if (k >= 0) (vAt.get(k) ?? vAt.set(k, []).get(k)!).push(s);
  }
  const hAt = new Map<number, Segment[]>();
  for (const s of hs) {
    const k = nearestIndex(ys, s.at, SNAP);
    if (k >= 0) (hAt.get(k) ?? hAt.set(k, []).get(k)!).push(s);
  }

  // Merge elementary cells not separated by a drawn line.
  const uf = new UnionFind(nr * nc);
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      if (c + 1 < nc && !covered(vAt.get(c + 1), ys[r], ys[r + 1])) uf.union(r * nc + c, r * nc + c + 1);
      if (r + 1 < nr && !covered(hAt.get(r + 1), xs[c], xs[c + 1])) uf.union(r * nc + c, (r + 1) * nc + c);
    }
  }
  interface Region { r0: number; r1: number; c0: number; c1: number; n: number; runs: TextRun[] }
  const regions = new Map<number, Region>();
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      const root = uf.find(r * nc + c);
      const g = regions.get(root);
      if (!g) regions.set(root, { r0: r, r1: r, c0: c, c1: c, n: 1, runs: [] });
      else {
        g.r0 = Math.min(g.r0, r);
        g.r1 = Math.max(g.r1, r);
        g.c0 = Math.min(g.c0, c);
        g.c1 = Math.max(g.c1, c);
        g.n++;
      }
    }
  }
  // A lone box around some text is a framed paragraph, not a table.
  if (regions.size < 2) return null;

  const outside: TextRun[] = [];
  const place = (run: TextRun): boolean => {
    const cx = (run.x + run.right) / 2, cy = runCenterY(run);
    const c = intervalIndex(xs, cx), r = intervalIndex(ys, cy);
    if (c < 0 || r < 0) return false;
    regions.get(uf.find(r * nc + c))!.runs.push(run);
    return true;
  };
  const left = xs[0], right = xs[nc], top = ys[0], bottom = ys[nr];
  // A run whose two ends fall into different (merged) cells was written
  // across a border: one showText for several cells.
  const spansCells = (run: TextRun, cy: number): boolean => {
    const margin = Math.max(1, run.fs * 0.3);
    if (run.right - run.x <= 2 * margin) return false;
    const r = intervalIndex(ys, cy);
    const ca = intervalIndex(xs, run.x + margin), cb = intervalIndex(xs, run.right - margin);
    if (r < 0 || ca < 0 || cb < 0 || ca === cb) return false;
    return uf.find(r * nc + ca) !== uf.find(r * nc + cb);
  };
  for (const run of runs) {
    const cy = runCenterY(run);
    const cx = (run.x + run.right) / 2;
    if (cy < top - 1 || cy > bottom + 1 || cx < left - 1 || cx > right + 1) {
      outside.push(run);
      continue;
    }
    if (spansCells(run, cy)) {
      for (const piece of splitRunByChar(run)) if (!place(piece)) outside.push(piece);
    } else if (!place(run)) outside.push(run);
  }

  const cells: CellRect[] = [];
  let irregularCells = 0;
  for (const g of regions.values()) {
    if (g.n !== (g.r1 - g.r0 + 1) * (g.c1 - g.c0 + 1)) irregularCells++;
    // Inside a cell a wide gap is layout (justification), not a column.
    const text = joinLines(groupLines(g.runs).map((l) => tidySpaces(l.text.replace(/\t/g, ' '))));
    cells.push({ x0: xs[g.c0], x1: xs[g.c1 + 1], y0: ys[g.r0], y1: ys[g.r1 + 1], text, page });
  }
  // A grid of empty boxes (a form to fill, a decorative frame) carries nothing.
  if (cells.every((c) => c.text === '')) return null;
  return { fragment: { page, left, right, top, bottom, cells, xs, irregularCells }, outside };
}

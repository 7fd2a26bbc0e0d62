// Table grids of a scanned page, rebuilt from its ruling lines the way the
// PDF path does it from drawn lines: the distinct row and column border
// positions make an elementary grid; two neighbouring elementary cells with
// no border drawn between them belong to one merged cell.

import type { Box, Gray } from './image.js';
import type { HSeg, Rulings, VSeg } from './rulings.js';

export interface GridCellBox extends Box {
  /** Elementary rows/columns the cell spans. */
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

export interface PixelTable {
  box: Box;
  xs: number[];
  ys: number[];
  cells: GridCellBox[];
}

/** Sorted positions merged when closer than `tol`. */
function cluster(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1] <= tol) last.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
}

/**
 * Border positions completed by where the crossing lines end, as the PDF
 * path does with drawn lines: a table broken by a page is often printed
 * without its bottom (or, continued, its top) border, its column lines
 * simply stopping there; the last row is still a row. Two or more crossing
 * lines must end together beyond the last border, so one stray line does
 * not add a row.
 */
function withOpenEnds(pos: number[], spans: [number, number][], tol: number): number[] {
  if (pos.length === 0) return pos;
  const out = [...pos];
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const after = spans.map(([, b]) => b).filter((b) => b > pos[pos.length - 1] + 2 * tol);
  if (after.length >= 2) {
    const m = median(after);
    if (after.filter((b) => Math.abs(b - m) <= tol).length >= 2) out.push(m);
  }
  const before = spans.map(([a]) => a).filter((a) => a < pos[0] - 2 * tol);
  if (before.length >= 2) {
    const m = median(before);
    if (before.filter((a) => Math.abs(a - m) <= tol).length >= 2) out.unshift(m);
  }
  return out;
}

function touches(h: HSeg, v: VSeg, tol: number): boolean {
  return v.x >= h.x0 - tol && v.x <= h.x1 + tol && h.y >= v.y0 - tol && h.y <= v.y1 + tol;
}

/** Groups of segments connected by crossings: each group with ≥2 lines both ways is a table. */
function connectedTables(r: Rulings, tol: number): { h: HSeg[]; v: VSeg[] }[] {
  const n = r.h.length + r.v.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  r.h.forEach((h, i) => r.v.forEach((v, j) => {
    if (touches(h, v, tol)) parent[find(i)] = find(r.h.length + j);
  }));
  const groups = new Map<number, { h: HSeg[]; v: VSeg[] }>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { h: [], v: [] }));
    if (i < r.h.length) g.h.push(r.h[i]);
    else g.v.push(r.v[i - r.h.length]);
  }
  return [...groups.values()].filter((g) => g.h.length >= 2 && g.v.length >= 2);
}

/** Fraction of [a, b] covered by the union of the given intervals. */
function coverage(a: number, b: number, intervals: [number, number][]): number {
  const cut = intervals.map(([p, q]) => [Math.max(a, p), Math.min(b, q)] as [number, number]).filter(([p, q]) => q > p).sort((p, q) => p[0] - q[0]);
  let covered = 0, end = a;
  for (const [p, q] of cut) {
    if (q <= end) continue;
    covered += q - Math.max(p, end);
    end = q;
  }
  return b > a ? covered / (b - a) : 0;
}

/**
 * The drawn intervals of one grid line with the gaps a seal explains filled
 * in. A seal stamped over a border (its star, its legend) can hide it, or
 * leave it too disturbed to be seen as a line: a gap in a border that is
 * mostly under seal ink is bridged, so the cells on either side are not
 * merged. A gap that runs exactly from one crossing border to the next is
 * left open even under a seal: that is how a merged cell looks (a title row
 * across the table), and a seal's ring running along it must not split it.
 */
function bridgeSealGaps(intervals: [number, number][], crossings: readonly number[], tol: number, hidden: (p: number) => boolean): [number, number][] {
  const sorted = [...intervals].sort((p, q) => p[0] - q[0]);
  const merged: [number, number][] = [];
  for (const iv of sorted) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  const atCrossing = (p: number) => crossings.some((c) => Math.abs(c - p) <= 2 * tol);
  for (let i = 0; i + 1 < merged.length; i++) {
    const from = merged[i][1], to = merged[i + 1][0];
    if (atCrossing(from) && atCrossing(to)) continue;
    let n = 0, h = 0;
    for (let p = Math.ceil(from); p < to; p++, n++) if (hidden(p)) h++;
    if (n > 0 && h >= 0.5 * n) merged[i][1] = to;
  }
  return merged;
}

/**
 * The tables of a page. `tol` (pixels) is how far a line may stop short of
 * the line it meets, and how close two border positions are to be one.
 */
export function buildTables(r: Rulings, tol: number, seal?: Gray): PixelTable[] {
  // Seal pixels within a few pixels of a border position hide it.
  const sealNear = (x: number, y: number, alongX: boolean): boolean => {
    if (!seal) return false;
    for (let d = -3; d <= 3; d++) {
      const xx = Math.round(alongX ? x : x + d), yy = Math.round(alongX ? y + d : y);
      if (xx >= 0 && yy >= 0 && xx < seal.width && yy < seal.height && seal.data[yy * seal.width + xx] < 128) return true;
    }
    return false;
  };
  const tables: PixelTable[] = [];
  for (const g of connectedTables(r, tol)) {
    const ys = withOpenEnds(cluster(g.h.map((h) => h.y), tol), g.v.map((v) => [v.y0, v.y1]), tol);
    const xs = withOpenEnds(cluster(g.v.map((v) => v.x), tol), g.h.map((h) => [h.x0, h.x1]), tol);
    if (ys.length < 2 || xs.length < 2) continue;
    const nr = ys.length - 1, nc = xs.length - 1;
    const near = (pos: number[], v: number) => pos.reduce((best, p, i) => (Math.abs(p - v) < Math.abs(pos[best] - v) ? i : best), 0);
    // Borders drawn on each grid line, as covered intervals.
    const hAt: [number, number][][] = ys.map(() => []);
    const vAt: [number, number][][] = xs.map(() => []);
    for (const h of g.h) hAt[near(ys, h.y)].push([h.x0 - tol, h.x1 + tol]);
    for (const v of g.v) vAt[near(xs, v.x)].push([v.y0 - tol, v.y1 + tol]);
    if (seal) {
      ys.forEach((y, k) => { hAt[k] = bridgeSealGaps(hAt[k], xs, tol, (x) => sealNear(x, y, true)); });
      xs.forEach((x, k) => { vAt[k] = bridgeSealGaps(vAt[k], ys, tol, (y) => sealNear(x, y, false)); });
    }
    const id = (row: number, col: number) => row * nc + col;
    const parent = Array.from({ length: nr * nc }, (_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    const join = (a: number, b: number) => { parent[find(a)] = find(b); };
    for (let row = 0; row < nr; row++) {
      for (let col = 0; col < nc; col++) {
        // No border between two neighbours: they are parts of one merged cell.
        if (col + 1 < nc && coverage(ys[row], ys[row + 1], vAt[col + 1]) < 0.5) join(id(row, col), id(row, col + 1));
        if (row + 1 < nr && coverage(xs[col], xs[col + 1], hAt[row + 1]) < 0.5) join(id(row, col), id(row + 1, col));
      }
    }
    const spans = new Map<number, GridCellBox>();
    for (let row = 0; row < nr; row++) {
      for (let col = 0; col < nc; col++) {
        const root = find(id(row, col));
        const s = spans.get(root);
        if (!s) spans.set(root, { r0: row, r1: row + 1, c0: col, c1: col + 1, x0: 0, x1: 0, y0: 0, y1: 0 });
        else {
          s.r0 = Math.min(s.r0, row); s.r1 = Math.max(s.r1, row + 1);
          s.c0 = Math.min(s.c0, col); s.c1 = Math.max(s.c1, col + 1);
        }
      }
    }
    const cells = [...spans.values()].map((c) => ({ ...c, x0: xs[c.c0], x1: xs[c.c1], y0: ys[c.r0], y1: ys[c.r1] }));
    tables.push({ box: { x0: xs[0], x1: xs[nc], y0: ys[0], y1: ys[nr] }, xs, ys, cells });
  }
  // Border pieces that did not connect to their table (broken by noise)
  // can form a small "table" inside it: the enclosing table already has them.
  const inside = (a: Box, b: Box) => a !== b && a.x0 >= b.x0 - tol && a.x1 <= b.x1 + tol && a.y0 >= b.y0 - tol && a.y1 <= b.y1 + tol;
  return tables.filter((t) => !tables.some((o) => o !== t && inside(t.box, o.box))).sort((a, b) => a.box.y0 - b.box.y0);
}

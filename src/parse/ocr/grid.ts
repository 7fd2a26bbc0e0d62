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

/**
 * Fraction of [a, b] covered by the union of the given intervals, counting
 * as covered the positions where `hidden(p)` says a seal was removed: a
 * border under a seal's solid star or ring cannot be seen, and a cell is
 * not merged with its neighbour because a seal was stamped across them.
 */
function coverage(a: number, b: number, intervals: [number, number][], hidden?: (p: number) => boolean): number {
  const cut = intervals.map(([p, q]) => [Math.max(a, p), Math.min(b, q)] as [number, number]).filter(([p, q]) => q > p).sort((p, q) => p[0] - q[0]);
  let covered = 0, end = a;
  const gap = (from: number, to: number) => {
    if (!hidden) return;
    for (let p = Math.ceil(from); p < to; p++) if (hidden(p)) covered++;
  };
  for (const [p, q] of cut) {
    if (q <= end) continue;
    gap(end, p);
    covered += q - Math.max(p, end);
    end = q;
  }
  gap(end, b);
  return b > a ? covered / (b - a) : 0;
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
    const ys = cluster(g.h.map((h) => h.y), tol);
    const xs = cluster(g.v.map((v) => v.x), tol);
    if (ys.length < 2 || xs.length < 2) continue;
    const nr = ys.length - 1, nc = xs.length - 1;
    const near = (pos: number[], v: number) => pos.reduce((best, p, i) => (Math.abs(p - v) < Math.abs(pos[best] - v) ? i : best), 0);
    // Borders drawn on each grid line, as covered intervals.
    const hAt: [number, number][][] = ys.map(() => []);
    const vAt: [number, number][][] = xs.map(() => []);
    for (const h of g.h) hAt[near(ys, h.y)].push([h.x0 - tol, h.x1 + tol]);
    for (const v of g.v) vAt[near(xs, v.x)].push([v.y0 - tol, v.y1 + tol]);
    const id = (row: number, col: number) => row * nc + col;
    const parent = Array.from({ length: nr * nc }, (_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    const join = (a: number, b: number) => { parent[find(a)] = find(b); };
    for (let row = 0; row < nr; row++) {
      for (let col = 0; col < nc; col++) {
        // No border between two neighbours: they are parts of one merged cell.
        const vx = xs[col + 1], hy = ys[row + 1];
        if (col + 1 < nc && coverage(ys[row], ys[row + 1], vAt[col + 1], seal && ((y) => sealNear(vx, y, false))) < 0.5) join(id(row, col), id(row, col + 1));
        if (row + 1 < nr && coverage(xs[col], xs[col + 1], hAt[row + 1], seal && ((x) => sealNear(x, hy, true))) < 0.5) join(id(row, col), id(row + 1, col));
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

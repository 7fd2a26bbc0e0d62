// Ruling lines of a scanned page: long, thin runs of ink. A table border is
// a horizontal or vertical run much longer than any stroke of a character;
// runs are allowed short breaks (scanner noise, JPEG blocks, faded toner)
// and runs of neighbouring pixel rows are merged into one line of some
// thickness, which is also erased from the image before text is read.

import type { Gray } from './image.js';

export interface HSeg { y: number; x0: number; x1: number; t0: number; t1: number }
export interface VSeg { x: number; y0: number; y1: number; t0: number; t1: number }

interface Run { pos: number; a: number; b: number }

/**
 * Runs of line evidence ≥ minLen along one axis (`ev(i, j)` is the evidence
 * at position j of line i), with hysteresis. A seed is a stretch of `strong`
 * evidence with gaps ≤ 2, at least minLen long: a border, never a word (the
 * strokes of neighbouring characters do not line up that far). A run
 * follows every position whose evidence reaches `weak`, across gaps ≤
 * maxGap, and is kept when it holds a seed and at least half of it is
 * strong. So a faint border (a thin line scanned grey, or a high-resolution
 * scan scaled down) that dips below the strong level here and there is
 * followed to its end from where it is clear, instead of being cut into
 * pieces too short to be lines.
 */
function runs(lines: number, length: number, ev: (i: number, j: number) => number, strong: number, weak: number, minLen: number, maxGap: number): Run[] {
  const out: Run[] = [];
  for (let i = 0; i < lines; i++) {
    let start = -1, lastInk = -1, nStrong = 0;
    let seedStart = -1, lastStrong = -1, seeded = false;
    for (let j = 0; j <= length; j++) {
      const e = j < length ? ev(i, j) : 0;
      if (e >= weak) {
        if (start < 0) { start = j; nStrong = 0; seeded = false; seedStart = -1; }
        lastInk = j;
        if (e >= strong) {
          nStrong++;
          if (seedStart < 0 || j - lastStrong > 2) seedStart = j;
          lastStrong = j;
          if (j - seedStart + 1 >= minLen) seeded = true;
        }
      } else if (start >= 0 && (j - lastInk > maxGap || j === length)) {
        const len = lastInk - start + 1;
        if (seeded && len >= minLen && nStrong >= 0.5 * len) out.push({ pos: i, a: start, b: lastInk + 1 });
        start = -1;
      }
    }
  }
  return out;
}

/** Merges runs of adjacent lines (pixel rows or columns) that overlap into one thick line. */
function mergeRuns(rs: Run[], maxThickness: number): { pos: number; a: number; b: number; t0: number; t1: number }[] {
  interface Group { t0: number; t1: number; a: number; b: number; sum: number; n: number }
  const open: Group[] = [];
  const done: Group[] = [];
  for (const r of rs) {
    // Groups that did not continue on the previous two lines are finished.
    for (let k = open.length - 1; k >= 0; k--) if (open[k].t1 < r.pos - 2) done.push(...open.splice(k, 1));
    const g = open.find((o) => o.t1 < r.pos && Math.min(o.b, r.b) - Math.max(o.a, r.a) > 0.5 * Math.min(o.b - o.a, r.b - r.a));
    if (g) {
      g.t1 = r.pos;
      g.a = Math.min(g.a, r.a);
      g.b = Math.max(g.b, r.b);
      g.sum += r.pos;
      g.n++;
    } else {
      open.push({ t0: r.pos, t1: r.pos, a: r.a, b: r.b, sum: r.pos, n: 1 });
    }
  }
  done.push(...open);
  // A "line" thicker than this is a filled block or a black photo, not a border.
  return done.filter((g) => g.t1 - g.t0 + 1 <= maxThickness).map((g) => ({ pos: g.sum / g.n, a: g.a, b: g.b, t0: g.t0, t1: g.t1 }));
}

export interface Rulings { h: HSeg[]; v: VSeg[] }

/**
 * How much darker each pixel is than the darker of the two pixels `reach` away on either side across the line direction
 * (`step` = 1 for vertical lines, the row length for horizontal ones). A
 * border is darker than both its sides, also where it edges a grey-shaded
 * header row; the inside of the shading is not.
 */
function contrast(img: Gray, step: number, reach: number): Uint8Array {
  const { data } = img;
  const out = new Uint8Array(data.length);
  const off = step * reach;
  for (let i = off; i < data.length - off; i++) {
    const ref = Math.min(data[i - off], data[i + off]);
    if (data[i] < ref) out[i] = ref - data[i];
  }
  return out;
}

/**
 * Contrast summed across a line's width (this pixel and its two neighbours
 * `across`), then averaged over 5 pixels `along` it: scanner noise and JPEG
 * blocks that make a faint border flicker pixel by pixel average out, and a
 * line keeps its length.
 */
function lineEvidence(c: Uint8Array, width: number, height: number, across: number, along: number): Uint16Array {
  const n = c.length;
  const sum = new Uint16Array(n);
  for (let i = 0; i < n; i++) sum[i] = c[i] + (i >= across ? c[i - across] : 0) + (i + across < n ? c[i + across] : 0);
  const out = new Uint16Array(n);
  const lines = along === 1 ? height : width, len = along === 1 ? width : height, lineStep = along === 1 ? width : 1;
  for (let l = 0; l < lines; l++) {
    const base = l * lineStep;
    for (let j = 0; j < len; j++) {
      let s = 0, m = 0;
      for (let d = -2; d <= 2; d++) {
        const jj = j + d;
        if (jj >= 0 && jj < len) { s += sum[base + jj * along]; m++; }
      }
      out[base + j * along] = Math.round(s / m);
    }
  }
  return out;
}

/**
 * Horizontal and vertical lines of a grey image. A thin border scanned at an
 * angle, or turned back by deskewing, is smeared over two or three pixel
 * rows, none of them dark: a pixel is on a horizontal line when its
 * contrast (see above) and that of its neighbours above and below add up
 * to `minDark` (likewise left and right for vertical lines; see runs for the
 * weaker level a line may dip to). `minLen` is the
 * shortest border (pixels): longer than a character's stroke, shorter than
 * the narrowest cell; `reach` a little more than the thickest border.
 */
export function findRulings(img: Gray, minDark: number, minLen: number, maxThickness: number, reach = 4, maxGap = 2): Rulings {
  const { width, height } = img;
  const weak = Math.round(minDark / 2);
  const eh = lineEvidence(contrast(img, width, reach), width, height, width, 1);
  const hr = runs(height, width, (y, x) => eh[y * width + x], minDark, weak, minLen, maxGap);
  const ev = lineEvidence(contrast(img, 1, reach), width, height, 1, width);
  const vr = runs(width, height, (x, y) => ev[y * width + x], minDark, weak, minLen, maxGap);
  const h = mergeRuns(hr, maxThickness).map((g) => ({ y: g.pos, x0: g.a, x1: g.b, t0: g.t0, t1: g.t1 }));
  const v = mergeRuns(vr, maxThickness).map((g) => ({ x: g.pos, y0: g.a, y1: g.b, t0: g.t0, t1: g.t1 }));
  return { h, v };
}

/** Paints the rulings white in `data` (grey, 255 = paper), one pixel beyond their thickness. */
export function eraseRulings(data: Uint8Array, width: number, height: number, r: Rulings): void {
  for (const s of r.h) {
    for (let y = Math.max(0, s.t0 - 1); y <= Math.min(height - 1, s.t1 + 1); y++) data.fill(255, y * width + Math.max(0, s.x0 - 1), y * width + Math.min(width, s.x1 + 1));
  }
  for (const s of r.v) {
    for (let y = Math.max(0, s.y0 - 1); y < Math.min(height, s.y1 + 1); y++) {
      data.fill(255, y * width + Math.max(0, s.t0 - 1), y * width + Math.min(width, s.t1 + 2));
    }
  }
}

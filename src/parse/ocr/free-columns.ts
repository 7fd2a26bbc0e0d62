// Columns of a table printed without borders, from the page's own layout:
// where many free lines have ink and where (almost) none do. Used to cut
// the free lines of a scanned page into cells (see textLines and
// headerCuts) where a fixed gap rule would join neighbouring columns.

import type { Box, Gray } from './image.js';
import { inkProfile } from './text-lines.js';

/**
 * Where the free lines of a page leave the same x-range blank: the columns
 * of a table printed without borders. Numbers in narrow columns of large
 * type stand closer than any fixed gap rule allows ("1" and "859" of two
 * columns 1.1 line heights apart, while a prose line's full-width comma
 * leaves 0.8), so a narrower gap in a line only cuts it where the lines
 * around it are blank too: a column's edge lines up across rows, a gap
 * between words of prose does not.
 */
export class ColumnEvidence {
  private readonly rows: { mid: number; y0: number; y1: number; ink: Uint8Array }[];
  constructor(img: Gray, private readonly b: Box, threshold: number, rows: [number, number][]) {
    this.rows = rows.map(([r0, r1]) => {
      const prof = inkProfile(img, { x0: b.x0, x1: b.x1, y0: b.y0 + r0, y1: b.y0 + r1 }, threshold, 'cols');
      return { mid: b.y0 + (r0 + r1) / 2, y0: b.y0 + r0, y1: b.y0 + r1, ink: Uint8Array.from(prof, (v) => (v > 0 ? 1 : 0)) };
    });
  }

  /** Ink (by x from the box's left) of the line through y, if any. */
  inkAt(y: number): Uint8Array | null {
    return this.rows.find((r) => y >= r.y0 && y < r.y1)?.ink ?? null;
  }

  get left(): number {
    return Math.round(this.b.x0);
  }

  /**
   * `piece` (one line of one piece, h its character height) cut at every gap
   * of at least 0.6 h (the digits of one number stand closer: a gap under
   * half a character height) that the lines within eight line heights above
   * and below leave blank as well, with ink beside it in some (the cells of a
   * column: a column edge; a few lines with ink across it are headers or
   * labels that span columns).
   */
  cut(piece: Box, h: number): Box[] {
    const ox = Math.round(this.b.x0);
    const x0 = Math.round(piece.x0) - ox, x1 = Math.round(piece.x1) - ox;
    const mid = (piece.y0 + piece.y1) / 2;
    const self = this.rows.find((r) => r.mid >= piece.y0 && r.mid <= piece.y1);
    if (!self) return [piece];
    const near = this.rows.filter((r) => r !== self && Math.abs(r.mid - mid) <= 12 * h);
    const gaps: [number, number][] = [];
    let last = -1;
    for (let x = x0; x < x1; x++) {
      if (!self.ink[x]) continue;
      if (last >= 0 && x - last - 1 >= 0.6 * h) gaps.push([last + 1, x]);
      last = x;
    }
    const out: Box[] = [];
    let start = piece.x0;
    for (const [g0, g1] of gaps) {
      if (!this.blankColumn(near, g0, g1, h)) continue;
      const c = ox + (g0 + g1) / 2;
      out.push({ ...piece, x0: start, x1: c });
      start = c;
    }
    if (out.length === 0) return [piece];
    out.push({ ...piece, x0: start });
    return out;
  }

  /** Lines around have (almost) no ink in the middle of the gap and some have ink beside it. */
  private blankColumn(near: readonly { ink: Uint8Array }[], g0: number, g1: number, h: number): boolean {
    const c0 = Math.round((g0 + g1) / 2 - 0.15 * h), c1 = Math.round((g0 + g1) / 2 + 0.15 * h);
    const reach = Math.round(4 * h);
    let present = 0, blocked = 0, lefts = 0, rights = 0;
    for (const r of near) {
      const any = (a: number, z: number) => {
        for (let x = Math.max(0, a); x < Math.min(r.ink.length, z); x++) if (r.ink[x]) return true;
        return false;
      };
      const left = any(g0 - reach, c0), right = any(c1 + 1, g1 + reach);
      if (!left && !right && !any(c0, c1 + 1)) continue;
      present++;
      if (any(c0, c1 + 1)) blocked++;
      else {
        if (left) lefts++;
        if (right) rights++;
      }
    }
    return lefts + rights >= 1 && blocked <= 0.2 * present;
  }
}


export interface ReadPiece { box: Box; text: string; value: boolean }

/**
 * Header words of neighbouring narrow columns stand closer than a column
 * gap (stacked "商业企/业", "科研/机构" a column each) and are read as one
 * piece across the columns, which the stream strategy cannot place. Once the
 * first reading shows which pieces are values, the rows with two or more
 * values are a table's value rows; a piece that is no value, lies over
 * their value columns and has value rows below it (a header) is cut at
 * every gap of 0.4 character heights or more that the value rows around it
 * leave blank (a column edge; the characters of one header word stand
 * closer). Returns the pieces to cut, by index, with their parts.
 */
export function headerCuts(img: Gray, threshold: number, ev: ColumnEvidence, pieces: readonly ReadPiece[], usual: number): { index: number; parts: Box[] }[] {
  const values = pieces.filter((p) => p.value);
  const rows: { y: number; left: number; ink: Uint8Array }[] = [];
  for (const v of values) {
    const y = (v.box.y0 + v.box.y1) / 2;
    const same = values.filter((w) => Math.abs((w.box.y0 + w.box.y1) / 2 - y) <= 0.5 * usual);
    const ink = ev.inkAt(y);
    if (same.length >= 2 && ink && !rows.some((r) => r.ink === ink)) rows.push({ y, left: Math.min(...same.map((w) => w.box.x0)), ink });
  }
  if (rows.length === 0) return [];
  const out: { index: number; parts: Box[] }[] = [];
  const ox = ev.left;
  pieces.forEach((p, index) => {
    if (p.value || p.box.x1 - p.box.x0 < 2 * usual) return;
    const near = rows.filter((r) => Math.abs(r.y - (p.box.y0 + p.box.y1) / 2) <= 12 * usual);
    if (!near.some((r) => r.y > p.box.y1) || p.box.x0 < Math.min(...near.map((r) => r.left)) - usual) return;
    const prof = inkProfile(img, p.box, threshold, 'cols');
    const parts: Box[] = [];
    let start = p.box.x0, last = -1;
    for (let i = 0; i < prof.length; i++) {
      if (!prof[i]) continue;
      if (last >= 0 && i - last - 1 >= 0.4 * usual) {
        const c = Math.round(p.box.x0) + (last + 1 + i) / 2;
        const c0 = Math.round(c - 0.15 * usual) - ox, c1 = Math.round(c + 0.15 * usual) - ox;
        if (!near.some((r) => r.ink.subarray(Math.max(0, c0), Math.max(0, c1 + 1)).some((v) => v > 0))) {
          parts.push({ ...p.box, x0: start, x1: c });
          start = c;
        }
      }
      last = i;
    }
    if (parts.length) out.push({ index, parts: [...parts, { ...p.box, x0: start }] });
  });
  return out;
}

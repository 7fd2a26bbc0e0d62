// Positioned text from pdfjs getTextContent, reduced to what the layout code
// needs: the string and its box in viewport space (origin top-left, y down).
//
// Quirks handled here rather than downstream:
//  - WPS emits whitespace-only items whose `width` is absurd (thousands of
//    points); their geometry is meaningless, so they are dropped — gaps are
//    recomputed from the positions of the visible runs.
//  - Fake bold: some producers draw a string twice, offset by a fraction of
//    a point. The copy would double every character of a heading or a cell.
//  - Kangxi radicals / radical-supplement code points are mapped back to the
//    unified ideographs (normalize-radicals.ts).

import type { OcrReading } from '../types.js';
import { normalizeRadicals } from '../normalize-radicals.js';
import type { Matrix } from './matrix.ts';

export interface TextRun {
  text: string;
  /** Left edge. */
  x: number;
  /** Right edge. */
  right: number;
  /** Baseline (y down). */
  base: number;
  /** Font size in points (height of the em square on the page). */
  fs: number;
  page: number;
  /** Set by OCR (src/parse/ocr) on runs read from a scanned page. */
  ocr?: OcrReading;
}

/** The subset of pdfjs' TextItem we read (TextMarkedContent items have no `str`). */
export interface RawTextItem {
  str?: string;
  transform?: number[];
  width?: number;
  height?: number;
}


/** Center of a run's glyph box, used to decide which cell it belongs to. */
export function runCenterY(r: TextRun): number {
  return r.base - r.fs * 0.35;
}

export function toTextRuns(items: readonly RawTextItem[], vt: Matrix, page: number): TextRun[] {
  const runs: TextRun[] = [];
  const seen = new Map<string, TextRun[]>();
  for (const it of items) {
    const str = it.str;
    if (!str || !it.transform || !/\S/.test(str)) continue;
    const [a, b, c, d, e, f] = it.transform;
    // Origin of the run in viewport space.
    const x = vt[0] * e + vt[2] * f + vt[4];
    const y = vt[1] * e + vt[3] * f + vt[5];
    // Direction of the baseline in viewport space tells rotated text apart.
    const dx = vt[0] * a + vt[2] * b;
    const dy = vt[1] * a + vt[3] * b;
    const fs = Math.hypot(c, d) || Math.hypot(a, b) || it.height || 10;
    const width = Math.max(0, it.width ?? 0);
    let run: TextRun;
    if (Math.abs(dy) <= Math.abs(dx) * 0.2) {
      const rightward = dx >= 0;
      run = {
        text: normalizeRadicals(str),
        x: rightward ? x : x - width,
        right: rightward ? x + width : x,
        base: y,
        fs,
        page,
      };
    } else {
      // Rotated 90°: a column of glyphs. Reduce it to a narrow box so that it
      // still lands in the right cell; its own line order is not preserved.
      const down = dy > 0;
      run = { text: normalizeRadicals(str), x: x - fs / 2, right: x + fs / 2, base: down ? y + width : y, fs, page };
    }
    if (isFakeBoldCopy(run, seen)) continue;
    runs.push(run);
  }
  return runs;
}

function isFakeBoldCopy(run: TextRun, seen: Map<string, TextRun[]>): boolean {
  const list = seen.get(run.text);
  const tol = Math.max(0.6, run.fs * 0.15);
  if (list) {
    for (const o of list) {
      if (Math.abs(o.x - run.x) < tol && Math.abs(o.base - run.base) < tol) return true;
    }
    list.push(run);
  } else {
    seen.set(run.text, [run]);
  }
  return false;
}

/** True for characters that are laid out without spaces between them (CJK and full-width forms). */
export function isWideChar(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (
    (cp >= 0x2e80 && cp <= 0x9fff) ||
    (cp >= 0xac00 && cp <= 0xd7af) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xffef) ||
    (cp >= 0x20000 && cp <= 0x3ffff) ||
    cp === 0x2014 || cp === 0x2026 || cp === 0x201c || cp === 0x201d || cp === 0x2018 || cp === 0x2019
  );
}

/**
 * Splits a run into per-character pieces with estimated positions, for runs
 * that straddle a cell border (one showText covering several cells). Wide
 * characters get a full em, others half, scaled to the run's real width.
 */
export function splitRunByChar(run: TextRun): TextRun[] {
  const chars = Array.from(run.text);
  const weights = chars.map((ch) => (isWideChar(ch) ? 1 : 0.5));
  const total = weights.reduce((s, w) => s + w, 0) || 1;
  const unit = (run.right - run.x) / total;
  const out: TextRun[] = [];
  let x = run.x;
  chars.forEach((ch, i) => {
    const w = weights[i] * unit;
    if (/\S/.test(ch)) out.push({ ...run, text: ch, x, right: x + w });
    x += w;
  });
  return out;
}

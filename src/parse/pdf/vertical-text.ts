// Glyphs of vertical-writing fonts (Identity-V CMaps), placed from the
// operator list.
//
// WPS prints the tall merged cell "三、本年度办理结果" with a vertical font,
// one glyph per line. pdfjs 5.4's getTextContent loses most of those glyphs:
// its vertical position bookkeeping drifts off the page and the glyphs fail
// its view-box test (it returned "三、本" for "三、本年度办理结果"). The
// operator list still has every glyph, so for fonts the text content marks
// `vertical` we follow the text state ourselves and emit one run per glyph;
// the text-content items of those fonts are discarded by the caller.

import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { normalizeRadicals } from '../normalize-radicals.js';
import type { TextRun } from './text-runs.js';
import { IDENTITY, multiply, stepGraphicsState, type Matrix } from './matrix.ts';


interface Glyph {
  unicode?: string;
  width?: number;
  vmetric?: number[] | null;
  isSpace?: boolean;
}



interface State {
  ctm: Matrix;
  font: string;
  size: number;
  charSpacing: number;
  wordSpacing: number;
  leading: number;
  rise: number;
}

/**
 * Runs for the glyphs drawn with any font in `verticalFonts` (pdfjs loaded
 * font names), in viewport space given by `vt`.
 */
export function verticalFontRuns(
  fnArray: ArrayLike<number>,
  argsArray: ArrayLike<unknown>,
  vt: Matrix,
  verticalFonts: ReadonlySet<string>,
  page: number,
): TextRun[] {
  const runs: TextRun[] = [];
  let st: State = { ctm: vt, font: '', size: 0, charSpacing: 0, wordSpacing: 0, leading: 0, rise: 0 };
  const stack: State[] = [];
  let tm: Matrix = IDENTITY; // text matrix
  let tlm: Matrix = IDENTITY; // text line matrix
  const moveLine = (tx: number, ty: number) => {
    tlm = multiply(tlm, [1, 0, 0, 1, tx, ty]);
    tm = tlm;
  };

  for (let i = 0, n = fnArray.length; i < n; i++) {
    const args = argsArray[i] as unknown[] | null;
    const next = stepGraphicsState(fnArray[i], args, st, stack);
    if (next) {
      st = next;
      continue;
    }
    switch (fnArray[i]) {
      case OPS.beginText:
        tm = IDENTITY;
        tlm = IDENTITY;
        break;
      case OPS.setTextMatrix:
        tm = tlm = Array.from((args?.[0] as ArrayLike<number>) ?? IDENTITY) as Matrix;
        break;
      case OPS.moveText:
        moveLine(Number(args?.[0]), Number(args?.[1]));
        break;
      case OPS.setLeadingMoveText:
        st.leading = -Number(args?.[1]);
        moveLine(Number(args?.[0]), Number(args?.[1]));
        break;
      case OPS.nextLine:
        moveLine(0, -st.leading);
        break;
      case OPS.setLeading:
        st.leading = Number(args?.[0]);
        break;
      case OPS.setCharSpacing:
        st.charSpacing = Number(args?.[0]);
        break;
      case OPS.setWordSpacing:
        st.wordSpacing = Number(args?.[0]);
        break;
      case OPS.setTextRise:
        st.rise = Number(args?.[0]);
        break;
      case OPS.setFont:
        st.font = String(args?.[0]);
        st.size = Number(args?.[1]);
        break;
      case OPS.showText:
      case OPS.showSpacedText: {
        const glyphs = (args?.[0] as (Glyph | number | null)[]) ?? [];
        const vertical = verticalFonts.has(st.font);
        for (const g of glyphs) {
          if (typeof g === 'number') {
            // TJ adjustment: along y for vertical fonts, along x otherwise.
            const d = (-g / 1000) * st.size;
            tm = multiply(tm, vertical ? [1, 0, 0, 1, 0, d] : [1, 0, 0, 1, d, 0]);
            continue;
          }
          if (!g) continue;
          const spacing = st.charSpacing + (g.isSpace ? st.wordSpacing : 0);
          if (!vertical) {
            // Keep the text matrix right for a vertical font shown later in the same BT block.
            tm = multiply(tm, [1, 0, 0, 1, ((g.width ?? 0) / 1000) * st.size + spacing, 0]);
            continue;
          }
          const trm = multiply(st.ctm, multiply(tm, [st.size, 0, 0, st.size, 0, st.rise]));
          const ox = trm[4], oy = trm[5];
          const fs = Math.hypot(trm[2], trm[3]) || st.size;
          if (g.unicode && /\S/.test(g.unicode)) {
            // A vertical glyph hangs below its origin, centred on it.
            runs.push({ text: normalizeRadicals(g.unicode), x: ox - fs / 2, right: ox + fs / 2, base: oy + fs * 0.88, fs, page });
          }
          const w1 = g.vmetric ? g.vmetric[0] : -1000;
          tm = multiply(tm, [1, 0, 0, 1, 0, (w1 / 1000) * st.size + spacing]);
        }
        break;
      }
      default:
        break;
    }
  }
  return runs;
}

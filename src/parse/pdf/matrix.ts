// PDF transformation matrices [a b c d e f] and the graphics-state stack,
// shared by the drawing-operator readers (ruling lines, vertical text) and
// the text-run positioning.
import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m applied after n (PDF row-vector convention): returns n × m. */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    n[0] * m[0] + n[1] * m[2],
    n[0] * m[1] + n[1] * m[3],
    n[2] * m[0] + n[3] * m[2],
    n[2] * m[1] + n[3] * m[3],
    n[4] * m[0] + n[5] * m[2] + m[4],
    n[4] * m[1] + n[5] * m[3] + m[5],
  ];
}

/**
 * One step of the graphics-state stack as an operator list drives it: q/Q,
 * cm, and form XObjects (which save the state and apply their own matrix).
 * Returns the state current after `fn`, or null when `fn` is none of these.
 */
export function stepGraphicsState<S extends { ctm: Matrix }>(fn: number, args: unknown[] | null, st: S, stack: S[]): S | null {
  switch (fn) {
    case OPS.save:
      stack.push(st);
      return { ...st };
    case OPS.restore:
    case OPS.paintFormXObjectEnd:
      return stack.pop() ?? st;
    case OPS.transform:
      st.ctm = multiply(st.ctm, args as Matrix);
      return st;
    case OPS.paintFormXObjectBegin: {
      stack.push(st);
      const next = { ...st };
      const m = args?.[0] as ArrayLike<number> | null | undefined;
      if (m) next.ctm = multiply(next.ctm, Array.from(m) as Matrix);
      return next;
    }
    default:
      return null;
  }
}

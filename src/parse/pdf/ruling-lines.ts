// Turns a page's operator list into the horizontal and vertical ruling lines
// a reader sees as table borders. Producers draw borders in two ways:
//  - stroked paths (Word, LibreOffice, most WPS versions): `m … l … S`;
//  - filled thin rectangles (other WPS exports, some PDF printers): `re f`
//    with one side a fraction of a point — pdf-parse's table finder misses these.
// Both end up as axis-aligned segments in viewport space (origin top-left,
// y down), the same space the text runs are placed in (see text-runs.ts).

import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { stepGraphicsState, type Matrix } from './matrix.ts';

/** A horizontal (`y` fixed, from `a` to `b` along x) or vertical (`x` fixed, `a`..`b` along y) line. */
export interface Segment {
  /** The fixed coordinate: y for horizontal lines, x for vertical ones. */
  at: number;
  a: number;
  b: number;
}

export interface RulingLines {
  horizontal: Segment[];
  vertical: Segment[];
}


// pdfjs' path buffer op codes inside constructPath (DrawOPS in pdf.mjs; not exported).
const MOVE_TO = 0;
const LINE_TO = 1;
const CURVE_TO = 2;
const CLOSE_PATH = 3;

/** A filled rectangle thinner than this (points) is a border line, not a shaded cell. */
const THIN_FILL = 2.5;
/** Axis-alignment tolerance for a path edge (points). */
const AXIS_TOL = 0.3;
/** Shorter pieces are glyph details or bullets, not borders. */
const MIN_LENGTH = 2;

const STROKE_OPS = new Set<number>([
  OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke,
]);
const FILL_OPS = new Set<number>([
  OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke,
]);


interface GState {
  ctm: Matrix;
  lineWidth: number;
  strokeVisible: boolean;
  fillVisible: boolean;
}

/** White (or unknown-to-be-dark) paint does not draw a visible border on white paper. */
function isVisibleColor(arg: unknown): boolean {
  if (typeof arg !== 'string') return true;
  const hex = arg.toLowerCase();
  return hex !== '#ffffff' && hex !== '#fff';
}

/**
 * Collects ruling lines from an operator list. `viewport` is the page
 * viewport's transform (user space → top-left viewport space).
 */
export function extractRulingLines(
  fnArray: ArrayLike<number>,
  argsArray: ArrayLike<unknown>,
  viewport: Matrix,
): RulingLines {
  const horizontal: Segment[] = [];
  const vertical: Segment[] = [];
  let st: GState = { ctm: viewport, lineWidth: 1, strokeVisible: true, fillVisible: true };
  const stack: GState[] = [];

  const addEdge = (x1: number, y1: number, x2: number, y2: number) => {
    if (Math.abs(y1 - y2) <= AXIS_TOL && Math.abs(x2 - x1) >= MIN_LENGTH) {
      horizontal.push({ at: (y1 + y2) / 2, a: Math.min(x1, x2), b: Math.max(x1, x2) });
    } else if (Math.abs(x1 - x2) <= AXIS_TOL && Math.abs(y2 - y1) >= MIN_LENGTH) {
      vertical.push({ at: (x1 + x2) / 2, a: Math.min(y1, y2), b: Math.max(y1, y2) });
    }
  };

  const addThinRect = (xs: number[], ys: number[]) => {
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const w = x1 - x0, h = y1 - y0;
    if (h <= THIN_FILL && w >= MIN_LENGTH && w > h) horizontal.push({ at: (y0 + y1) / 2, a: x0, b: x1 });
    else if (w <= THIN_FILL && h >= MIN_LENGTH && h > w) vertical.push({ at: (x0 + x1) / 2, a: y0, b: y1 });
    // Larger fills are cell shading or page backgrounds: their edges usually
    // coincide with drawn borders, and treating them as borders would turn
    // every coloured box into a table.
  };

  for (let i = 0, n = fnArray.length; i < n; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    const next = stepGraphicsState(fn, args, st, stack);
    if (next) {
      st = next;
      continue;
    }
    switch (fn) {
      case OPS.setLineWidth:
        st.lineWidth = Number(args?.[0]) || 0;
        break;
      case OPS.setStrokeRGBColor:
        st.strokeVisible = isVisibleColor(args?.[0]);
        break;
      case OPS.setFillRGBColor:
        st.fillVisible = isVisibleColor(args?.[0]);
        break;
      case OPS.constructPath: {
        const op = args?.[0] as number;
        const path = (args?.[1] as (Float32Array | number[] | null)[] | undefined)?.[0];
        if (!path) break;
        const stroke = STROKE_OPS.has(op) && st.strokeVisible;
        const fill = FILL_OPS.has(op) && st.fillVisible;
        if (!stroke && !fill) break; // clipping paths (endPath) draw nothing
        walkPath(path, st.ctm, stroke ? addEdge : null, fill ? addThinRect : null);
        break;
      }
      default:
        break;
    }
  }
  return { horizontal, vertical };
}

/** Visits each straight edge (for strokes) and each closed subpath's points (for fills). */
function walkPath(
  path: ArrayLike<number>,
  m: Matrix,
  onEdge: ((x1: number, y1: number, x2: number, y2: number) => void) | null,
  onSubpath: ((xs: number[], ys: number[]) => void) | null,
): void {
  let cx = 0, cy = 0, sx = 0, sy = 0;
  let xs: number[] = [], ys: number[] = [];
  let straight = true;
  const flush = () => {
    if (onSubpath && straight && xs.length >= 3) onSubpath(xs, ys);
    xs = [];
    ys = [];
    straight = true;
  };
  const tx = (x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
  for (let i = 0; i < path.length; ) {
    const op = path[i++];
    if (op === MOVE_TO) {
      flush();
      [cx, cy] = tx(path[i++], path[i++]);
      sx = cx;
      sy = cy;
      xs.push(cx);
      ys.push(cy);
    } else if (op === LINE_TO) {
      const [x, y] = tx(path[i++], path[i++]);
      onEdge?.(cx, cy, x, y);
      cx = x;
      cy = y;
      xs.push(x);
      ys.push(y);
    } else if (op === CURVE_TO) {
      i += 4;
      [cx, cy] = tx(path[i++], path[i++]);
      straight = false;
    } else if (op === CLOSE_PATH) {
      onEdge?.(cx, cy, sx, sy);
      cx = sx;
      cy = sy;
      flush();
    } else {
      break; // unknown op: stop rather than misread the rest of the buffer
    }
  }
  flush();
}

// One OFD page's content → the positioned text runs and ruling lines the PDF
// path builds its lines and tables from (src/parse/pdf: TextRun, Segment),
// in points with the origin top-left and y down, as there. OFD already
// draws in that orientation, in millimetres: TextObject/PathObject carry a
// Boundary (x y w h) whose origin, after the optional CTM, places the
// object's own coordinates; a TextCode gives the first glyph's baseline
// origin (X, Y) and the advances of the others (DeltaX/DeltaY, with the
// "g n v" repeat shorthand).
import { normalizeRadicals } from '../normalize-radicals.ts';
import type { TextRun } from '../pdf/text-runs.ts';
import { isWideChar } from '../pdf/text-runs.ts';
import type { RulingLines, Segment } from '../pdf/ruling-lines.ts';
import { child, childrenNamed, numbers, type XmlEl } from './xml.ts';

/** Millimetres → points, the unit of every tolerance in the PDF layout code. */
export const MM = 72 / 25.4;

/** Axis-alignment tolerance of a path edge, mm. */
const AXIS_TOL = 0.1;
/** Shorter pieces are glyph details or bullets, not borders (mm; 2 pt as in the PDF path). */
const MIN_LENGTH = 0.7;
/** A filled shape thinner than this is a border line, not a shaded cell (mm; 2.5 pt as in the PDF path). */
const THIN_FILL = 0.88;

export interface PageContent {
  runs: TextRun[];
  rulings: RulingLines;
  images: number;
  /** Text objects drawn through glyph transforms, whose codes may not be the characters shown. */
  glyphTransforms: number;
  /** Composite objects (reusable drawings in resources), not read. */
  composites: number;
}

type Affine = [number, number, number, number, number, number];

/** Object space → page space (mm): the CTM, then the Boundary's origin. */
function placement(obj: XmlEl): Affine {
  const [bx = 0, by = 0] = numbers(obj.attrs.Boundary);
  const ctm = numbers(obj.attrs.CTM);
  const [a, b, c, d, e, f] = ctm.length === 6 ? ctm : [1, 0, 0, 1, 0, 0];
  return [a, b, c, d, e + bx, f + by];
}

function apply(m: Affine, u: number, v: number): [number, number] {
  return [m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5]];
}

/** DeltaX/DeltaY with the "g <count> <value>" repeat shorthand expanded. */
export function expandDeltas(s: string | undefined): number[] {
  if (!s) return [];
  const tokens = s.trim().split(/\s+/).filter(Boolean);
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === 'g') {
      const n = Number(tokens[i + 1]), v = Number(tokens[i + 2]);
      if (Number.isFinite(n) && Number.isFinite(v)) for (let k = 0; k < n; k++) out.push(v);
      i += 2;
    } else if (Number.isFinite(Number(tokens[i]))) {
      out.push(Number(tokens[i]));
    }
  }
  return out;
}

interface Glyph {
  ch: string;
  x: number;
  right: number;
  base: number;
  fs: number;
}

function textGlyphs(obj: XmlEl, out: Glyph[]): void {
  const m = placement(obj);
  const size = Number(obj.attrs.Size) || 3.5;
  // Glyph height on the page: the CTM's scale across the baseline.
  const scaleY = Math.hypot(m[2], m[3]) || 1;
  const scaleX = Math.hypot(m[0], m[1]) || 1;
  let u = 0, v = 0;
  for (const code of childrenNamed(obj, 'TextCode')) {
    if (code.attrs.X !== undefined) u = Number(code.attrs.X) || 0;
    if (code.attrs.Y !== undefined) v = Number(code.attrs.Y) || 0;
    const dx = expandDeltas(code.attrs.DeltaX), dy = expandDeltas(code.attrs.DeltaY);
    const chars = Array.from(normalizeRadicals(code.text));
    chars.forEach((ch, i) => {
      const advance = isWideChar(ch) ? size : size / 2;
      const [x, base] = apply(m, u, v);
      if (/\S/.test(ch)) out.push({ ch, x, right: x + advance * scaleX, base, fs: size * scaleY });
      if (i < chars.length - 1) {
        // Without deltas a glyph advances by its own width; vertical text (DeltaY only) does not advance along x.
        u += i < dx.length ? dx[i] : dy.length ? 0 : advance;
        v += i < dy.length ? dy[i] : 0;
      } else {
        u += advance;
      }
    });
  }
}

/** Glyphs on one baseline with no visible gap between them are one run, as pdfjs gives a showText. */
function glyphsToRuns(glyphs: Glyph[], page: number): TextRun[] {
  const runs: TextRun[] = [];
  let cur: Glyph[] = [];
  const flush = () => {
    if (!cur.length) return;
    runs.push({
      text: cur.map((g) => g.ch).join(''),
      x: cur[0].x * MM,
      right: Math.max(...cur.map((g) => g.right)) * MM,
      base: cur[0].base * MM,
      fs: Math.max(...cur.map((g) => g.fs)) * MM,
      page,
    });
    cur = [];
  };
  for (const g of glyphs) {
    const prev = cur[cur.length - 1];
    if (prev && (Math.abs(g.base - prev.base) > 0.1 * g.fs || g.x < prev.x || g.x - prev.right > 0.5 * g.fs)) flush();
    cur.push(g);
  }
  flush();
  return runs;
}

function isWhite(color: XmlEl | undefined): boolean {
  const v = numbers(color?.attrs.Value);
  return v.length >= 3 && v.slice(0, 3).every((c) => c >= 250);
}

/** Straight edges of a path (M/S move, L line, C close; curves only move the pen), in page mm. */
function pathEdges(obj: XmlEl): [number, number, number, number][] {
  const m = placement(obj);
  const data = child(obj, 'AbbreviatedData')?.text ?? '';
  const tokens = data.trim().split(/\s+/).filter(Boolean);
  const edges: [number, number, number, number][] = [];
  let cur: [number, number] | null = null, start: [number, number] | null = null;
  const take = (k: number) => tokens.slice(0, k).map(Number);
  while (tokens.length) {
    const op = tokens.shift()!;
    const argc = { M: 2, S: 2, L: 2, Q: 4, B: 6, A: 7, C: 0 }[op];
    if (argc === undefined) continue;
    const args = take(argc);
    tokens.splice(0, argc);
    if (args.some((n) => !Number.isFinite(n))) break;
    if (op === 'C') {
      if (cur && start) edges.push([...cur, ...start]);
      cur = start;
      continue;
    }
    const p = apply(m, args[argc - 2], args[argc - 1]);
    if (op === 'M' || op === 'S') start = p;
    else if (op === 'L' && cur) edges.push([...cur, ...p]);
    cur = p;
  }
  return edges;
}

function pathRulings(obj: XmlEl, out: RulingLines): void {
  const stroke = obj.attrs.Stroke !== 'false' && !isWhite(child(obj, 'StrokeColor'));
  const fill = obj.attrs.Fill === 'true' && !isWhite(child(obj, 'FillColor'));
  const edges = pathEdges(obj);
  const seg = (at: number, a: number, b: number): Segment => ({ at: at * MM, a: Math.min(a, b) * MM, b: Math.max(a, b) * MM });
  if (stroke) {
    for (const [x0, y0, x1, y1] of edges) {
      if (Math.abs(y1 - y0) <= AXIS_TOL && Math.abs(x1 - x0) >= MIN_LENGTH) out.horizontal.push(seg((y0 + y1) / 2, x0, x1));
      else if (Math.abs(x1 - x0) <= AXIS_TOL && Math.abs(y1 - y0) >= MIN_LENGTH) out.vertical.push(seg((x0 + x1) / 2, y0, y1));
    }
  } else if (fill && edges.length) {
    // A thin filled rectangle is how some producers draw a border.
    const xs = edges.flatMap((e) => [e[0], e[2]]), ys = edges.flatMap((e) => [e[1], e[3]]);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    if (y1 - y0 <= THIN_FILL && x1 - x0 >= MIN_LENGTH) out.horizontal.push(seg((y0 + y1) / 2, x0, x1));
    else if (x1 - x0 <= THIN_FILL && y1 - y0 >= MIN_LENGTH) out.vertical.push(seg((x0 + x1) / 2, y0, y1));
  }
}

/** Runs and rulings of a page's content (its layers, blocks nested in them, and the template pages it draws on). */
export function readPageContent(contents: XmlEl[], page: number): PageContent {
  const glyphs: Glyph[] = [];
  const result: PageContent = { runs: [], rulings: { horizontal: [], vertical: [] }, images: 0, glyphTransforms: 0, composites: 0 };
  const visit = (el: XmlEl): void => {
    switch (el.name) {
      case 'TextObject':
        if (child(el, 'CGTransform')) result.glyphTransforms++;
        textGlyphs(el, glyphs);
        return;
      case 'PathObject':
        pathRulings(el, result.rulings);
        return;
      case 'ImageObject':
        result.images++;
        return;
      case 'CompositeObject':
        result.composites++;
        return;
      default:
        for (const c of el.children) visit(c);
    }
  };
  for (const content of contents) for (const layer of child(content, 'Content')?.children ?? []) visit(layer);
  result.runs = glyphsToRuns(glyphs, page);
  return result;
}

// Text recognition of single-line crops with the PP-OCR recognition model:
// the crop is scaled to the model's 48-pixel height, the model gives one
// class distribution per horizontal step, and CTC decoding (best class per
// step, repeats collapsed, blanks dropped) yields the string.
//
// Every crop is decoded twice: over the whole dictionary, and over digits and
// number punctuation only. A lone "0" is often read as the letter "o" by the
// full decode; in a crop whose full reading has no CJK text other than a
// unit, the digits-only reading is the one kept (both are returned).

import type { Box, Gray } from './image.js';
import { loadModels, type OcrModels } from './models.js';

export interface Reading {
  text: string;
  /** Lowest per-character probability (1 for a blank crop): one doubtful digit makes a doubtful number. */
  confidence: number;
  /** The digits-only decode, when it was kept instead of the full one or differs from it. */
  full?: string;
}

const HEIGHT = 48;
const MAX_WIDTH = 1600;
/** Crops are batched up to this much total width: batching helps small crops, and only slows long ones (cache). */
const BATCH_WIDTH = 1280;
const BATCH = 8;
const NUMERIC_CHARS = '0123456789.,-%+—－';
/** Characters a number cell may carry besides digits: units and counters. */
const UNIT_CHARS = /[元万亿件次个条项%]/g;

/** Box of the ink inside `b` (pixels darker than `threshold`), or null if the crop is blank. */
export function inkBox(img: Gray, b: Box, threshold: number): Box | null {
  const x0 = Math.max(0, Math.round(b.x0)), x1 = Math.min(img.width, Math.round(b.x1));
  const y0 = Math.max(0, Math.round(b.y0)), y1 = Math.min(img.height, Math.round(b.y1));
  const colInk = new Uint16Array(Math.max(0, x1 - x0)), rowInk = new Uint16Array(Math.max(0, y1 - y0));
  let total = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (img.data[y * img.width + x] <= threshold) {
        colInk[x - x0]++;
        rowInk[y - y0]++;
        total++;
      }
    }
  }
  // Scanner noise and JPEG ringing leave isolated dark pixels; a stroke of
  // the smallest printed character covers far more than this.
  const minInk = Math.max(12, (y1 - y0) * 0.15);
  if (total < minInk) return null;
  const span = (prof: Uint16Array, min: number): [number, number] | null => {
    let a = 0, z = prof.length - 1;
    while (a <= z && prof[a] < min) a++;
    while (z >= a && prof[z] < min) z--;
    return a <= z ? [a, z + 1] : null;
  };
  const xs = span(colInk, 1), ys = span(rowInk, 1);
  if (!xs || !ys) return null;
  // The recogniser was trained on crops with a little paper around the text.
  const pad = Math.max(2, Math.round((ys[1] - ys[0]) * 0.12));
  return {
    x0: Math.max(x0, x0 + xs[0] - pad), x1: Math.min(x1, x0 + xs[1] + pad),
    y0: Math.max(y0, y0 + ys[0] - pad), y1: Math.min(y1, y0 + ys[1] + pad),
  };
}

/** Scales `b` of `img` to HEIGHT rows (bilinear) as normalised floats, centred in a padded box. */
function toTensorRows(img: Gray, b: Box, width: number, out: Float32Array, offset: number, plane: number): void {
  const bw = b.x1 - b.x0, bh = b.y1 - b.y0;
  const scale = HEIGHT / bh;
  const w = Math.min(width, Math.max(1, Math.round(bw * scale)));
  for (let y = 0; y < HEIGHT; y++) {
    const sy = Math.min(bh - 1, Math.max(0, (y + 0.5) / scale - 0.5)) + b.y0;
    const iy = Math.floor(sy), fy = sy - iy, iy1 = Math.min(img.height - 1, iy + 1);
    for (let x = 0; x < width; x++) {
      let v = 0; // PaddleOCR pads with 0 after normalisation.
      if (x < w) {
        const sx = Math.min(bw - 1, Math.max(0, (x + 0.5) * (bw / w) - 0.5)) + b.x0;
        const ix = Math.floor(sx), fx = sx - ix, ix1 = Math.min(img.width - 1, ix + 1);
        const d = img.data;
        const top = d[iy * img.width + ix] * (1 - fx) + d[iy * img.width + ix1] * fx;
        const bot = d[iy1 * img.width + ix] * (1 - fx) + d[iy1 * img.width + ix1] * fx;
        v = (top * (1 - fy) + bot * fy) / 127.5 - 1;
      }
      const k = offset + y * width + x;
      out[k] = v;
      out[k + plane] = v;
      out[k + 2 * plane] = v;
    }
  }
}

function decode(probs: Float32Array, base: number, steps: number, classes: number, chars: string[], allowed: number[] | null): { text: string; confidence: number } {
  let text = '', confidence = 1, prev = -1;
  for (let t = 0; t < steps; t++) {
    const row = base + t * classes;
    let best = 0, bestP = -1;
    if (allowed) {
      for (const c of allowed) if (probs[row + c] > bestP) { bestP = probs[row + c]; best = c; }
    } else {
      for (let c = 0; c < classes; c++) if (probs[row + c] > bestP) { bestP = probs[row + c]; best = c; }
    }
    if (best !== 0 && best !== prev) {
      text += chars[best];
      confidence = Math.min(confidence, bestP);
    }
    prev = best;
  }
  return { text, confidence };
}

/**
 * A reading that is a number, possibly with letters the recogniser confuses
 * with digits ("o" for 0, "l" for 1); at most one other character. A word
 * such as a seal's legend stays text rather than become a number.
 */
function isNumberLike(text: string): boolean {
  const rest = text.replace(UNIT_CHARS, '');
  if (rest.length === 0 || rest.length > 16 || !/[\dOoIlSsBZz]/.test(rest)) return false;
  const others = rest.replace(/[\d.,\-%+—－OoIlSsBZz|]/g, '').length;
  return others <= (rest.length >= 3 ? 1 : 0);
}

let numericClasses: number[] | null = null;

/**
 * Recognises each box of `img` as one line of text. Boxes are the ink boxes
 * of cells or text lines (see inkBox); `null` boxes read as blank.
 */
export async function recognizeBoxes(img: Gray, boxes: readonly (Box | null)[], models?: OcrModels): Promise<Reading[]> {
  if (boxes.every((b) => b === null)) return boxes.map(() => ({ text: '', confidence: 1 }));
  const m = models ?? (await loadModels());
  numericClasses ??= [0, ...[...NUMERIC_CHARS].map((ch) => m.chars.indexOf(ch)).filter((i) => i > 0)];
  const out: Reading[] = boxes.map(() => ({ text: '', confidence: 1 }));
  // Batches of similar widths waste little on padding.
  const order = boxes
    .map((b, i) => ({ b, i, w: b ? Math.min(MAX_WIDTH, Math.ceil(((b.x1 - b.x0) * HEIGHT) / Math.max(1, b.y1 - b.y0))) : 0 }))
    .filter((e) => e.b && e.w > 0)
    .sort((p, q) => p.w - q.w);
  for (let s = 0; s < order.length; ) {
    let e = s + 1;
    while (e < order.length && e - s < BATCH && order[e].w * (e - s + 1) <= BATCH_WIDTH) e++;
    const batch = order.slice(s, e);
    s = e;
    const width = Math.max(64, Math.ceil(batch[batch.length - 1].w / 8) * 8);
    const plane = HEIGHT * width;
    const input = new Float32Array(batch.length * 3 * plane);
    batch.forEach((e, k) => toTensorRows(img, e.b as Box, width, input, k * 3 * plane, plane));
    const feeds = { [m.rec.inputNames[0]]: new m.ort.Tensor('float32', input, [batch.length, 3, HEIGHT, width]) };
    const res = await m.rec.run(feeds);
    const t = res[m.rec.outputNames[0]];
    const [, steps, classes] = t.dims as number[];
    const probs = t.data as Float32Array;
    batch.forEach((e, k) => {
      const base = k * steps * classes;
      const full = decode(probs, base, steps, classes, m.chars, null);
      const text = full.text.trim();
      if (isNumberLike(text) && !/[元万亿件次个条项]/.test(text)) {
        const digits = decode(probs, base, steps, classes, m.chars, numericClasses);
        out[e.i] = digits.text === text ? digits : { ...digits, full: text };
      } else {
        out[e.i] = { text, confidence: full.confidence };
      }
    });
  }
  return out;
}

// A grey-level raster (0 black … 255 white), the one image type the OCR code
// passes around, and the few whole-image operations it needs.

export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * RGBA → grey, with seal removal: official seals are printed in red over
 * signatures and tables. Where red clearly dominates green and blue, the
 * pixel is looked at through a red filter (its red channel), which the
 * translucent seal ink barely darkens. The red channel is then scaled so
 * that the seal's own level (the median over its pixels) becomes paper:
 * seal on paper turns white, while black text or a thin grey border under
 * the seal stays darker than that and is still read.
 */
export function toGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): { img: Gray; redPixels: number; seal?: Gray } {
  const data = new Uint8Array(width * height);
  // JPEG keeps colour at half resolution: the thin strokes of a seal's text
  // come out pinkish grey, so a modest excess of red is enough.
  const reddish = (r: number, g: number, b: number) => r - Math.max(g, b) > 25 && r > 90;
  const redHist = new Uint32Array(256);
  let redPixels = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if (reddish(rgba[i], rgba[i + 1], rgba[i + 2])) {
      redHist[rgba[i]]++;
      redPixels++;
    }
  }
  let sealLevel = 255;
  for (let v = 0, seen = 0; v < 256 && redPixels > 0; v++) {
    seen += redHist[v];
    if (seen >= redPixels / 2) { sealLevel = Math.max(v, 128); break; }
  }
  // Where the seal was (0), a border may be invisible: the grid builder is told.
  const seal = redPixels > 0 ? new Uint8Array(width * height).fill(255) : null;
  for (let i = 0, j = 0; j < data.length; i += 4, j++) {
    const r = rgba[i], g = rgba[i + 1], b = rgba[i + 2];
    if (reddish(r, g, b)) {
      data[j] = Math.min(255, Math.round((r * 255) / sealLevel));
      if (seal) seal[j] = 0;
    } else {
      // The darkest channel keeps faint black text dark even on tinted paper.
      data[j] = Math.min(r, g, b);
    }
  }
  return { img: { width, height, data }, redPixels, ...(seal ? { seal: { width, height, data: seal } } : {}) };
}

/** Otsu's threshold over the histogram of the image (or of its central part). */
export function otsuThreshold(img: Gray): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < img.data.length; i++) hist[img.data[i]]++;
  const total = img.data.length;
  let sum = 0;
  for (let t = 0; t < 256; t++) sum += t * hist[t];
  let sumB = 0, wB = 0, best = 0, threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t];
    const mB = sumB / wB, mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/**
 * The grey level of the paper: the most frequent level brighter than `above`
 * (the ink/paper threshold).
 */
export function paperLevel(img: Gray, above: number): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < img.data.length; i++) hist[img.data[i]]++;
  let best = 255;
  for (let t = above + 1; t < 256; t++) if (hist[t] > hist[best]) best = t;
  return best;
}

/** 1 where the pixel is ink. */
export function binarize(img: Gray, threshold: number): Uint8Array {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i] <= threshold ? 1 : 0;
  return out;
}

/** Rotates about the centre by `deg` degrees (bilinear, paper-white outside). */
export function rotate(img: Gray, deg: number): Gray {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h).fill(255);
  const a = (deg * Math.PI) / 180, cos = Math.cos(a), sin = Math.sin(a);
  const cx = w / 2, cy = h / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      // Inverse mapping: where in the source does this output pixel come from.
      const sx = cos * dx + sin * dy + cx, sy = -sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) continue;
      const fx = sx - x0, fy = sy - y0, k = y0 * w + x0;
      const top = data[k] * (1 - fx) + data[k + 1] * fx;
      const bot = data[k + w] * (1 - fx) + data[k + w + 1] * fx;
      out[y * w + x] = Math.round(top * (1 - fy) + bot * fy);
    }
  }
  return { width: w, height: h, data: out };
}

export function crop(img: Gray, b: Box): Gray {
  const x0 = Math.max(0, Math.floor(b.x0)), y0 = Math.max(0, Math.floor(b.y0));
  const x1 = Math.min(img.width, Math.ceil(b.x1)), y1 = Math.min(img.height, Math.ceil(b.y1));
  const w = Math.max(0, x1 - x0), h = Math.max(0, y1 - y0);
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) data.set(img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w), y * w);
  return { width: w, height: h, data };
}

// Skew of a scanned page. Rows of text and table borders are horizontal on
// the printed page; on a skewed scan the horizontal projection of the ink is
// sharpest (largest variance) when the page is turned back by the same angle.

import type { Gray } from './image.js';

/** Angle (degrees, counter-clockwise positive in image coordinates) by which the page content is tilted. */
export function estimateSkew(img: Gray, threshold: number, maxDeg = 4): number {
  // Bottom edges of the ink (an ink pixel above paper) are one pixel thin,
  // so their projection is much sharper than that of whole strokes; every
  // third column is plenty to see a 0.05° tilt over a page width.
  const step = 3;
  const pts: number[] = [];
  for (let y = 0; y + 1 < img.height; y++) {
    for (let x = 0; x < img.width; x += step) {
      if (img.data[y * img.width + x] <= threshold && img.data[(y + 1) * img.width + x] > threshold) pts.push(x, y);
    }
  }
  if (pts.length < 200) return 0;
  const bins = img.height * 2 + 8;
  const score = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    const hist = new Float64Array(bins);
    const off = bins / 4;
    for (let i = 0; i < pts.length; i += 2) {
      const b = Math.round(pts[i + 1] - pts[i] * t + off);
      if (b >= 0 && b < bins) hist[b]++;
    }
    let s = 0;
    for (let b = 0; b < bins; b++) s += hist[b] * hist[b];
    return s;
  };
  let best = 0, bestScore = score(0);
  for (let d = -maxDeg; d <= maxDeg + 1e-9; d += 0.2) {
    const s = score(d);
    if (s > bestScore) { best = d; bestScore = s; }
  }
  const coarse = best;
  for (let d = coarse - 0.2; d <= coarse + 0.2 + 1e-9; d += 0.02) {
    const s = score(d);
    if (s > bestScore) { best = d; bestScore = s; }
  }
  // Short lines (a signature page) barely sharpen their projection when
  // turned: a tilt that gains less than this over none is noise.
  if (bestScore < score(0) * 1.03) return 0;
  return Math.round(best * 100) / 100;
}

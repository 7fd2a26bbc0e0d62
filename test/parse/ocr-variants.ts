// Scan variants of real corpus reports, made at test time (never committed
// as government documents): each page of the born-digital PDF is rendered,
// turned a little, given scanner noise, a red seal and JPEG compression, and
// the JPEGs are wrapped as an image-only PDF. The numbers on them are the
// real report's, so the report's golden file is the expected parse.
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { openForRendering, paintPage } from '../../src/parse/ocr/render.ts';
import { extractPdf } from '../../src/parse/pdf/index.ts';
import type { GoldenRecord } from '../golden/golden-form.ts';
import { testFonts } from '../fonts.ts';

export interface ScanVariant {
  name: string;
  dpi: number;
  /** Degrees, counter-clockwise. */
  rotate?: number;
  /** Standard deviation of the grey noise added to every pixel. */
  noise?: number;
  /** JPEG quality 0–100 (PNG-lossless when absent). */
  jpeg?: number;
  /** Paint a red seal over part of each page (over the table on table pages). */
  seal?: boolean;
  /** Only these pages (1-based) of the source; all when absent. */
  pages?: number[];
}

/** A deterministic pseudo-random generator (mulberry32), so a variant is the same bytes every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function paintSeal(ctx: CanvasRenderingContext2D, cx: number, cy: number, r: number): void {
  ctx.save();
  // Seal ink is translucent: printed over black text, the text stays black.
  ctx.globalCompositeOperation = 'multiply';
  ctx.strokeStyle = 'rgb(220, 30, 40)';
  ctx.fillStyle = 'rgb(220, 30, 40)';
  ctx.lineWidth = r * 0.06;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, Math.PI * 2);
  ctx.stroke();
  // A five-pointed star in the middle, as on official seals.
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const rad = k % 2 === 0 ? r * 0.3 : r * 0.12, a = -Math.PI / 2 + (k * Math.PI) / 5;
    ctx.lineTo(cx + rad * Math.cos(a), cy + rad * Math.sin(a));
  }
  ctx.fill();
  ctx.font = `${Math.round(r * 0.2)}px "${testFonts().sans}"`;
  ctx.textAlign = 'center';
  ctx.fillText('TEST SEAL', cx, cy + r * 0.6);
  ctx.restore();
}

export async function makeScanPdf(source: Uint8Array, v: ScanVariant): Promise<Uint8Array> {
  const doc = await openForRendering(source);
  const out = await PDFDocument.create();
  const rand = rng(v.dpi * 1000 + Math.round((v.rotate ?? 0) * 100));
  try {
    for (let p = 1; p <= doc.numPages; p++) {
      if (v.pages && !v.pages.includes(p)) continue;
      const page = await doc.getPage(p);
      const base = page.getViewport({ scale: 1 });
      const flat = await paintPage(page, v.dpi / 72);
      const { width: w, height: h } = flat;
      page.cleanup();
      const scan = createCanvas(w, h);
      const ctx = scan.getContext('2d');
      ctx.fillStyle = 'white';
      ctx.fillRect(0, 0, w, h);
      ctx.translate(w / 2, h / 2);
      ctx.rotate((-(v.rotate ?? 0) * Math.PI) / 180);
      ctx.drawImage(flat, -w / 2, -h / 2);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      if (v.seal) paintSeal(ctx as unknown as CanvasRenderingContext2D, w * 0.62, h * 0.3, w * 0.12);
      if (v.noise) {
        const img = ctx.getImageData(0, 0, w, h);
        const d = img.data;
        for (let i = 0; i < d.length; i += 4) {
          // Box-Muller: Gaussian grey noise, the same on all channels.
          const n = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand()) * v.noise;
          for (let c = 0; c < 3; c++) d[i + c] = Math.max(0, Math.min(255, d[i + c] + n));
        }
        ctx.putImageData(img, 0, 0);
      }
      const bytes = v.jpeg !== undefined ? scan.toBuffer('image/jpeg', v.jpeg) : scan.toBuffer('image/png');
      const image = v.jpeg !== undefined ? await out.embedJpg(bytes) : await out.embedPng(bytes);
      const pdfPage = out.addPage([base.width, base.height]);
      pdfPage.drawImage(image, { x: 0, y: 0, width: base.width, height: base.height });
    }
  } finally {
    await doc.destroy();
  }
  return out.save();
}

/**
 * A scan page inside an otherwise text PDF: the source with the given pages
 * replaced by their scan (made as makeScanPdf makes it), the others kept as
 * the born-digital pages they are.
 */
export async function makeMixedPdf(source: Uint8Array, v: ScanVariant & { pages: number[] }): Promise<Uint8Array> {
  const scans = await PDFDocument.load(await makeScanPdf(source, v));
  const out = await PDFDocument.load(source);
  const copied = await out.copyPages(scans, scans.getPageIndices());
  [...v.pages].sort((a, b) => a - b).forEach((p, k) => {
    out.removePage(p - 1);
    out.insertPage(p - 1, copied[k]);
  });
  return out.save();
}

/** Cells of `got` equal (kind, value and printed text) to the golden's, over the golden's cells. */
export function cellAccuracy(got: GoldenRecord['values'], golden: GoldenRecord['values']): { right: number; total: number; wrong: string[] } {
  const keys = Object.keys(golden);
  const wrong = keys.filter((k) => {
    const a = got[k], b = golden[k];
    return !a || a[0] !== b[0] || a[1] !== b[1];
  });
  return { right: keys.length - wrong.length, total: keys.length, wrong };
}

/** Pages of a born-digital PDF on which its tables are printed (from its own text-layer parse). */
export async function tablePages(source: Uint8Array): Promise<number[]> {
  const doc = await extractPdf(new Uint8Array(source));
  const pages = new Set<number>();
  for (const b of doc.blocks) if (b.kind === 'table') for (const row of b.rows) for (const c of row) if (c.page) pages.add(c.page);
  return [...pages].sort((a, b) => a - b);
}

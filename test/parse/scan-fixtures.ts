// Image-only PDFs drawn in test setup for the OCR limits and bad-input tests:
// a ruled table of invented digits, a page of Latin prose, a photo-like
// picture, a blank page, a page whose embedded image is corrupt. No government
// document or figure is involved (drawn in the repository's test fonts,
// and nothing here claims to be a report).
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { testFonts } from '../fonts.ts';

type Ctx = ReturnType<ReturnType<typeof createCanvas>['getContext']>;

export interface PageImage {
  bytes: Uint8Array;
  kind: 'png' | 'jpeg';
}

/** A white w×h canvas with black ink, drawn on by `draw`. */
export function paintCanvas(w: number, h: number, draw: (ctx: Ctx) => void): Canvas {
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = 'black';
  ctx.strokeStyle = 'black';
  draw(ctx);
  return canvas;
}

function paint(w: number, h: number, draw: (ctx: Ctx) => void, kind: 'png' | 'jpeg' = 'png'): PageImage {
  const canvas = paintCanvas(w, h, draw);
  // A fresh copy: pdf-lib reads the whole ArrayBuffer, ignoring a pooled Buffer's offset.
  return { bytes: new Uint8Array(kind === 'png' ? canvas.toBuffer('image/png') : canvas.toBuffer('image/jpeg', 80)), kind };
}

/** A ruled table of 5 rows × 3 columns of invented two-digit numbers (they vary with `seed`). */
export function tablePage(seed: number): PageImage {
  return paint(1000, 700, (ctx) => {
    ctx.lineWidth = 2;
    const xs = [100, 400, 600, 800], ys = [100, 180, 260, 340, 420, 500];
    for (const y of ys) {
      ctx.beginPath();
      ctx.moveTo(xs[0], y);
      ctx.lineTo(xs[3], y);
      ctx.stroke();
    }
    for (const x of xs) {
      ctx.beginPath();
      ctx.moveTo(x, ys[0]);
      ctx.lineTo(x, ys[ys.length - 1]);
      ctx.stroke();
    }
    ctx.font = `36px "${testFonts().sans}"`;
    for (let r = 0; r < 5; r++) for (let k = 0; k < 3; k++) ctx.fillText(String((seed * 7 + r * 3 + k) % 97), xs[k] + 40, ys[r] + 55);
  });
}

/** A page of Latin prose: text, and no table. */
export function prosePage(): PageImage {
  const lines = [
    'This scanned page holds prose only.', 'It has sentences and no table at all,', 'so there is no statistic to read from it.',
    'A parser must say what it found', 'and never invent the figures of a report.',
  ];
  return paint(1000, 1400, (ctx) => {
    ctx.font = `32px "${testFonts().serif}"`;
    lines.forEach((l, i) => ctx.fillText(l, 80, 150 + i * 60));
  });
}

/** A photo-like picture: sky and ground gradients, shapes and grain, as JPEG. */
export function photoPage(): PageImage {
  return paint(800, 600, (ctx) => {
    const sky = ctx.createLinearGradient(0, 0, 0, 350);
    sky.addColorStop(0, '#3a6ea5');
    sky.addColorStop(1, '#cfe3f5');
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, 800, 350);
    ctx.fillStyle = '#4f7942';
    ctx.fillRect(0, 350, 800, 250);
    ctx.fillStyle = '#f4d03f';
    ctx.beginPath();
    ctx.arc(620, 110, 55, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#6b4f3a';
    ctx.fillRect(180, 250, 140, 160);
    // Grain: a fixed pattern, so the picture is the same bytes every run.
    for (let i = 0; i < 6000; i++) {
      const x = (i * 7919) % 800, y = (i * 104729) % 600, g = 100 + ((i * 31) % 120);
      ctx.fillStyle = `rgba(${g},${g},${g},0.25)`;
      ctx.fillRect(x, y, 2, 2);
    }
  }, 'jpeg');
}

export function blankPage(): PageImage {
  return paint(600, 850, () => undefined, 'jpeg');
}

/** A JPEG cut after its header: the PDF is valid, the image data is not. */
export function corruptPage(): PageImage {
  const good = paint(600, 850, (ctx) => {
    ctx.font = `28px "${testFonts().sans}"`;
    ctx.fillText('Annual Report 2019', 100, 100);
  }, 'jpeg');
  const b = Buffer.from(good.bytes);
  const sos = b.indexOf(Buffer.from([0xff, 0xda]));
  return { bytes: new Uint8Array(Buffer.concat([b.subarray(0, sos + 40), Buffer.alloc(64, 0x00)])), kind: 'jpeg' };
}

/**
 * An image-only PDF with these pages, each image filling the page. The same
 * image object is drawn on repeated pages (a 200-page scan stays small).
 */
export async function imagePdf(pages: PageImage[], size: [number, number] = [595, 842]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const embedded = new Map<PageImage, Awaited<ReturnType<PDFDocument['embedPng']>>>();
  for (const p of pages) {
    let img = embedded.get(p);
    if (!img) {
      img = p.kind === 'png' ? await pdf.embedPng(p.bytes) : await pdf.embedJpg(p.bytes);
      embedded.set(p, img);
    }
    pdf.addPage(size).drawImage(img, { x: 0, y: 0, width: size[0], height: size[1] });
  }
  return pdf.save();
}

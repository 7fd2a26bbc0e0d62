// Pages of a PDF as grey images, for OCR. A second pdfjs document is opened
// with images enabled (the text extractor drops them) and each requested
// page is painted on a @napi-rs/canvas surface (the canvas pdfjs uses in
// Node), then reduced to grey with the seal's red removed.

import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { toGray, type Gray } from './image.js';

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

export interface RenderedPage {
  page: number;
  img: Gray;
  /** Pixels per point. */
  scale: number;
  redPixels: number;
  /** 0 where seal ink was removed. */
  seal?: Gray;
}

/** Largest page side rendered (pixels): an A0 poster at 200 dpi would take gigabytes. */
const MAX_SIDE = 4000;

export async function openForRendering(bytes: Uint8Array): Promise<pdfjs.PDFDocumentProxy> {
  return pdfjs.getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    useSystemFonts: false,
    useWorkerFetch: false,
    cMapUrl: path.join(pdfjsRoot, 'cmaps') + path.sep,
    cMapPacked: true,
    standardFontDataUrl: path.join(pdfjsRoot, 'standard_fonts') + path.sep,
    verbosity: 0,
  }).promise;
}

/** A page painted at `scale` onto a white canvas (paper is white; a transparent background would read as black ink). */
export async function paintPage(page: pdfjs.PDFPageProxy, scale: number): Promise<Canvas> {
  const viewport = page.getViewport({ scale });
  const w = Math.ceil(viewport.width), h = Math.ceil(viewport.height);
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, w, h);
  await page.render({ canvasContext: ctx as unknown as CanvasRenderingContext2D, canvas: canvas as unknown as HTMLCanvasElement, viewport }).promise;
  return canvas;
}

export async function renderPage(doc: pdfjs.PDFDocumentProxy, pageNo: number, dpi: number): Promise<RenderedPage> {
  const page = await doc.getPage(pageNo);
  try {
    const base = page.getViewport({ scale: 1 });
    const scale = Math.min(dpi / 72, MAX_SIDE / Math.max(base.width, base.height));
    const canvas = await paintPage(page, scale);
    const { width: w, height: h } = canvas;
    const { img, redPixels, seal } = toGray(canvas.getContext('2d').getImageData(0, 0, w, h).data, w, h);
    return { page: pageNo, img, scale, redPixels, ...(seal ? { seal } : {}) };
  } finally {
    page.cleanup();
  }
}

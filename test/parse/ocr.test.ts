// OCR building blocks on synthetic images drawn here (no government figure
// involved): digit decoding, ruling-line grids with merged cells, deskew,
// seal removal, and the refusals for scans that hold nothing readable.
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { UnreadableDocumentError } from '../../src/parse/errors.ts';
import { estimateSkew } from '../../src/parse/ocr/deskew.ts';
import { buildTables } from '../../src/parse/ocr/grid.ts';
import { rotate, toGray, type Gray } from '../../src/parse/ocr/image.ts';
import { ocrPage } from '../../src/parse/ocr/page.ts';
import { inkBox, recognizeBoxes } from '../../src/parse/ocr/recognize.ts';
import { findRulings } from '../../src/parse/ocr/rulings.ts';
import { extractPdf } from '../../src/parse/pdf/index.ts';
import type { ParseWarning } from '../../src/parse/types.ts';
import { testFonts } from '../fonts.ts';
import { imagePdf, paintCanvas } from './scan-fixtures.ts';

type Ctx = ReturnType<ReturnType<typeof createCanvas>['getContext']>;

function draw(w: number, h: number, paint: (ctx: Ctx) => void): { rgba: Uint8ClampedArray; png: Uint8Array; jpeg: Uint8Array } {
  const canvas = paintCanvas(w, h, paint);
  // Fresh copies: pdf-lib reads the whole ArrayBuffer, ignoring a pooled Buffer's offset.
  return { rgba: canvas.getContext('2d').getImageData(0, 0, w, h).data, png: new Uint8Array(canvas.toBuffer('image/png')), jpeg: new Uint8Array(canvas.toBuffer('image/jpeg', 80)) };
}

function gray(w: number, h: number, paint: (ctx: Ctx) => void): Gray {
  return toGray(draw(w, h, paint).rgba, w, h).img;
}

/** A 3×3 ruled table whose top-left cell spans two columns; digits in some cells. */
function paintTable(ctx: Ctx): void {
  ctx.lineWidth = 2;
  const xs = [100, 400, 600, 800], ys = [100, 180, 260, 340];
  for (const y of ys) { ctx.beginPath(); ctx.moveTo(xs[0], y); ctx.lineTo(xs[3], y); ctx.stroke(); }
  for (const x of xs) {
    ctx.beginPath();
    // No border between the first two cells of the first row: a merged cell.
    ctx.moveTo(x, x === 400 ? 180 : 100);
    ctx.lineTo(x, 340);
    ctx.stroke();
  }
  ctx.font = `36px "${testFonts().sans}"`;
  ctx.fillText('2019', 180, 155);
  ctx.fillText('0', 690, 155);
  ctx.fillText('37', 480, 235);
  ctx.fillText('105', 670, 315);
}


describe('OCR recognition', () => {
  it('reads digits, and a lone zero as the digit 0', async () => {
    const img = gray(400, 80, (ctx) => {
      ctx.font = `40px "${testFonts().sans}"`;
      ctx.fillText('0', 20, 55);
      ctx.fillText('3985758', 120, 55);
    });
    const boxes = [inkBox(img, { x0: 0, y0: 0, x1: 100, y1: 80 }, 128), inkBox(img, { x0: 100, y0: 0, x1: 400, y1: 80 }, 128)];
    const r = await recognizeBoxes(img, boxes);
    expect(r.map((x) => x.text)).toEqual(['0', '3985758']);
    for (const x of r) expect(x.confidence).toBeGreaterThan(0.8);
  }, 60_000);

  it('reads a blank crop as blank without calling the model', async () => {
    const img = gray(100, 60, () => undefined);
    expect(inkBox(img, { x0: 0, y0: 0, x1: 100, y1: 60 }, 128)).toBeNull();
    expect(await recognizeBoxes(img, [null])).toEqual([{ text: '', confidence: 1 }]);
  });
});

describe('OCR layout', () => {
  it('rebuilds a ruled grid with a merged cell from the lines', () => {
    const img = gray(900, 420, paintTable);
    const tables = buildTables(findRulings(img, 100, 60, 6), 8);
    expect(tables).toHaveLength(1);
    const t = tables[0];
    expect(t.xs.map(Math.round)).toEqual([100, 400, 600, 800]);
    expect(t.cells).toHaveLength(8);
    expect(t.cells.find((c) => c.r0 === 0 && c.c0 === 0)).toMatchObject({ c1: 2, r1: 1 });
  });

  it('finds the tilt of a turned page', () => {
    const page = gray(1200, 1600, (ctx) => {
      ctx.font = `30px "${testFonts().sans}"`;
      for (let y = 100; y < 1500; y += 50) ctx.fillText('Annual report on government information 2019: 859 requests', 60, y);
    });
    const turned = rotate(page, 1.5);
    expect(Math.abs(estimateSkew(turned, 128) - 1.5)).toBeLessThan(0.1);
    expect(Math.abs(estimateSkew(rotate(page, -0.7), 128) + 0.7)).toBeLessThan(0.1);
    expect(Math.abs(estimateSkew(page, 128))).toBeLessThan(0.05);
  });

  it('removes a red seal but keeps the black text under it', () => {
    const { rgba } = draw(200, 100, (ctx) => {
      ctx.fillRect(20, 40, 160, 6);
      ctx.fillStyle = 'rgb(220, 30, 40)';
      ctx.fillRect(60, 10, 80, 80);
      ctx.fillStyle = 'black';
      ctx.fillRect(20, 60, 160, 6);
    });
    const { img, redPixels } = toGray(rgba, 200, 100);
    expect(redPixels).toBeGreaterThan(3000);
    expect(img.data[30 * 200 + 100]).toBe(255);
    expect(img.data[62 * 200 + 100]).toBeLessThan(50);
  });

  it('reads a scanned table page into a table fragment with confidences', async () => {
    const img = gray(900, 420, paintTable);
    const warnings: ParseWarning[] = [];
    // Drawn at 200 dpi: 36-pixel digits are 13-point print.
    const res = await ocrPage({ img, scale: 200 / 72, page: 1 }, warnings);
    expect(res.layout.tables).toHaveLength(1);
    const texts = res.layout.tables[0].cells.map((c) => c.text).filter(Boolean).sort();
    expect(texts).toEqual(['0', '105', '2019', '37']);
    for (const c of res.layout.tables[0].cells) expect(c.ocr?.confidence).toBeGreaterThan(0.8);
  }, 60_000);
});

describe('scanned PDFs that hold nothing readable', () => {
  it('refuses blank scanned pages as image-only, naming OCR', async () => {
    const blank = draw(600, 850, () => undefined);
    const pdf = await imagePdf([{ bytes: blank.jpeg, kind: 'jpeg' }, { bytes: blank.png, kind: 'png' }]);
    const err = await extractPdf(pdf).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    expect((err as UnreadableDocumentError).reason).toBe('image_only');
    expect((err as Error).message).toMatch(/OCR found no text/);
  }, 60_000);

  it('gives up with a timeout error once the deadline has passed', async () => {
    const page = draw(600, 850, paintTable);
    const pdf = await imagePdf([{ bytes: page.png, kind: 'png' }]);
    const err = await extractPdf(pdf, { deadline: Date.now() - 1 }).catch((e: unknown) => e);
    expect((err as UnreadableDocumentError).reason).toBe('timeout');
  }, 60_000);

  it('warns about an embedded image that cannot be decoded, and reads the other pages', async () => {
    const good = draw(600, 850, (ctx) => {
      // Latin and digits, in the repository's test font.
      ctx.font = `28px "${testFonts().sans}"`;
      ctx.fillText('Annual Report 2019', 100, 100);
    });
    // A JPEG cut after its header: the PDF is valid, its image data is not.
    const sos = Buffer.from(good.jpeg).indexOf(Buffer.from([0xff, 0xda]));
    const broken = new Uint8Array(Buffer.concat([good.jpeg.subarray(0, sos + 40), Buffer.alloc(64, 0x00)]));
    const pdf = await imagePdf([{ bytes: good.png, kind: 'png' }, { bytes: broken, kind: 'jpeg' }]);
    const doc = await extractPdf(pdf);
    expect(doc.blocks.map((b) => (b.kind === 'text' ? b.text : '')).join('')).toMatch(/Report\s*2019/);
    expect(doc.warnings.map((w) => w.code)).toContain('ocr_used');
  }, 60_000);

  it('reads only the scanned pages of a PDF that also has text pages', async () => {
    const pdf = await PDFDocument.create();
    const { StandardFonts } = await import('pdf-lib');
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage([595, 842]).drawText('Annual report on government information disclosure 2019', { x: 50, y: 780, size: 12, font });
    const scan = draw(600, 850, (ctx) => {
      ctx.font = `28px "${testFonts().sans}"`;
      ctx.fillText('Scanned page 2019', 100, 100);
    });
    const img = await pdf.embedPng(new Uint8Array(scan.png));
    pdf.addPage([595, 842]).drawImage(img, { x: 0, y: 0, width: 595, height: 842 });
    const doc = await extractPdf(await pdf.save());
    const used = doc.warnings.filter((w) => w.code === 'ocr_used');
    expect(used).toHaveLength(1);
    expect(used[0].message).toMatch(/^page\(s\) 2 /);
    const text = doc.blocks.map((b) => (b.kind === 'text' ? b.text : '')).join('\n');
    expect(text).toContain('Annual report on government information disclosure 2019');
    expect(text).toMatch(/Scanned\s*page\s*2019/);
  }, 60_000);
});

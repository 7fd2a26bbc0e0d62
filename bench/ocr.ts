// OCR speed of scanned reports: `parse.ocr.s_per_page` is the CPU time per
// page of parseDocument on an image-only PDF (a 200-dpi scan variant of a
// corpus report: turned 1.5°, noise, a red seal, JPEG), against the OCR
// engine's own pipeline (@gutenye/ocr-node: whole-page text detection, then
// recognition of every detected box) on the same page images.
import { createCanvas } from '@napi-rs/canvas';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from '../src/parse/index.ts';
import { openForRendering, renderPage } from '../src/parse/ocr/render.ts';
import { makeScanPdf } from '../test/parse/ocr-variants.ts';
import type { BenchFigure } from './figure.ts';

const SOURCE = join(import.meta.dirname, '../../shared/corpus/reports/2019_shanghai_shizhengfubangongting.rerendered.pdf');

async function cpuSeconds(fn: () => Promise<unknown>): Promise<number> {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

export async function benchOcr(): Promise<BenchFigure[]> {
  const scan = await makeScanPdf(new Uint8Array(readFileSync(SOURCE)), { name: 'bench', dpi: 200, rotate: 1.5, noise: 12, jpeg: 70, seal: true });
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-ocr-bench-'));
  try {
    // The page images the engine reads: the scan's pages rendered as our parser renders them.
    const doc = await openForRendering(scan);
    const pngs: string[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const { img } = await renderPage(doc, p, 200);
      const canvas = createCanvas(img.width, img.height);
      const ctx = canvas.getContext('2d');
      const data = ctx.createImageData(img.width, img.height);
      for (let i = 0; i < img.data.length; i++) {
        data.data.fill(img.data[i], 4 * i, 4 * i + 3);
        data.data[4 * i + 3] = 255;
      }
      ctx.putImageData(data, 0, 0);
      pngs.push(join(dir, `p${p}.png`));
      writeFileSync(pngs[pngs.length - 1], canvas.toBuffer('image/png'));
    }
    await doc.destroy();
    const pages = pngs.length;
    await parseDocument(scan, { path: 'scan.pdf' }); // warm: models loaded once per process
    const ours = await cpuSeconds(() => parseDocument(scan, { path: 'scan.pdf' }));
    const { default: Ocr } = await import('@gutenye/ocr-node');
    const engine = await Ocr.create();
    await engine.detect(pngs[0]);
    const base = await cpuSeconds(async () => {
      for (const f of pngs) await engine.detect(f);
    });
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return [{ name: 'parse.ocr.s_per_page', value: r(ours / pages), unit: 's', baseline: r(base / pages), ratio: r(ours / base), target: 1.5 }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Table images in HTML and DOCX bodies, and image files, read by OCR: made
// at test time from real corpus reports (see table-images.ts: each table of
// the report drawn as a picture, the numbers the report's own), so the
// report's golden file is the expected parse. Accuracy is printed per case.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'cheerio';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseDocument, UnreadableDocumentError } from '../../src/parse/index.ts';
import type { ParseImage } from '../../src/parse/types.ts';
import { goldenForm, type GoldenRecord } from '../golden/golden-form.ts';
import { REPORTS } from './helpers.ts';
import { cellAccuracy } from './ocr-variants.ts';
import { openForRendering, paintPage } from '../../src/parse/ocr/render.ts';
import { docxTablesAsImages, renderTable, tablesAsImages } from './table-images.ts';

const GOLDEN = join(import.meta.dirname, '../golden/reports');
const SHANGHAI = '2019_shanghai_shizhengfubangongting.html';
const PAGE_URL = 'http://www.example.gov.cn/zwgk/zfxxgknb/t20200130_1.html';
const golden = (name: string): GoldenRecord => JSON.parse(readFileSync(join(GOLDEN, `${name}.json`), 'utf8')) as GoldenRecord;
const source = () => readFileSync(join(REPORTS, SHANGHAI), 'utf8');

function report(name: string, acc: ReturnType<typeof cellAccuracy>): void {
  console.log(`${name}: ${acc.right}/${acc.total} cells (${((100 * acc.right) / acc.total).toFixed(1)} %)${acc.wrong.length ? `; wrong: ${acc.wrong.join(', ')}` : ''}`);
}

describe('table pictures in an HTML body (variants of a corpus report)', () => {
  for (const v of [
    { name: 'PNG, 16 px serif (a 96-dpi screenshot)', opts: {} },
    { name: 'JPEG 75, 15 px sans', opts: { format: 'jpeg' as const, quality: 75, fontPx: 15, sans: true } },
  ]) {
    it(`${SHANGHAI} with its tables as pictures: ${v.name}`, async () => {
      const page = tablesAsImages(source(), PAGE_URL, v.opts);
      expect(load(page.html)('table').length).toBe(0);
      const rec = await parseDocument(new Uint8Array(Buffer.from(page.html)), { url: PAGE_URL, images: page.images });
      const g = golden(SHANGHAI);
      const acc = cellAccuracy(goldenForm(rec).values, g.values);
      report(`html ${v.name}`, acc);
      expect(acc.right / acc.total).toBeGreaterThanOrEqual(0.99);
      const form = goldenForm(rec);
      expect([form.year, form.template, form.agency]).toEqual([g.year, g.template, g.agency]);
      // Every value read from a picture says so, and where: the picture's number in the body.
      const read = rec.values.filter((x) => x.table !== 'l');
      expect(read.every((x) => x.ocr && x.ocr.confidence >= 0 && x.ocr.confidence <= 1 && x.at.page !== undefined && x.at.page >= 1)).toBe(true);
      const used = rec.warnings.find((w) => w.code === 'ocr_used');
      expect(used?.message).toContain(page.images[0].url);
    });
  }

  // The other corpus pages with report tables, one picture style each (serif PNG as a screenshot, sans JPEG as a re-saved one).
  for (const [file, opts] of [
    ['2023_shuyang_fagaiju.html', {}],
    ['2019_pingtan_zongheshiyanqu.html', {}],
    ['2021_pingtan_zongheshiyanqu.html', { format: 'jpeg' as const, quality: 75, fontPx: 14, sans: true }],
    ['2023_pingtan_zongheshiyanqu.html', { format: 'jpeg' as const, quality: 75, fontPx: 14, sans: true }],
  ] as const) {
    it(`${file} with its tables as pictures (${opts.format ?? 'png'})`, async () => {
      const page = tablesAsImages(readFileSync(join(REPORTS, file), 'utf8'), PAGE_URL, opts);
      const rec = await parseDocument(new Uint8Array(Buffer.from(page.html)), { url: PAGE_URL, images: page.images });
      const acc = cellAccuracy(goldenForm(rec).values, golden(file).values);
      report(`${file} ${opts.format ?? 'png'}`, acc);
      expect(acc.right / acc.total).toBeGreaterThanOrEqual(0.99);
    });
  }

  it('an article of pictures only (title, then the tables as consecutive pictures) inside site chrome', async () => {
    const $ = load(source());
    const images: ParseImage[] = $('table').map((i, t) => ({ url: new URL(`p${i + 1}.png`, PAGE_URL).href, bytes: new Uint8Array(renderTable($.html(t))) })).get();
    const nav = ['首页', '政务公开', '政府信息公开年报', '政策文件', '新闻发布会', '互动交流'].map((t) => `<li><a href="/${t}.html">${t}栏目导航链接</a></li>`).join('');
    const html = `<html><head><title>2019年上海市人民政府办公厅政府信息公开工作年度报告</title></head><body><div class="nav"><img src="/logo.png"><ul>${nav}</ul></div>`
      + `<div class="TRS_Editor"><p>2019年上海市人民政府办公厅政府信息公开工作年度报告</p>${images.map((_, i) => `<p><img src="p${i + 1}.png"></p>`).join('')}</div></body></html>`;
    const rec = await parseDocument(new Uint8Array(Buffer.from(html)), { url: PAGE_URL, images });
    const acc = cellAccuracy(goldenForm(rec).values, golden(SHANGHAI).values);
    report('html of pictures only', acc);
    expect(acc.right / acc.total).toBeGreaterThanOrEqual(0.99);
  });

  it('a whole report posted as page scans: the pages of the corpus PDF as 150-dpi JPEGs in an article, tables continuing across pictures', async () => {
    const name = '2019_shanghai_shizhengfubangongting.rerendered.pdf';
    const doc = await openForRendering(new Uint8Array(readFileSync(join(REPORTS, name))));
    const images: ParseImage[] = [];
    try {
      for (let p = 1; p <= doc.numPages; p++) {
        const page = await doc.getPage(p);
        const canvas = await paintPage(page, 150 / 72);
        page.cleanup();
        images.push({ url: new URL(`scan/page-${p}.jpg`, PAGE_URL).href, bytes: new Uint8Array(canvas.toBuffer('image/jpeg', 80)) });
      }
    } finally {
      await doc.destroy();
    }
    const html = `<html><body><div class="TRS_Editor">${images.map((i) => `<p><img src="${i.url}"></p>`).join('')}</div></body></html>`;
    // Seven pages take longer than the default 40 s for pictures on a loaded machine: the test's own time limit governs.
    const rec = await parseDocument(new Uint8Array(Buffer.from(html)), { url: PAGE_URL, images, limits: { deadline: Date.now() + 110_000 } });
    const g = golden(name);
    const acc = cellAccuracy(goldenForm(rec).values, g.values);
    report('html of 150-dpi page scans', acc);
    expect(acc.right / acc.total).toBeGreaterThanOrEqual(0.99);
    expect([rec.year, goldenForm(rec).agency]).toEqual([g.year, g.agency]);
    expect(rec.warnings.find((w) => w.code === 'ocr_used')?.message).toMatch(/page-1\.jpg, \d+×\d+, ~150 dpi, taking it for an A4 page/);
  }, 120_000);

  it('stops reading pictures at the caller\'s deadline, names the ones left and keeps the text', async () => {
    const page = tablesAsImages(source(), PAGE_URL);
    const rec = await parseDocument(new Uint8Array(Buffer.from(page.html)), { url: PAGE_URL, images: page.images, limits: { deadline: Date.now() - 1 } });
    expect(rec.warnings.find((w) => w.code === 'ocr_image_skipped')?.message).toMatch(/^image\(s\) 1, 2, 3 not read: the parse's time limit was reached/);
    expect(rec.year).toBe(2019);
  });

  it('reads the page as text when its pictures are not supplied (a page parsed from its file alone)', async () => {
    const page = tablesAsImages(source(), PAGE_URL);
    const rec = await parseDocument(new Uint8Array(Buffer.from(page.html)), { url: PAGE_URL });
    expect(rec.values.filter((x) => x.table !== 'l')).toHaveLength(0);
    expect(rec.warnings.some((w) => w.code.startsWith('ocr_'))).toBe(false);
  });

  it('bad pictures: a corrupt one, a photo without text, an icon and one over the pixel limit are named in warnings; the table pictures are still read', async () => {
    const page = tablesAsImages(source(), PAGE_URL);
    const good = page.images[1];
    const png = Buffer.from(good.bytes);
    const noise = new Uint8Array(640 * 480 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24; // a fixed speckle, no strokes or lines
    const photo = await sharp(Buffer.from(noise), { raw: { width: 640, height: 480, channels: 3 } }).blur(3).jpeg().toBuffer();
    const icon = await sharp({ create: { width: 24, height: 24, channels: 3, background: '#c00' } }).png().toBuffer();
    const huge = await sharp({ create: { width: 9000, height: 6000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
    const extra: ParseImage[] = [
      { url: new URL('images/broken.png', PAGE_URL).href, bytes: new Uint8Array(png.subarray(0, Math.floor(png.length / 2))) },
      { url: new URL('images/photo.jpg', PAGE_URL).href, bytes: new Uint8Array(photo) },
      { url: new URL('images/icon.png', PAGE_URL).href, bytes: new Uint8Array(icon) },
      { url: new URL('images/poster.png', PAGE_URL).href, bytes: new Uint8Array(huge) },
    ];
    const html = page.html.replace('<img src="images/table-1.png"', '<img src="images/icon.png"><img src="images/broken.png"><p>照片</p><img src="images/photo.jpg"><p>海报</p><img src="images/poster.png"><p>表</p><img src="images/table-1.png"');
    const rec = await parseDocument(new Uint8Array(Buffer.from(html)), { url: PAGE_URL, images: [...extra, ...page.images] });
    const codes = (c: string) => rec.warnings.filter((w) => w.code === c).map((w) => w.message);
    expect(codes('ocr_image_unreadable').join('\n')).toMatch(/broken\.png\): the image cannot be decoded/);
    expect(codes('ocr_image_unreadable').join('\n')).toMatch(/poster\.png\): the image is 9000×6000 pixels, over the 40-million-pixel limit/);
    expect(codes('ocr_image_no_text').join('\n')).toContain('photo.jpg');
    expect(rec.warnings.some((w) => w.message.includes('icon.png'))).toBe(false);
    const acc = cellAccuracy(goldenForm(rec).values, golden(SHANGHAI).values);
    report('html with bad pictures', acc);
    expect(acc.right / acc.total).toBeGreaterThanOrEqual(0.99);
  });
});

describe('image files and DOCX pictures', () => {
  it('a DOCX whose tables are pictures in word/media (variant of the corpus DOCX)', async () => {
    const name = '2019_shanghai_shizhengfubangongting.rerendered.docx';
    const docx = await docxTablesAsImages(new Uint8Array(readFileSync(join(REPORTS, name))));
    const rec = await parseDocument(docx, { path: 'variant.docx' });
    const acc = cellAccuracy(goldenForm(rec).values, golden(name).values);
    report('docx with table pictures', acc);
    expect(acc.right / acc.total).toBeGreaterThanOrEqual(0.99);
    expect(rec.warnings.find((w) => w.code === 'ocr_used')?.message).toContain('docx-media:1');
  });

  it('a bare JPEG of a report table with its title (format "image")', async () => {
    const $ = load(source());
    const t3 = $.html($('table').eq(1));
    const jpg = renderTable(t3, { format: 'jpeg', quality: 80, caption: ['2019年上海市人民政府办公厅政府信息公开工作年度报告', '三、收到和处理政府信息公开申请情况'] });
    const rec = await parseDocument(new Uint8Array(jpg), { path: 'table.jpg' });
    expect(rec.source.format).toBe('image');
    expect(rec.year).toBe(2019);
    const g = golden(SHANGHAI);
    const t3golden = Object.fromEntries(Object.entries(g.values).filter(([k]) => k.startsWith('t3.')));
    const acc = cellAccuracy(goldenForm(rec).values, t3golden);
    report('bare JPEG of table 3', acc);
    expect(acc.right / acc.total).toBeGreaterThanOrEqual(0.99);
    expect(rec.warnings.find((w) => w.code === 'ocr_used')?.message).toMatch(/the document is an image \(\d+×\d+ pixels, ~\d+ dpi/);
  });

  it('refuses a corrupt, an empty-of-text and an oversized image file with the reason, naming the document', async () => {
    const png = renderTable('<table><tr><td>1</td><td>2</td></tr></table>');
    const cases: [Uint8Array, string, RegExp][] = [
      [new Uint8Array(png.subarray(0, 200)), 'corrupt', /^cut\.png: the image cannot be decoded/],
      [new Uint8Array(await sharp({ create: { width: 800, height: 600, channels: 3, background: '#fff' } }).png().toBuffer()), 'image_only', /^white\.png: OCR found no text/],
      [new Uint8Array(await sharp({ create: { width: 10000, height: 5000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer()), 'too_large', /^big\.png: the image is 10000×5000 pixels/],
    ];
    // Named a picture, holding something else (an error page saved as .jpg).
    cases.push([new TextEncoder().encode('<html><body>404 Not Found</body></html>'), 'unsupported_format', /^gone\.jpg: the image format is not supported/]);
    for (const [bytes, reason, message] of cases) {
      const path = { corrupt: 'cut.png', image_only: 'white.png', too_large: 'big.png', unsupported_format: 'gone.jpg' }[reason]!;
      const err = await parseDocument(bytes, { path }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(UnreadableDocumentError);
      expect((err as UnreadableDocumentError).reason).toBe(reason);
      expect((err as Error).message).toMatch(message);
    }
  });
});

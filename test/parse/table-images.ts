// Table-image variants of real corpus reports, made at test time (never
// committed as government documents): each <table> of a report's HTML is
// drawn as a picture with @napi-rs/canvas — borders, merged cells, the
// cells' own text — the way sites post a report's tables as images, and the
// page's tables are replaced by <img> tags. The numbers in the pictures are
// the real report's, so the report's golden file is the expected parse.
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { load } from 'cheerio';
import type { ParseImage } from '../../src/parse/types.ts';
import { testFonts } from '../fonts.ts';

/** The CJK face the pictures are drawn in: the repository's Noto subsets (test/fonts.ts), a Song-like serif unless `sans`. */
function cjkFamily(sans = false): string {
  const f = testFonts();
  return sans ? f.sans : f.serif;
}

interface PlacedCell {
  text: string;
  r: number;
  c: number;
  rs: number;
  cs: number;
  lines: string[];
  w: number;
}

export interface TableImageOptions {
  /** Font size in pixels (16 px is 12-point print on a 96-dpi screen). */
  fontPx?: number;
  /** Widest a cell's text runs before it wraps, in characters. */
  wrapChars?: number;
  format?: 'png' | 'jpeg';
  quality?: number;
  sans?: boolean;
  /** Lines printed above the table (a title), as on a photographed or scanned page. */
  caption?: string[];
}

function wrap(ctx: SKRSContext2D, text: string, max: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (cur && ctx.measureText(cur + ch).width > max) {
      lines.push(cur);
      cur = ch;
    } else cur += ch;
  }
  if (cur || lines.length === 0) lines.push(cur);
  return lines;
}

/** One HTML <table> drawn as an image (the cells' text, their spans, a border around each). */
export function renderTable(tableHtml: string, opts: TableImageOptions = {}): Buffer {
  const px = opts.fontPx ?? 16, pad = Math.round(px * 0.45), lineH = Math.round(px * 1.35);
  const font = `${px}px "${cjkFamily(opts.sans)}"`;
  const $ = load(tableHtml);
  const measure = createCanvas(10, 10).getContext('2d');
  measure.font = font;
  const cells: PlacedCell[] = [];
  const taken = new Set<string>();
  $('tr').each((r, tr) => {
    let c = 0;
    $(tr).children('td,th').each((_, td) => {
      while (taken.has(`${r},${c}`)) c++;
      const rs = Math.max(1, Number($(td).attr('rowspan')) || 1), cs = Math.max(1, Number($(td).attr('colspan')) || 1);
      const text = $(td).text().replace(/\s+/g, ' ').trim();
      for (let i = 0; i < rs; i++) for (let j = 0; j < cs; j++) taken.add(`${r + i},${c + j}`);
      const lines = wrap(measure, text, (opts.wrapChars ?? 14) * px * cs);
      cells.push({ text, r, c, rs, cs, lines, w: Math.max(...lines.map((l) => measure.measureText(l).width)) });
      c += cs;
    });
  });
  const nCols = Math.max(...cells.map((x) => x.c + x.cs)), nRows = Math.max(...cells.map((x) => x.r + x.rs));
  const colW = new Array<number>(nCols).fill(2 * px), rowH = new Array<number>(nRows).fill(lineH + 2 * pad);
  // Single-span cells first, then spans widen what they cover evenly.
  for (const x of [...cells].sort((a, b) => a.cs - b.cs)) {
    const need = x.w + 2 * pad, have = colW.slice(x.c, x.c + x.cs).reduce((s, v) => s + v, 0);
    if (need > have) for (let j = 0; j < x.cs; j++) colW[x.c + j] += (need - have) / x.cs;
  }
  for (const x of [...cells].sort((a, b) => a.rs - b.rs)) {
    const need = x.lines.length * lineH + 2 * pad, have = rowH.slice(x.r, x.r + x.rs).reduce((s, v) => s + v, 0);
    if (need > have) for (let i = 0; i < x.rs; i++) rowH[x.r + i] += (need - have) / x.rs;
  }
  const xs = [0], ys = [0];
  colW.forEach((w) => xs.push(xs[xs.length - 1] + Math.ceil(w)));
  rowH.forEach((h) => ys.push(ys[ys.length - 1] + Math.ceil(h)));
  const margin = 2 * px, head = (opts.caption?.length ?? 0) * lineH * 1.5;
  const canvas = createCanvas(xs[nCols] + 2 * margin, ys[nRows] + 2 * margin + head);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = font;
  ctx.fillStyle = 'black';
  opts.caption?.forEach((line, i) => ctx.fillText(line, (canvas.width - ctx.measureText(line).width) / 2, margin + (i + 0.8) * lineH * 1.5));
  ctx.translate(0, head);
  ctx.strokeStyle = 'black';
  ctx.lineWidth = 1;
  ctx.fillStyle = 'black';
  ctx.font = font;
  ctx.textBaseline = 'middle';
  for (const x of cells) {
    const x0 = margin + xs[x.c], x1 = margin + xs[x.c + x.cs], y0 = margin + ys[x.r], y1 = margin + ys[x.r + x.rs];
    ctx.strokeRect(x0 + 0.5, y0 + 0.5, x1 - x0, y1 - y0);
    const top = (y0 + y1) / 2 - ((x.lines.length - 1) * lineH) / 2;
    const numeric = /^[\d.,\s-]*$/.test(x.text);
    x.lines.forEach((l, i) => {
      const w = ctx.measureText(l).width;
      const left = numeric || x.cs > 1 || x.rs > 1 ? (x0 + x1 - w) / 2 : x0 + pad;
      ctx.fillText(l, left, top + i * lineH);
    });
  }
  return opts.format === 'jpeg' ? canvas.toBuffer('image/jpeg', opts.quality ?? 80) : canvas.toBuffer('image/png');
}

/** The page with each of its tables replaced by an <img> of it; the images as a crawler would supply them. */
export function tablesAsImages(html: string, pageUrl: string, opts: TableImageOptions = {}): { html: string; images: ParseImage[] } {
  const $ = load(html);
  const images: ParseImage[] = [];
  $('table').filter((_, t) => $(t).parents('table').length === 0).each((i, t) => {
    const url = new URL(`images/table-${i + 1}.${opts.format === 'jpeg' ? 'jpg' : 'png'}`, pageUrl).href;
    images.push({ url, bytes: new Uint8Array(renderTable($.html(t), opts)), contentType: opts.format === 'jpeg' ? 'image/jpeg' : 'image/png' });
    $(t).replaceWith(`<p style="text-align:center"><img src="images/table-${i + 1}.${opts.format === 'jpeg' ? 'jpg' : 'png'}" alt=""></p>`);
  });
  return { html: $.html(), images };
}

/** One drawing paragraph showing image relationship `rid` at `w`×`h` pixels (96 per inch). */
function drawingXml(rid: string, n: number, w: number, h: number): string {
  const cx = Math.round((w / 96) * 914400), cy = Math.round((h / 96) * 914400);
  return `<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${cx}" cy="${cy}"/><wp:docPr id="${900 + n}" name="Table picture ${n}"/>`
    + '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    + `<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="${n}" name="table${n}.png"/><pic:cNvPicPr/></pic:nvPicPr>`
    + `<pic:blipFill><a:blip r:embed="${rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm>`
    + '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>';
}

/**
 * The Word document with each of its (top-level) tables replaced by a
 * picture of it in word/media, as a report is made when its tables are
 * pasted in as screenshots. The pictures are drawn from the tables as the
 * DOCX extractor's HTML conversion sees them, so the cells are the report's.
 */
export async function docxTablesAsImages(docx: Uint8Array, opts: TableImageOptions = {}): Promise<Uint8Array> {
  const [{ default: JSZip }, { default: mammoth }] = await Promise.all([import('jszip'), import('mammoth')]);
  const converted = await mammoth.convertToHtml({ buffer: Buffer.from(docx) });
  const $ = load(converted.value);
  const tables = $('table').filter((_, t) => $(t).parents('table').length === 0).map((_, t) => $.html(t)).get();
  const zip = await JSZip.loadAsync(docx);
  let xml = await zip.file('word/document.xml')!.async('string');
  let rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
  let n = 0;
  // Top-level tables only: a depth count over the <w:tbl> tags.
  xml = xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, (m) => {
    if (m.indexOf('<w:tbl>', 1) >= 0) throw new Error('docxTablesAsImages: nested tables are not handled');
    const png = renderTable(tables[n], opts);
    n++;
    zip.file(`word/media/table${n}.png`, png);
    rels = rels.replace('</Relationships>', `<Relationship Id="rIdTablePic${n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/table${n}.png"/></Relationships>`);
    const size = { w: png.readUInt32BE(16), h: png.readUInt32BE(20) };
    return drawingXml(`rIdTablePic${n}`, n, size.w, size.h);
  });
  if (n !== tables.length) throw new Error(`docxTablesAsImages: ${n} <w:tbl> but ${tables.length} converted tables`);
  zip.file('word/document.xml', xml);
  zip.file('word/_rels/document.xml.rels', rels);
  return zip.generateAsync({ type: 'uint8array' });
}

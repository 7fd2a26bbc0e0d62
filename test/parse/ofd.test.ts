// OFD (GB/T 33190) through the positioned-text path: a variant of the real
// Shanghai 2019 report laid out as OFD pages (test/fixtures/ofd) must give the
// golden record of the HTML report; hand-made packages cover the parts of the
// format the generator does not write (CTM, DeltaY, thin filled borders,
// templates, absolute paths) and what is refused or warned about.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parseDocument, sniffFormat, UnreadableDocumentError } from '../../src/parse/index.ts';
import { extractOfd } from '../../src/parse/ofd/index.ts';
import { expandDeltas, MM, readPageContent } from '../../src/parse/ofd/page-content.ts';
import { parseXml } from '../../src/parse/ofd/xml.ts';
import { goldenForm } from '../golden/golden-form.ts';
import { htmlToOfd } from '../fixtures/ofd/make-ofd.ts';
import { REPORTS } from './helpers.ts';

const SH = '2019_shanghai_shizhengfubangongting.html';
const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';

async function pkg(files: Record<string, string>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [k, v] of Object.entries(files)) zip.file(k, v);
  return zip.generateAsync({ type: 'uint8array' });
}

function ofdXml(docRoot = 'Doc_0/Document.xml'): string {
  return `<?xml version="1.0"?><ofd:OFD ${NS}><ofd:DocBody><ofd:DocInfo><ofd:Title>测试</ofd:Title></ofd:DocInfo><ofd:DocRoot>${docRoot}</ofd:DocRoot></ofd:DocBody></ofd:OFD>`;
}

function page(objects: string): string {
  return `<?xml version="1.0"?><ofd:Page ${NS}><ofd:Content><ofd:Layer ID="1">${objects}</ofd:Layer></ofd:Content></ofd:Page>`;
}

describe('OFD documents', () => {
  it('the Shanghai 2019 report laid out as OFD (a variant) gives the golden record of the HTML report', async () => {
    const bytes = await htmlToOfd(readFileSync(join(REPORTS, SH), 'utf8'), { image: true });
    expect(sniffFormat(bytes, { path: 'report.ofd' })).toBe('ofd');
    expect(sniffFormat(bytes, {})).toBe('ofd');
    const r = await parseDocument(bytes, { path: 'variant.ofd' });
    expect(r.source.format).toBe('ofd');
    expect(r.source.pages).toBeGreaterThan(1);
    const golden = JSON.parse(readFileSync(join(import.meta.dirname, '../golden/reports', `${SH}.json`), 'utf8'));
    expect(goldenForm(r)).toEqual(golden);
    // What OFD holds beyond text and lines is said, not silently dropped.
    expect(r.warnings.map((w) => w.code)).toContain('ofd_images_ignored');
  });

  it('expands DeltaX shorthand', () => {
    expect(expandDeltas('g 3 3.5 1 g 2 0.5')).toEqual([3.5, 3.5, 3.5, 1, 0.5, 0.5]);
    expect(expandDeltas(undefined)).toEqual([]);
  });

  it('places text through Boundary and CTM, continues a TextCode without X, and reads DeltaY text as a column of glyphs', () => {
    const content = parseXml(page(
      // CTM scales object space by 2: Size 2 draws 4 mm glyphs; X 5 lands at 10 + 10 mm.
      `<ofd:TextObject ID="2" Boundary="10 20 100 10" CTM="2 0 0 2 0 0" Size="2"><ofd:TextCode X="5" Y="2" DeltaX="2 2">申请人</ofd:TextCode><ofd:TextCode DeltaX="2">情况</ofd:TextCode></ofd:TextObject>` +
      `<ofd:TextObject ID="3" Boundary="150 50 5 30" Size="4"><ofd:TextCode X="0" Y="4" DeltaY="5 5">办理结</ofd:TextCode></ofd:TextObject>`,
    ))!;
    const { runs } = readPageContent([content], 1);
    const horizontal = runs.find((r) => r.text === '申请人情况')!;
    expect(horizontal.x).toBeCloseTo(20 * MM);
    expect(horizontal.base).toBeCloseTo(24 * MM);
    expect(horizontal.fs).toBeCloseTo(4 * MM);
    expect(runs.filter((r) => r.page === 1 && '办理结'.includes(r.text)).map((r) => Math.round(r.base / MM))).toEqual([54, 59, 64]);
  });

  it('reads stroked edges and thin filled rectangles as ruling lines, not white strokes, curves or shaded cells', () => {
    const content = parseXml(page(
      `<ofd:PathObject ID="1" Boundary="20 30 100 40"><ofd:AbbreviatedData>M 0 0 L 100 0 L 100 40 L 0 40 C</ofd:AbbreviatedData></ofd:PathObject>` +
      `<ofd:PathObject ID="2" Boundary="20 50 100 0.3" Fill="true" Stroke="false"><ofd:AbbreviatedData>M 0 0 L 100 0 L 100 0.3 L 0 0.3 C</ofd:AbbreviatedData></ofd:PathObject>` +
      `<ofd:PathObject ID="3" Boundary="0 0 50 50" Fill="true" Stroke="false"><ofd:AbbreviatedData>M 0 0 L 50 0 L 50 50 L 0 50 C</ofd:AbbreviatedData></ofd:PathObject>` +
      `<ofd:PathObject ID="4" Boundary="0 100 50 1"><ofd:StrokeColor Value="255 255 255"/><ofd:AbbreviatedData>M 0 0 L 50 0</ofd:AbbreviatedData></ofd:PathObject>` +
      `<ofd:PathObject ID="5" Boundary="0 120 50 10"><ofd:AbbreviatedData>M 0 0 B 10 10 20 10 30 0</ofd:AbbreviatedData></ofd:PathObject>`,
    ))!;
    const { rulings } = readPageContent([content], 1);
    expect(rulings.horizontal.map((s) => Math.round(s.at / MM))).toEqual([30, 70, 50]);
    expect(rulings.vertical.map((s) => Math.round(s.at / MM))).toEqual([120, 20]);
  });

  it('reads template pages, absolute and differently cased paths, and the title', async () => {
    const text = (y: number, s: string) => `<ofd:TextObject ID="${y}" Boundary="20 ${y} 170 6" Size="4"><ofd:TextCode X="0" Y="4">${s}</ofd:TextCode></ofd:TextObject>`;
    const bytes = await pkg({
      'OFD.xml': ofdXml('/doc_0/document.xml'),
      'Doc_0/Document.xml': `<?xml version="1.0"?><ofd:Document ${NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>` +
        `<ofd:TemplatePage ID="7" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`,
      'Doc_0/Tpls/Tpl_0/Content.xml': page(text(20, '某某县审计局')),
      'Doc_0/Pages/Page_0/Content.xml': page(text(40, '2023年某某县审计局政府信息公开工作年度报告')).replace('<ofd:Content>', '<ofd:Template TemplateID="7"/><ofd:Content>'),
    });
    const doc = await extractOfd(bytes);
    expect(doc.title).toBe('测试');
    expect(doc.blocks.map((b) => (b.kind === 'text' ? b.text : '')).join('|')).toContain('某某县审计局|2023年某某县审计局政府信息公开工作年度报告');
  });

  it('refuses a package without text as image-only, and a zip that is no OFD as corrupt', async () => {
    const imageOnly = await pkg({
      'OFD.xml': ofdXml(),
      'Doc_0/Document.xml': `<?xml version="1.0"?><ofd:Document ${NS}><ofd:CommonData/><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`,
      'Doc_0/Pages/Page_0/Content.xml': page('<ofd:ImageObject ID="2" Boundary="0 0 210 297" ResourceID="5"/>'),
    });
    await expect(parseDocument(imageOnly, { path: 'scan.ofd' })).rejects.toMatchObject({ reason: 'image_only' });
    const noOfd = await pkg({ 'word/document.xml': '<x/>' });
    const err = await parseDocument(noOfd, { path: 'broken.ofd' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    expect((err as UnreadableDocumentError).reason).toBe('corrupt');
    expect((err as Error).message).toMatch(/broken\.ofd.*OFD\.xml/);
  });
});

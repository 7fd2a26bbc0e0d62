// PDF extractor against the corpus PDFs. Expected values were read off the
// pages rendered with `pdftoppm -png -r 80`, not from the extractor's output.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnreadableDocumentError } from '../../src/parse/errors.js';
import { normalizeRadicals } from '../../src/parse/normalize-radicals.js';
import { getDocument, OPS, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { extractPdf, PDFJS_OPTIONS, skipFontFaceInstall } from '../../src/parse/pdf/index.js';
import { joinLines, tidySpaces } from '../../src/parse/pdf/lines.js';
import type { DocModel, GridCell, TableBlock } from '../../src/parse/types.js';

const CORPUS = '/work/shared/corpus/reports';
const load = (name: string) => new Uint8Array(readFileSync(`${CORPUS}/${name}`));

const tables = (doc: DocModel): TableBlock[] => doc.blocks.filter((b): b is TableBlock => b.kind === 'table');
const texts = (row: GridCell[]) => row.map((c) => c.text);
/** The row whose cells include one with exactly this text. */
function rowWith(t: TableBlock, label: string): GridCell[] {
  const row = t.rows.find((r) => r.some((c) => c.text === label));
  if (!row) throw new Error(`no row labelled ${label}`);
  return row;
}
/** The last n cells of a row: the value columns. */
const lastN = (row: GridCell[], n: number) => texts(row.slice(row.length - n));
const allCellTexts = (doc: DocModel) => tables(doc).flatMap((t) => t.rows.flatMap((r) => r.map((c) => c.text)));
const PAGE_NUMBER = /^[-—–\s]*\d+[-—–\s]*$/;
const isPageNumberLike = (s: string) => PAGE_NUMBER.test(s) && /[-—–]/.test(s);

function expectRectangular(t: TableBlock) {
  const width = t.rows[0].length;
  for (const r of t.rows) expect(r).toHaveLength(width);
}

describe('extractPdf: 2024 淮安市人民政府 (WPS, 6 pages)', () => {
  let doc: DocModel;
  beforeAll(async () => {
    doc = await extractPdf(load('2024_huaian_shizhengfu.pdf'));
  });

  it('reads pages, title and info dictionary', () => {
    expect(doc.format).toBe('pdf');
    expect(doc.pages).toBe(6);
    expect(doc.title).toBe('政府信息公开工作年度报告');
    expect(doc.meta.Creator).toContain('WPS');
    expect(doc.meta.Author).toBe('王守强');
  });

  it('finds the three statistical tables, each a rectangular grid', () => {
    const ts = tables(doc);
    expect(ts).toHaveLength(3);
    ts.forEach((t, i) => {
      expect(t.index).toBe(i);
      expectRectangular(t);
    });
  });

  it('joins table 2 across the page 3/4 break', () => {
    const t2 = tables(doc)[0];
    expect(lastN(rowWith(t2, '行政许可'), 3)[0]).toBe('447228');
    const penalty = rowWith(t2, '行政处罚');
    expect(penalty[1].text).toBe('3985758');
    expect(penalty[0].page).toBe(4);
    expect(rowWith(t2, '行政事业性收费')[1].text).toBe('96171.6');
    expect(texts(rowWith(t2, '规章')).slice(0, 4)).toEqual(['规章', '1', '0', '11']);
    expect(texts(rowWith(t2, '行政规范性文件')).slice(0, 4)).toEqual(['行政规范性文件', '8', '26', '66']);
  });

  it('table 3: split over pages 4-5, (四)无 / 法提供 kept in their cells, numbers in their columns', () => {
    const t3 = tables(doc)[1];
    const header = rowWith(t3, '自然人');
    const totalCol = header.findIndex((c) => c.text === '总计');
    const personCol = header.findIndex((c) => c.text === '自然人');
    expect(totalCol).toBe(header.length - 1);
    expect(personCol).toBe(header.length - 7);
    expect(lastN(rowWith(t3, '商业企业'), 6)).toEqual(['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']);

    const notHeld = rowWith(t3, '1.本机关不掌握相关政府信息');
    expect(texts(notHeld)).toContain('（四）无');
    expect(lastN(notHeld, 7)).toEqual(['746', '12', '0', '0', '10', '1', '769']);
    expect(notHeld[notHeld.length - 1].page).toBe(4);

    const needsCreation = rowWith(t3, '2.没有现成信息需要另行制作');
    expect(texts(needsCreation)).toContain('法提供');
    expect(lastN(needsCreation, 7)).toEqual(['11', '0', '0', '0', '0', '0', '11']);
    expect(needsCreation[needsCreation.length - 1].page).toBe(5);

    expect(lastN(rowWith(t3, '一、本年新收政府信息公开申请数量'), 7)).toEqual(['3001', '53', '0', '0', '61', '4', '3119']);
    expect(lastN(rowWith(t3, '（七）总计'), 7)).toEqual(['2932', '53', '0', '0', '61', '4', '3050']);
    expect(lastN(rowWith(t3, '四、结转下年度继续办理'), 7)).toEqual(['103', '0', '0', '0', '0', '0', '103']);
    // Wrapped labels joined without spaces.
    expect(lastN(rowWith(t3, '（二）部分公开（区分处理的，只计这一情形，不计其他情形）'), 7)[6]).toBe('454');
    expect(lastN(rowWith(t3, '5.要求行政机关确认或重新出具已获取信息'), 7)).toEqual(['1', '0', '0', '0', '0', '0', '1']);
  });

  it('joins the vertical 三、本年度办理结果 and expands it as a merged cell', () => {
    const t3 = tables(doc)[1];
    const cells = t3.rows.map((r) => r[0]).filter((c) => c.text === '三、本年度办理结果');
    expect(cells.filter((c) => c.origin)).toHaveLength(1);
    expect(cells.length).toBeGreaterThan(5);
    const granted = rowWith(t3, '（一）予以公开');
    expect(granted[0]).toMatchObject({ text: '三、本年度办理结果', origin: true });
    expect(rowWith(t3, '8.属于行政查询事项')[0]).toMatchObject({ text: '三、本年度办理结果', origin: false });
  });

  it('table 4: 15 numbers in one data row', () => {
    const t4 = tables(doc)[2];
    expect(texts(t4.rows[t4.rows.length - 1])).toEqual(
      ['72', '64', '178', '37', '351', '13', '4', '8', '1', '26', '12', '1', '1', '6', '20'],
    );
    expect(t4.rows[0][0].text).toBe('行政复议');
    expect(t4.rows.some((r) => r.some((c) => c.text === '未经复议直接起诉'))).toBe(true);
  });

  it('keeps page numbers out of tables and text', () => {
    expect(allCellTexts(doc).filter(isPageNumberLike)).toEqual([]);
    const paras = doc.blocks.filter((b) => b.kind === 'text').map((b) => b.text);
    expect(paras.filter((t) => PAGE_NUMBER.test(t))).toEqual([]);
  });

  it('keeps text outside tables, in order, with whole paragraphs', () => {
    const paras = doc.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : ['<table>']));
    const i2 = paras.indexOf('二、主动公开政府信息情况');
    const i3 = paras.indexOf('三、收到和处理政府信息公开申请情况');
    const i4 = paras.indexOf('四、政府信息公开行政复议、行政诉讼情况');
    expect(i2).toBeGreaterThan(0);
    expect(paras.slice(i2 + 1, i2 + 2)).toEqual(['<table>']);
    expect(paras.slice(i3 + 1, i3 + 2)).toEqual(['<table>']);
    expect(paras.slice(i4 + 1, i4 + 2)).toEqual(['<table>']);
    // A sentence wrapped over several lines is one paragraph.
    expect(paras.some((t) => t.includes('全市共受理政府信息公开申请3119件，答复3050件'))).toBe(true);
    // A paragraph continuing on the next page (p2 → p3) is joined.
    expect(paras.some((t) => t.includes('不互动不回应、表述不规范等新老问题'))).toBe(true);
    expect(paras.some((t) => t.includes('全年收取政府信息公开信息处理费3940元'))).toBe(true);
  });
});

describe('extractPdf: 2023 洪泽区 (WPS, vertical font, inconsistent table 4)', () => {
  let doc: DocModel;
  beforeAll(async () => {
    doc = await extractPdf(load('2023_huaian_hongzequ.pdf'));
  });

  it('title from the info dictionary', () => {
    expect(doc.title).toBe('洪泽区人民政府2023年政府信息公开工作年度报告');
    expect(doc.pages).toBe(5);
  });

  it('table 4 keeps the printed inconsistency (维持10 纠正1 总计0)', () => {
    const t4 = tables(doc)[2];
    expect(texts(t4.rows[t4.rows.length - 1])).toEqual(
      ['10', '1', '0', '0', '0', '0', '0', '0', '0', '0', '5', '0', '0', '0', '0'],
    );
  });

  it('table 3: vertical-font label recovered, typo kept, page-3/4 rows joined', () => {
    const t3 = tables(doc)[1];
    expectRectangular(t3);
    expect(t3.rows.some((r) => r[0].text === '三、本年度办理结果' && r[0].origin)).toBe(true);
    expect(lastN(rowWith(t3, '2.其他法律行政止公开'), 7)).toEqual(['0', '0', '0', '0', '0', '0', '0']);
    const notHeld = rowWith(t3, '1.本机关不掌握相关政府信息');
    expect(texts(notHeld)).toContain('（四）无法提供');
    expect(lastN(notHeld, 7)).toEqual(['10', '0', '0', '0', '0', '0', '10']);
    const unclear = rowWith(t3, '3.补正后申请内容仍不明确');
    expect(unclear[unclear.length - 1].page).toBe(4);
    expect(lastN(rowWith(t3, '5.要求行政机关确认或重新出具已获取信息'), 7)).toEqual(['0', '0', '0', '0', '0', '0', '0']);
    expect(lastN(rowWith(t3, '（六）其他处理'), 7)).toEqual(['0', '0', '0', '0', '0', '0', '0']);
    expect(lastN(rowWith(t3, '（七）总计'), 7)).toEqual(['21', '0', '0', '0', '0', '0', '21']);
    expect(allCellTexts(doc).filter(isPageNumberLike)).toEqual([]);
  });

  it('table 2 values', () => {
    const t2 = tables(doc)[0];
    expect(rowWith(t2, '行政许可')[1].text).toBe('550');
    expect(rowWith(t2, '行政处罚')[1].text).toBe('4119');
    expect(rowWith(t2, '行政事业性收费')[1].text).toBe('7730.28');
  });
});

describe('extractPdf: 2024 洪泽区 (WPS)', () => {
  let doc: DocModel;
  beforeAll(async () => {
    doc = await extractPdf(load('2024_huaian_hongzequ.pdf'));
  });

  it('tables 3 and 4 as printed', () => {
    const [t2, t3, t4] = tables(doc);
    expect(rowWith(t2, '行政许可')[1].text).toBe('9487');
    expect(rowWith(t2, '行政处罚')[1].text).toBe('2776');
    expect(lastN(rowWith(t3, '一、本年新收政府信息公开申请数量'), 7)).toEqual(['95', '0', '0', '0', '0', '0', '95']);
    expect(lastN(rowWith(t3, '1.本机关不掌握相关政府信息'), 7)).toEqual(['31', '0', '0', '0', '0', '0', '31']);
    const needsCreation = rowWith(t3, '2.没有现成信息需要另行制作');
    expect(lastN(needsCreation, 7)).toEqual(['1', '0', '0', '0', '0', '0', '1']);
    expect(needsCreation[needsCreation.length - 1].page).toBe(4);
    expect(t3.rows.some((r) => r[0].text === '三、本年度办理结果')).toBe(true);
    expect(texts(t4.rows[t4.rows.length - 1])).toEqual(
      ['1', '1', '0', '0', '2', '1', '0', '0', '0', '1', '2', '0', '1', '0', '3'],
    );
  });
});

describe('extractPdf: 2019 上海市政府办公厅 (LibreOffice re-rendering)', () => {
  let doc: DocModel;
  beforeAll(async () => {
    doc = await extractPdf(load('2019_shanghai_shizhengfubangongting.rerendered.pdf'));
  });

  it('no meaningful title, producer in meta', () => {
    expect(doc.title).toBeUndefined();
    expect(doc.meta.Producer).toContain('LibreOffice');
    expect(doc.pages).toBe(7);
  });

  it('table 2 (2019 format) with a unit in the cell', () => {
    const t2 = tables(doc)[0];
    const printed = (row: GridCell[]) => row.filter((c) => c.origin && c.text).map((c) => c.text);
    expect(printed(rowWith(t2, '规章'))).toEqual(['规章', '13', '13', '524']);
    expect(printed(rowWith(t2, '政府集中采购'))).toEqual(['政府集中采购', '6', '251000元']);
    expect(rowWith(t2, '信息内容')).toBeDefined();
  });

  it('table 3 spans pages 4-6 with blank cells kept in their columns', () => {
    const t3 = tables(doc)[1];
    expectRectangular(t3);
    const pages = new Set(t3.rows.flatMap((r) => r.map((c) => c.page)));
    expect([...pages].sort()).toEqual([4, 5, 6]);
    expect(lastN(rowWith(t3, '一、本年新收政府信息公开申请数量'), 7)).toEqual(['821', '35', '', '', '2', '1', '859']);
    expect(lastN(rowWith(t3, '二、上年结转政府信息公开申请数量'), 7)).toEqual(['18', '', '', '', '', '', '18']);
    expect(lastN(rowWith(t3, '1.本机关不掌握相关政府信息'), 7)).toEqual(['252', '12', '', '', '1', '', '']);
    expect(lastN(rowWith(t3, '（七）总计'), 7)).toEqual(['767', '35', '', '', '2', '1', '805']);
    expect(lastN(rowWith(t3, '四、结转下年度继续办理'), 7)).toEqual(['72', '', '', '', '', '', '72']);
    // A header row broken by the page break: both pieces kept, in the same column.
    const top = rowWith(t3, '自然');
    const col = top.findIndex((c) => c.text === '自然');
    expect(t3.rows.some((r) => r[col].text === '人' && r[col].page === 5)).toBe(true);
  });

  it('table 4 values in their columns', () => {
    const t4 = tables(doc)[2];
    expect(texts(t4.rows[t4.rows.length - 1])).toEqual(['5', '', '', '2', '7', '8', '', '', '1', '9', '', '', '', '', '']);
  });

  it('joins a paragraph whose line ends before a wrapped number', () => {
    const paras = doc.blocks.filter((b) => b.kind === 'text').map((b) => b.text);
    expect(paras.some((t) => t.includes('不予处理158件，占19.6%；其他处理0件。'))).toBe(true);
  });
});

describe('extractPdf: unreadable input', () => {
  const reasonOf = async (bytes: Uint8Array) => {
    try {
      await extractPdf(bytes);
    } catch (err) {
      expect(err).toBeInstanceOf(UnreadableDocumentError);
      return { reason: (err as UnreadableDocumentError).reason, message: (err as Error).message };
    }
    throw new Error('expected extractPdf to throw');
  };

  it('empty buffer → corrupt', async () => {
    expect((await reasonOf(new Uint8Array(0))).reason).toBe('corrupt');
  });

  it('truncated PDF (first 30% of a real one) → corrupt', async () => {
    const full = load('2024_huaian_hongzequ.pdf');
    expect((await reasonOf(full.slice(0, Math.floor(full.length * 0.3)))).reason).toBe('corrupt');
  });

  it('random bytes → corrupt, with or without a PDF header', async () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff;
    const noise = Uint8Array.from({ length: 4096 }, rnd);
    expect((await reasonOf(noise)).reason).toBe('corrupt');
    const withHeader = new Uint8Array([...new TextEncoder().encode('%PDF-1.7\n'), ...noise]);
    expect((await reasonOf(withHeader)).reason).toBe('corrupt');
  });

  it('a valid PDF with a drawn rectangle and no text → image_only', async () => {
    const res = await reasonOf(buildPdf('0.5 w 100 100 200 150 re S 50 700 m 500 700 l S'));
    expect(res.reason).toBe('image_only');
    expect(res.message).toMatch(/text/);
  });

  it('the hand-built PDF itself is readable when it has text', async () => {
    const doc = await extractPdf(buildPdf('BT /F1 12 Tf 72 720 Td (Annual report 2023) Tj ET'));
    expect(doc.blocks).toEqual([{ kind: 'text', text: 'Annual report 2023', page: 1 }]);
  });
});

describe('extractPdf: hand-built layouts', () => {
  it('rebuilds a table whose borders are filled thin rectangles, with a merged title cell', async () => {
    const h = (y: number) => `100 ${y - 0.25} 300 0.5 re f`;
    const v = (x: number, y0: number, y1: number) => `${x - 0.25} ${y0} 0.5 ${y1 - y0} re f`;
    const text = (x: number, y: number, s: string) => `BT /F1 10 Tf ${x} ${y} Td (${s}) Tj ET`;
    const content = [
      h(570), h(600), h(630), h(660), v(100, 570, 660), v(400, 570, 660), v(250, 570, 630),
      text(105, 640, 'Section 20'), text(105, 610, 'Item'), text(255, 610, 'Count'),
      text(105, 580, 'Permits'), text(255, 580, '447228'), text(72, 700, 'Heading above'),
    ].join('\n');
    const doc = await extractPdf(buildPdf(content));
    expect(doc.blocks[0]).toEqual({ kind: 'text', text: 'Heading above', page: 1 });
    const [t] = tables(doc);
    expect(t.rows.map(texts)).toEqual([['Section 20', 'Section 20'], ['Item', 'Count'], ['Permits', '447228']]);
    expect(t.rows[0].map((c) => c.origin)).toEqual([true, false]);
    expect(t.rows[2][1]).toEqual({ text: '447228', origin: true, page: 1 });
  });

  it('warns about column-aligned text without rulings and keeps the columns tab-separated', async () => {
    const line = (y: number, a: string, b: string) => `BT /F1 10 Tf 72 ${y} Td (${a}) Tj ET BT /F1 10 Tf 300 ${y} Td (${b}) Tj ET`;
    const doc = await extractPdf(buildPdf([line(700, 'Licensing', '550'), line(685, 'Penalty', '4119'), line(670, 'Coercion', '195')].join('\n')));
    expect(doc.blocks.map((b) => (b.kind === 'text' ? b.text : ''))).toEqual(['Licensing\t550', 'Penalty\t4119', 'Coercion\t195']);
    expect(doc.warnings.map((w) => w.code)).toContain('table_without_rulings');
  });
});

describe('extractPdf: operator lists without glyph outlines (speed)', () => {
  // pdfjs compiles a glyph outline per shown glyph when font faces are
  // disabled (its Node default); that was over half the operator-list cost.
  const outlinesBuilt = async (page: PDFPageProxy) => {
    const { fnArray, argsArray } = await page.getOperatorList();
    let font = '';
    const ids = new Set<string>();
    fnArray.forEach((fn, i) => {
      const args = argsArray[i] as unknown[];
      if (fn === OPS.setFont) font = String(args[0]);
      if (fn !== OPS.showText) return;
      for (const g of args[0] as ({ fontChar?: string } | number | null)[]) {
        if (g && typeof g === 'object' && g.fontChar) ids.add(`${font}_path_${g.fontChar}`);
      }
    });
    expect(ids.size).toBeGreaterThan(10);
    return [...ids].filter((id) => page.commonObjs.has(id)).length;
  };
  const open = async (options: object, skipInstall: boolean) => {
    await extractPdf(load('2024_huaian_hongzequ.pdf')); // sets up the in-process worker
    const doc = await getDocument({ data: load('2024_huaian_hongzequ.pdf'), ...options }).promise;
    if (skipInstall) expect(skipFontFaceInstall(doc)).toBe(true);
    return doc;
  };

  it('builds none with the extractor options, with or without the font-face install skipped', async () => {
    for (const skip of [true, false]) {
      const doc = await open(PDFJS_OPTIONS, skip);
      expect(await outlinesBuilt(await doc.getPage(3))).toBe(0);
      await doc.destroy();
    }
  });

  it('(control) pdfjs builds them with disableFontFace', async () => {
    const doc = await open({ ...PDFJS_OPTIONS, disableFontFace: true }, false);
    expect(await outlinesBuilt(await doc.getPage(3))).toBeGreaterThan(10);
    await doc.destroy();
  });
});

describe('text helpers', () => {
  it('maps Kangxi radicals and radical-supplement code points, nothing else', () => {
    expect(normalizeRadicals('\u2F08\u2EA0政府\u2ED3\u2F00')).toBe('人民政府长一');
    expect(normalizeRadicals('（一）１２ＡＢ')).toBe('（一）１２ＡＢ');
  });

  it('joins cell lines without spaces between CJK, with spaces between Latin words', () => {
    expect(joinLines(['（二）部分公开（区分处理的，只计这一情', '形，不计其他情形）'])).toBe(
      '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    );
    expect(joinLines(['3985', '758'])).toBe('3985758');
    expect(joinLines(['Government', 'information'])).toBe('Government information');
    expect(tidySpaces('商 业 企')).toBe('商业企');
    expect(tidySpaces('共计 95 个，PDF file')).toBe('共计95个，PDF file');
  });
});

/** A minimal one-page PDF with the given content stream (and Helvetica as /F1). */
function buildPdf(content: string): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

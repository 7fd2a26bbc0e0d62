// The stream strategy on hand-placed text (no PDF): layouts the corpus does
// not have — centre- and left-aligned numbers, a column left blank in every
// row, labels wrapped with their numbers on the first line, vertical group
// labels, a table split over pages with a page number between — must give
// the cells where a reader sees them. Positions are points, y down.
import { describe, expect, it } from 'vitest';
import { interpret } from '../../src/parse/interpret/index.ts';
import { assemble, type PageLayout } from '../../src/parse/pdf/assemble.ts';
import { groupLines } from '../../src/parse/pdf/lines.ts';
import { addStreamTables } from '../../src/parse/pdf/stream-tables.ts';
import { isWideChar, type TextRun } from '../../src/parse/pdf/text-runs.ts';
import type { DocModel, ParseWarning } from '../../src/parse/types.ts';

const FS = 10.5;
const width = (s: string, fs: number) => Array.from(s).reduce((w, ch) => w + (isWideChar(ch) ? fs : 0.5 * fs), 0);
type Align = 'left' | 'center' | 'right';
/** A run of text placed in a column [x0, x1] with the given alignment. */
function put(text: string, x0: number, x1: number, base: number, page: number, align: Align = 'left', fs = FS): TextRun {
  const w = width(text, fs);
  const x = align === 'left' ? x0 : align === 'right' ? x1 - w : (x0 + x1 - w) / 2;
  return { text, x, right: x + w, base, fs, page };
}

// Value columns of table 3 (7 columns, 40 pt apart from x = 300); labels left of 290.
const COL = (i: number): [number, number] => [300 + 40 * i, 336 + 40 * i];
const HEADERS = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];

/** Label cells [x, text, second line?] and values; a row with a second label line is 32 pt high. */
interface Row { labels: [number, string, string?][]; values: (string | null)[] }

/** One page of text runs: a heading, optional header, rows (20 pt apart), a page number. */
function page(no: number, rows: Row[], opts: { heading?: string; header?: boolean; align: Align; y0: number; running?: string }): PageLayout {
  const runs: TextRun[] = [];
  if (opts.running) runs.push(put(opts.running, 70, 520, 40, no, 'center', 9));
  let y = opts.y0;
  if (opts.heading) {
    runs.push(put(opts.heading, 70, 500, y, no, 'left', 16));
    y += 30;
  }
  if (opts.header) {
    runs.push(put('申请人情况', COL(0)[0], COL(6)[1], y, no, 'center'));
    y += 16;
    runs.push(put('（本列数据的勾稽关系）', 70, 240, y, no));
    runs.push(put('法人或其他组织', COL(1)[0], COL(5)[1], y, no, 'center'));
    y += 16;
    // Narrow columns: the longer header words wrap over two lines.
    HEADERS.forEach((h, i) => {
      const [a, b] = COL(i);
      if (h.length <= 4) runs.push(put(h, a, b, y, no, 'center', 9));
      else {
        runs.push(put(h.slice(0, 4), a, b, y, no, 'center', 9));
        runs.push(put(h.slice(4), a, b, y + 11, no, 'center', 9));
      }
    });
    y += 30;
  }
  for (const r of rows) {
    for (const [x, t, more] of r.labels) {
      runs.push(put(t, x, 290, y, no));
      if (more) runs.push(put(more, x, 290, y + 13, no));
    }
    r.values.forEach((v, i) => { if (v !== null) runs.push(put(v, ...COL(i), y, no, opts.align)); });
    y += r.labels.some((l) => l[2]) ? 32 : 20;
  }
  runs.push(put('- ' + no + ' -', 280, 320, 800, no, 'center', 12));
  return { page: no, height: 842, lines: groupLines(runs), tables: [] };
}

const v = (...xs: (number | null)[]) => xs.map((x) => (x === null ? null : String(x)));

function parse(pages: PageLayout[]) {
  const warnings: ParseWarning[] = [];
  const blocks = assemble(addStreamTables(pages, warnings), warnings);
  const doc: DocModel = { format: 'pdf', blocks, meta: {}, pages: pages.length, warnings };
  const record = interpret(doc, { sha256: '0', format: 'pdf' });
  const cell = (row: string, col: string) => record.values.find((x) => x.table === 't3' && x.row === row && x.col === col);
  return { record, cell, warnings };
}

describe.each(['center', 'left', 'right'] as const)('table 3 without rulings, numbers %s-aligned', (align) => {
  const first: Row[] = [
    { labels: [[70, '一、本年新收政府信息公开申请数量']], values: v(30, 5, null, 1, 12, 0, 48) },
    { labels: [[70, '二、上年结转政府信息公开申请数量']], values: v(2, null, null, null, null, null, 2) },
    { labels: [[70, '三、本年', '度办理'], [120, '（一）予以公开']], values: v(20, 3, null, 1, 10, 0, 34) },
    // Numbers on the first line of a wrapped label.
    { labels: [[120, '（二）部分公开（区分处理的，', '只计这一情形，不计其他情形）']], values: v(4, null, null, null, null, null, 4) },
    { labels: [[120, '（三）不予', '公开'], [200, '1.属于国家秘密']], values: v(null, null, null, null, null, null, null) },
    { labels: [[200, '2.其他法律行政', '法规禁止公开']], values: v(1, null, null, null, null, null, 1) },
  ];
  const second: Row[] = [
    { labels: [[200, '3.危及“三安全', '一稳定”']], values: v(0, 0, null, 0, 0, 0, 0) },
    { labels: [[120, '（七）总计']], values: v(25, 3, null, 1, 10, 0, 39) },
    { labels: [[70, '四、结转下年度继续办理']], values: v(7, 2, null, 0, 2, 0, 11) },
  ];
  const { cell, warnings, record } = parse([
    page(3, first, { heading: '三、收到和处理政府信息公开申请情况', header: true, align, y0: 480 }),
    // A running header above the continuation, and a column blank in all its rows.
    page(4, second, { align, y0: 80, running: '某某市人民政府2024年政府信息公开工作年度报告' }),
  ]);

  it('reads every row in its columns, blanks kept as blanks', () => {
    expect(cell('new_received', 'natural_person')?.value).toBe(30);
    expect(cell('new_received', 'research')?.cell).toBe('blank');
    expect(cell('new_received', 'social_org')?.value).toBe(1);
    expect(cell('new_received', 'total')?.value).toBe(48);
    expect(cell('carried_over', 'commercial')?.cell).toBe('blank');
    expect(cell('carried_over', 'total')?.value).toBe(2);
    expect(cell('granted', 'legal_service')?.value).toBe(10);
    expect(cell('partially_granted', 'natural_person')?.value).toBe(4);
    expect(cell('partially_granted', 'total')?.value).toBe(4);
    expect(cell('denied.state_secret', 'total')?.cell).toBe('blank');
    expect(cell('denied.prohibited_by_law', 'natural_person')?.value).toBe(1);
  });

  it('continues the table on the next page, past the page number and a running header, in the same columns', () => {
    expect(cell('denied.security_stability', 'commercial')?.value).toBe(0);
    expect(cell('denied.security_stability', 'research')?.cell).toBe('blank');
    expect(cell('total_processed', 'total')?.value).toBe(39);
    expect(cell('carried_forward', 'legal_service')?.value).toBe(2);
    // (The running header between the two parts keeps them two table blocks, as for ruled tables.)
    expect(record.values.filter((x) => x.table === 't3')).toHaveLength(9 * 7);
  });

  it('says the table was rebuilt from text positions', () => {
    expect(warnings.filter((w) => w.code === 'table_from_text_positions').map((w) => w.at?.page)).toEqual([3, 4]);
  });
});

describe('table 4 without rulings: three header levels, one row of 15 numbers', () => {
  const runs: TextRun[] = [];
  const x = (i: number): [number, number] => [70 + 30 * i, 96 + 30 * i];
  runs.push(put('四、政府信息公开行政复议、行政诉讼情况', 70, 500, 100, 1, 'left', 16));
  runs.push(put('行政复议', ...[x(0)[0], x(4)[1]] as [number, number], 130, 1, 'center'));
  runs.push(put('行政诉讼', ...[x(5)[0], x(14)[1]] as [number, number], 130, 1, 'center'));
  runs.push(put('未经复议直接起诉', ...[x(5)[0], x(9)[1]] as [number, number], 150, 1, 'center'));
  runs.push(put('复议后起诉', ...[x(10)[0], x(14)[1]] as [number, number], 150, 1, 'center'));
  const words = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  for (let i = 0; i < 15; i++) {
    const w = words[i % 5];
    runs.push(put(w.slice(0, 2), ...x(i), 170, 1, 'center', 9));
    if (w.length > 2) runs.push(put(w.slice(2), ...x(i), 181, 1, 'center', 9));
  }
  // Blank cells in columns no value marks: only their header words place them.
  const values = ['12', '', '', '3', '15', '', '', '', '', '', '1', '', '', '', '1'];
  values.forEach((t, i) => { if (t) runs.push(put(t, ...x(i), 205, 1, 'right')); });
  runs.push(put('五、存在的主要问题及改进情况', 70, 500, 240, 1, 'left', 16));
  const { record } = parse([{ page: 1, height: 842, lines: groupLines(runs), tables: [] }]);
  const t4 = (row: string, col: string) => record.values.find((c) => c.table === 't4' && c.row === row && c.col === col);

  it('puts each number under its own header word', () => {
    expect(t4('review', 'upheld')?.value).toBe(12);
    expect(t4('review', 'corrected')?.cell).toBe('blank');
    expect(t4('review', 'pending')?.value).toBe(3);
    expect(t4('review', 'total')?.value).toBe(15);
    expect(t4('litigation_direct', 'total')?.cell).toBe('blank');
    expect(t4('litigation_after_review', 'upheld')?.value).toBe(1);
    expect(t4('litigation_after_review', 'total')?.value).toBe(1);
    expect(record.values.filter((c) => c.table === 't4')).toHaveLength(15);
  });
});

describe('text that only looks like columns stays text', () => {
  const runs: TextRun[] = [
    // Justified prose whose gaps fall around figures, with the format's words in it.
    put('全年共办理行政复议', 70, 0, 100, 1), put('72件，其中结果维持', 230, 0, 100, 1), put('64件，结果纠正', 400, 0, 100, 1),
    put('5件，尚未审结', 70, 0, 120, 1), put('9件。', 260, 0, 120, 1),
    // A signature and its date, and a list of figures without the format's words.
    put('某某市人民政府办公室', 350, 0, 300, 1), put('2025年1月20日', 350, 0, 320, 1),
    put('网站访问量', 70, 0, 360, 1), put('1200', 300, 0, 360, 1),
    put('微博粉丝数', 70, 0, 380, 1), put('3400', 300, 0, 380, 1),
  ];
  const warnings: ParseWarning[] = [];
  const pages = addStreamTables([{ page: 1, height: 842, lines: groupLines(runs), tables: [] }], warnings);

  it('builds no table and says nothing about rebuilt tables', () => {
    expect(pages[0].tables).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

// What the issue states about particular real reports, asserted directly.
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/parse/index.ts';
import type { ReportRecord } from '../../src/parse/types.ts';
import { REPORTS } from './helpers.ts';

const parse = (f: string) => parseDocument(readFileSync(join(REPORTS, f)), { path: f });
const value = (r: ReportRecord, id: string) => r.values.find((v) => `${v.table}.${v.row}.${v.col}` === id);

describe('the seed report (中卫市审计局 2020, markdown conversion)', () => {
  it('is 中卫市审计局, 2020, 2019 format', async () => {
    const r = await parse('2020_zhongwei_shenjiju.md');
    expect(r.agency?.name).toBe('中卫市审计局');
    expect(r.year).toBe(2020);
    expect(r.template).toBe('2019');
    expect(r.published).toBe('2021-01-25');
  });

  it('prints 0 in every table 3 and 4 cell it prints, and reports the lost rows as missing', async () => {
    const r = await parse('2020_zhongwei_shenjiju.md');
    const printed = r.values.filter((v) => v.table === 't3' || v.table === 't4');
    expect(printed.length).toBeGreaterThan(40);
    expect(printed.every((v) => v.cell === 'number' && v.value === 0)).toBe(true);
    // The conversion's empty cells are not taken for blanks it printed.
    expect(r.warnings.map((w) => w.code)).toContain('conversion_empty_cells');
    expect(r.values.filter((v) => v.table === 't4')).toHaveLength(15);
    const missingRows = new Set(r.missing.filter((m) => m.table === 't3').map((m) => m.row));
    // Lost after （四）无法提供 2: item 3, （五）, （六）, （七）总计 and 四、结转.
    for (const row of ['unable.unclear', 'not_processed.complaint', 'other', 'total_processed', 'carried_forward']) expect(missingRows).toContain(row);
    expect(value(r, 't3.unable.needs_creation.total')?.value).toBe(0);
  });

  it('reads audit results published = 17 from three clauses (9 + 4 + 4)', async () => {
    const r = await parse('2020_zhongwei_shenjiju.md');
    const audit = r.narrative.find((n) => n.metric === 'audit_results_published')!;
    expect(audit.value).toBe(17);
    expect(audit.evidence.map((e) => e.value)).toEqual([9, 4, 4]);
    expect(audit.evidence[0].clause).toContain('财政预算执行');
    expect(audit.evidence[0].sentence).toContain('审计结果');
  });
});

describe('a text conversion saved in GBK', () => {
  it('reads as the UTF-8 original does', async () => {
    const utf8 = await parse('2020_zhongwei_shenjiju.md');
    const gbk = await parseDocument(iconv.encode(readFileSync(join(REPORTS, '2020_zhongwei_shenjiju.md'), 'utf8'), 'gbk'), { path: 'seed-gbk.md' });
    expect(gbk.values).toEqual(utf8.values);
    expect(gbk.narrative).toEqual(utf8.narrative);
    expect(gbk.agency).toEqual(utf8.agency);
  });
});

describe('洪泽区 2023 (PDF): a real table-4 inconsistency', () => {
  it('keeps the values as printed and fails relation 4', async () => {
    const r = await parse('2023_huaian_hongzequ.pdf');
    expect(value(r, 't4.review.upheld')?.value).toBe(10);
    expect(value(r, 't4.review.corrected')?.value).toBe(1);
    expect(value(r, 't4.review.total')?.value).toBe(0);
    expect(value(r, 't4.litigation_after_review.upheld')?.value).toBe(5);
    const failed = r.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed).toEqual(expect.arrayContaining(['r4.review', 'r4.litigation_after_review']));
    expect(r.checks.find((c) => c.id === 'r4.review')).toMatchObject({ left: 0, right: 11 });
    // Table 3 adds up.
    expect(r.checks.filter((c) => c.relation <= 3 && c.status !== 'pass')).toEqual([]);
  });
});

describe('the same report in four formats', () => {
  it('gives identical values from the HTML, the DOCX, the PDF and the Word 97 .doc (and as .wps)', async () => {
    const base = '2019_shanghai_shizhengfubangongting';
    const docPath = join(import.meta.dirname, '../fixtures/doc', `${base}.rerendered.doc`);
    const docBytes = readFileSync(docPath);
    const [html, docx, pdf, doc, wps] = await Promise.all([
      parse(`${base}.html`), parse(`${base}.rerendered.docx`), parse(`${base}.rerendered.pdf`),
      parseDocument(docBytes, { path: docPath }), parseDocument(docBytes, { url: 'https://www.example.gov.cn/P020200131.wps' }),
    ]);
    const form = (r: ReportRecord) => r.values.map((v) => `${v.table}.${v.row}.${v.col}=${v.cell}:${v.value}`).sort();
    expect(form(docx)).toEqual(form(html));
    expect(form(pdf)).toEqual(form(html));
    expect(form(doc)).toEqual(form(html));
    expect(doc).toMatchObject({ source: { format: 'doc' }, agency: { name: '上海市人民政府办公厅' }, year: 2019, missing: [] });
    expect(doc.checks).toEqual(docx.checks);
    expect(doc.narrative.map((n) => [n.metric, n.value])).toEqual(docx.narrative.map((n) => [n.metric, n.value]));
    expect(wps.source.format).toBe('wps');
    expect(form(wps)).toEqual(form(html));
    expect(value(html, 't2.procurement.amount_10k_yuan')).toMatchObject({ value: 25.1, raw: '251000元', unit: '万元' });
    expect(value(html, 't3.new_received.total')?.value).toBe(859);
  });
});

describe('legacy reports', () => {
  it('are recognised with agency and year, and their statistics go to the l family only', async () => {
    const r = await parse('2012_pingtan_xianrenminzhengfu.txt');
    expect(r).toMatchObject({ template: 'legacy', year: 2012, agency: { name: '平潭县人民政府' } });
    expect(r.values.every((v) => v.table === 'l')).toBe(true);
    expect(r.missing).toEqual([]);
  });

  it('splits "主动公开信息数条20263542" as 2026 | 3542 because the prose states 2026, and says so', async () => {
    const r = await parse('2012_pingtan_xianrenminzhengfu.txt');
    const y = value(r, 'l.proactive.total.year')!;
    expect(y).toMatchObject({ value: 2026, raw: '20263542' });
    expect(y.note).toContain('其中主动公开政府信息2026条');
    expect(value(r, 'l.proactive.total.cumulative')?.value).toBe(3542);
    expect(r.checks.find((c) => c.id === 'l7:requests.received.year')).toMatchObject({ status: 'pass', left: 21, right: 21 });
  });

  it('reads a prose-only report (地方税务局 2013) with each value\'s sentence, and silence as nothing', async () => {
    const r = await parse('2013_pingtan_difangshuiwuju.txt');
    expect(value(r, 'l.requests.received.year')).toMatchObject({ value: 0, evidence: { clause: expect.stringContaining('未收到政府信息公开申请') } });
    expect(value(r, 'l.review.total.year')?.value).toBe(0);
    // The report says nothing about litigation or fees charged (its 1万元 is spending, not fees).
    expect(value(r, 'l.litigation.total.year')).toBeUndefined();
    expect(value(r, 'l.fees.amount_10k_yuan.year')).toBeUndefined();
  });

  it('does not split the merged 信函、传真申请数 row, and says so', async () => {
    const r = await parse('2017_pingtan_zongheshiyanqu.txt');
    expect(value(r, 'l.requests.letter.year')).toBeUndefined();
    expect(value(r, 'l.requests.fax.year')).toBeUndefined();
    expect(r.warnings.filter((w) => w.code === 'legacy_row_merged')).toHaveLength(2);
    expect(value(r, 'l.proactive.total.cumulative')?.value).toBe(10037);
  });
});

// The legacy (2008–2018) reader on wordings and layouts the corpus does not
// show. The documents below are constructed for the test (no government
// printed these figures); each states what a real report of its kind states.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/parse/index.ts';
import type { ReportRecord } from '../../src/parse/types.ts';
import { splitReadings } from '../../src/parse/legacy/figures.ts';
import { matchLegacyLabel } from '../../src/parse/legacy/rules.ts';
import { EXCERPTS } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const legacyValues = (r: ReportRecord) => Object.fromEntries(r.values.filter((v) => v.table === 'l').map((v) => [`${v.row}.${v.col}`, v.value]));

function html(title: string, body: string): Uint8Array {
  return enc(`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
}

describe('legacy labels by meaning', () => {
  it.each([
    ['主动公开政府信息数', 'proactive.total'], ['主动公开信息数', 'proactive.total'], ['主动公开文件数', 'proactive.total'],
    ['其中：主动公开规范性文件数', 'proactive.normative_documents'], ['收到申请数', 'requests.received'], ['受理依申请公开信息总数', 'requests.received'],
    ['申请总数', 'requests.received'], ['2.网络申请数', 'requests.online'], ['（3）信函申请数', 'requests.letter'], ['其它形式申请数', 'requests.other'],
    ['对申请的答复总数', 'answers.total'], ['申请办结数', 'answers.total'], ['同意公开答复数', 'answers.granted'], ['同意部分公开答复数', 'answers.partially_granted'],
    ['否决公开答复总数', 'answers.denied'], ['不同意公开答复数', 'answers.denied'], ['不属于本行政机关公开数', 'answers.not_held'], ['申请信息不存在数', 'answers.nonexistent'],
    ['行政复议数', 'review.total'], ['行政诉讼数', 'litigation.total'], ['行政申诉数', 'complaints.total'], ['依申请公开信息收取的费用', 'fees.amount_10k_yuan'],
  ])('%s → %s', (label, row) => {
    const m = matchLegacyLabel(label);
    expect(m.kind === 'row' && m.row.id).toBe(row);
  });

  it('leaves out rows the schema does not know, and never splits a merged row', () => {
    for (const l of ['1.政府网站公开数', '其他类型答复数', '政府信息公开收费减免金额', '2、政府公报公开数']) expect(matchLegacyLabel(l).kind).toBe('ignored');
    expect(matchLegacyLabel('信函、传真申请数')).toEqual({ kind: 'merged', rows: ['requests.letter', 'requests.fax'] });
    expect(matchLegacyLabel('接受行政诉讼、举报数').kind).toBe('merged');
  });
});

describe('run-together cells', () => {
  it('lists every well-formed reading with cumulative ≥ this year', () => {
    expect(splitReadings('20263542').map((r) => [r.year!.value, r.cumulative!.value])).toEqual([[20, 263542], [202, 63542], [2026, 3542]]);
    expect(splitReadings('00').map((r) => [r.year!.value, r.cumulative!.value])).toEqual([[0, 0]]);
    expect(splitReadings('07').map((r) => [r.year!.value, r.cumulative!.value])).toEqual([[0, 7]]);
  });

  const dump = (rows: string, prose = '') => enc(
    `某县人民政府2014年政府信息公开工作年度报告 本报告所列数据的统计期限自2014年1月1日起至2014年12月31日。${prose} 附件：政府信息公开情况统计表 指标名称计量单位2014年度历年累计${rows}`,
  );

  it('leaves an unproven split out with a warning: digits are never guessed', async () => {
    const r = await parseDocument(dump('受理依申请公开信息总数件1717行政复议数件00'), { path: 'x.txt' });
    expect(legacyValues(r)).toEqual({ 'review.total.year': 0, 'review.total.cumulative': 0 });
    expect(r.warnings.find((w) => w.code === 'legacy_cell_unsplit')?.message).toContain('1 | 717, 17 | 17');
  });

  it('proves a split by the 其中 items: a part is never more than its total', async () => {
    // total 2121: 2|121 or 21|21; part 1818: 1|818 or 18|18. 1|818 exceeds either total's cumulative, so the part is 18|18, and then only 21|21 holds it.
    const r = await parseDocument(dump('受理依申请公开信息总数件2121其中：1.当面申请数件1818'), { path: 'x.txt' });
    expect(legacyValues(r)).toEqual({ 'requests.received.year': 21, 'requests.received.cumulative': 21, 'requests.in_person.year': 18, 'requests.in_person.cumulative': 18 });
    expect(r.values[0].note).toContain('其中');
  });

  it('cuts the next item\'s list number off a figure ("…条179533042.政府公报…")', async () => {
    const r = await parseDocument(dump('收到申请数件33其中：1.当面申请数件332.网上申请数件00'), { path: 'x.txt' });
    expect(legacyValues(r)).toEqual({ 'requests.received.year': 3, 'requests.received.cumulative': 3, 'requests.in_person.year': 3, 'requests.in_person.cumulative': 3, 'requests.online.year': 0, 'requests.online.cumulative': 0 });
  });
});

describe("a statistics table in another province's wording (HTML grid)", () => {
  const table = `<table>
    <tr><td>指标名称</td><td>单位</td><td>本年度</td><td>历年累计</td></tr>
    <tr><td>主动公开政府信息数</td><td>条</td><td>120</td><td>560</td></tr>
    <tr><td>其中：主动公开规范性文件数</td><td>条</td><td>8</td><td>30</td></tr>
    <tr><td>1.政府网站公开数</td><td>条</td><td>110</td><td>500</td></tr>
    <tr><td>收到申请数</td><td>件</td><td>5</td><td>12</td></tr>
    <tr><td>其中：1.当面申请数</td><td>件</td><td>2</td><td>5</td></tr>
    <tr><td>2.网上申请数</td><td>件</td><td>3</td><td>7</td></tr>
    <tr><td>对申请的答复总数</td><td>件</td><td>5</td><td>12</td></tr>
    <tr><td>其中：1.同意公开答复数</td><td>件</td><td>3</td><td>9</td></tr>
    <tr><td>2.同意部分公开答复数</td><td>件</td><td>1</td><td>1</td></tr>
    <tr><td>3.不同意公开答复数</td><td>件</td><td>1</td><td>2</td></tr>
    <tr><td>依申请公开信息收取的费用</td><td>元</td><td>150</td><td></td></tr>
    <tr><td>行政复议数</td><td>件</td><td>0</td><td>1</td></tr>
    <tr><td>咨询处理数</td><td>人次</td><td>40</td><td>300</td></tr>
  </table>`;

  it('reads every schema row, money in 万元, blanks as blanks, other rows left out', async () => {
    const r = await parseDocument(html('某市环境保护局2015年政府信息公开工作年度报告', `<p>本报告所列数据的统计期限自2015年1月1日起至2015年12月31日。</p>${table}`), { path: 'x.html' });
    expect(r.template).toBe('legacy');
    expect(legacyValues(r)).toEqual({
      'proactive.total.year': 120, 'proactive.total.cumulative': 560, 'proactive.normative_documents.year': 8, 'proactive.normative_documents.cumulative': 30,
      'requests.received.year': 5, 'requests.received.cumulative': 12, 'requests.in_person.year': 2, 'requests.in_person.cumulative': 5,
      'requests.online.year': 3, 'requests.online.cumulative': 7, 'answers.total.year': 5, 'answers.total.cumulative': 12,
      'answers.granted.year': 3, 'answers.granted.cumulative': 9, 'answers.partially_granted.year': 1, 'answers.partially_granted.cumulative': 1,
      'answers.denied.year': 1, 'answers.denied.cumulative': 2, 'fees.amount_10k_yuan.year': 0.015, 'fees.amount_10k_yuan.cumulative': null,
      'review.total.year': 0, 'review.total.cumulative': 1,
    });
    expect(r.values.find((v) => v.row === 'fees.amount_10k_yuan' && v.col === 'cumulative')?.cell).toBe('blank');
    expect(r.values.every((v) => v.at.table === 0 && typeof v.at.row === 'number')).toBe(true);
    expect(r.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(r.checks.map((c) => c.id)).toContain('l8:answers.total.year');
  });
});

describe('legacy prose', () => {
  const page = (text: string) => html('某县交通运输局2016年政府信息公开工作年度报告', text.split('\n').map((p) => `<p>${p}</p>`).join(''));

  it('reads stated figures and statements of none, each with its sentence; silence gives nothing', async () => {
    const r = await parseDocument(page([
      '本报告所列数据的统计期限自2016年1月1日起至2016年12月31日。',
      '三、依申请公开政府信息情况',
      '全年共受理政府信息公开申请21件，均已按时答复。',
      '四、因政府信息公开申请行政复议、提起行政诉讼的情况',
      '2016年未发生行政复议。',
      '五、政府信息公开的收费及减免情况',
      '本局依申请提供政府信息，未收取任何费用。',
    ].join('\n')), { path: 'x.html' });
    expect(legacyValues(r)).toEqual({ 'requests.received.year': 21, 'review.total.year': 0, 'fees.amount_10k_yuan.year': 0 });
    expect(r.values.find((v) => v.row === 'requests.received')?.evidence?.sentence).toBe('全年共受理政府信息公开申请21件，均已按时答复。');
  });

  it('reads the answer kinds and joint statements of none in a sentence', async () => {
    const r = await parseDocument(page([
      '本报告所列数据的统计期限自2016年1月1日起至2016年12月31日。',
      '2016年，我局全年共主动公开政府信息156条。',
      '全年共受理政府信息公开申请3件，其中网上申请2件，当面申请1件。',
      '其中同意公开2件，部分公开1件，不予公开0件。',
      '本年度我局行政复议、行政诉讼均为0件。',
      '制作、获取政府信息中不予公开信息数1854条。',
    ].join('\n')), { path: 'x.html' });
    expect(legacyValues(r)).toEqual({
      'proactive.total.year': 156, 'requests.received.year': 3, 'requests.online.year': 2, 'requests.in_person.year': 1,
      'answers.granted.year': 2, 'answers.partially_granted.year': 1, 'answers.denied.year': 0, 'review.total.year': 0, 'litigation.total.year': 0,
    });
  });

  it('takes a part of the body for nothing, and disagreeing statements for nothing', async () => {
    const r = await parseDocument(page([
      '本报告所列数据的统计期限自2016年1月1日起至2016年12月31日。',
      '县直各单位主动公开政府信息2475条。',
      '全年共收到政府信息公开申请5件。全年共收到政府信息公开申请6件。',
    ].join('\n')), { path: 'x.html' });
    expect(legacyValues(r)).toEqual({});
    expect(r.warnings.map((w) => w.code)).toContain('legacy_prose_conflict');
  });
});

describe('legacy excerpts of the corpus', () => {
  it.each(['2012_nanping_shizhengfu', '2017_lishui_shizhengfu', '2017_stats_chongqingdiaochazongdui'])('%s states no legacy figure in its kept text, so none is reported', async (name) => {
    const r = await parseDocument(readFileSync(join(EXCERPTS, `${name}.excerpt.txt`)), {});
    expect(r.values).toEqual([]);
  });
});

// The small rules the interpreter is built from, on inputs seen in real reports.
import { describe, expect, it } from 'vitest';
import { parseCell, isValueLike } from '../../src/parse/cell-value.ts';
import { labelKey } from '../../src/parse/text-normalize.ts';
import { fitData } from '../../src/parse/interpret/fit.ts';
import { parseTitle, cleanAgency } from '../../src/parse/interpret/identity.ts';
import { headingSection } from '../../src/parse/interpret/rows.ts';
import { interpret } from '../../src/parse/interpret/index.ts';
import type { DocModel, GridCell } from '../../src/parse/types.ts';

const cells = (...t: string[]) => t.map((text) => ({ text, at: {} }));

describe('cells as printed', () => {
  it.each([
    ['859', 'number', 859, null],
    ['3,985,758', 'number', 3985758, null],
    ['-35', 'number', -35, null],
    ['－35', 'number', -35, null],
    ['９６１７１.６', 'number', 96171.6, null],
    ['251000元', 'number', 251000, '元'],
    ['22（其中修订16件）', 'text', 22, null],
    ['', 'blank', null, null],
    ['\u00a0', 'blank', null, null],
    ['—', 'dash', null, null],
    ['/', 'dash', null, null],
    ['无', 'dash', null, null],
    ['详见附件', 'text', null, null],
  ])('%j is %s', (raw, kind, value, unit) => {
    expect(parseCell(raw)).toMatchObject({ kind, value, unit });
  });

  it('numbered labels are labels, not numbers with notes', () => {
    expect(isValueLike('2.其他法律行政法规禁止公开')).toBe(false);
    expect(isValueLike('1、信访举报投诉类申请')).toBe(false);
    expect(isValueLike('22（其中修订16件）')).toBe(true);
  });

  it('label keys ignore spaces, numbering punctuation and full-width forms', () => {
    expect(labelKey('（三）不予 公开')).toBe(labelKey('(三)不予公开'));
    expect(labelKey('3.危及“三安全一稳定”')).toBe('3危及三安全一稳定');
    expect(labelKey('⼈')).toBe('人');
  });
});

describe('fitting cells onto columns', () => {
  it('reads a row of the right width by position, blanks included', () => {
    const f = fitData(cells('0', '', '', '', '', '', '0'), 7);
    expect(f.problem).toBeNull();
    expect(f.cells.map((c) => c?.text)).toEqual(['0', '', '', '', '', '', '0']);
  });
  it('drops surplus trailing blanks of a structured table', () => {
    expect(fitData(cells('1', '2', '3', ''), 3).problem).toBeNull();
  });
  it('in a lossy conversion, keeps only printed values of a shifted row, right-aligned, the rest missing', () => {
    const f = fitData(cells('', '', '', '', '', '', '0', ''), 7, true);
    expect(f.problem).toMatch(/aligned to the right/);
    expect(f.cells.map((c) => c?.text ?? null)).toEqual([null, null, null, null, null, null, '0']);
  });
});

describe('titles, headings and names', () => {
  it.each([
    ['中卫市审计局 2020 年政府信息公开工作 年度报告', '中卫市审计局', 2020],
    ['2019年上海市人民政府办公厅政府信息公开工作年度报告', '上海市人民政府办公厅', 2019],
    ['平潭综合实验区2017年度政府信息公开工作年度报告', '平潭综合实验区', 2017],
    ['平潭综合实验区地方税务局2013年信息公开年度报告', '平潭综合实验区地方税务局', 2013],
    ['关于印发泉州市丰泽区教育局2025年政府信息公开年度报告的通知', '泉州市丰泽区教育局', 2025],
    ['二〇二三年度某县人民政府政府信息公开工作年度报告', '某县人民政府', 2023],
  ])('%s', (title, agency, year) => {
    expect(parseTitle(title)).toMatchObject({ agency, year });
  });
  it('drops page chrome before a name', () => {
    expect(cleanAgency('当前位置：首页>政府信息公开>年度报告>大冶市自然资源和规划局')).toBe('大冶市自然资源和规划局');
    expect(cleanAgency('现公布我局')).toBeNull();
  });
  it('recognises the sections by their words, whatever their numbering', () => {
    expect(headingSection('二、主动公开政府信息情况')).toBe('t2');
    expect(headingSection('一、主动公开政府信息情况')).toBe('t2');
    expect(headingSection('三、收到和处理政府信息公开申请情况')).toBe('t3');
    expect(headingSection('四、政府信息公开行政复议、行政诉讼情况')).toBe('t4');
    expect(headingSection('四、因政府信息公开工作被申请行政复议、提起行政诉讼情况')).toBe('t4');
    expect(headingSection('五、存在的主要问题及整改措施')).toBe('after');
    expect(headingSection('（一）主动公开政府信息情况')).toBeNull();
  });
});

describe('the interpreter on a small hand-made grid (synthetic, not a government figure)', () => {
  const row = (...t: string[]): GridCell[] => t.map((text) => ({ text, origin: true }));
  const doc: DocModel = {
    format: 'html',
    meta: {},
    warnings: [],
    blocks: [
      { kind: 'text', text: '合成测试机关2022年政府信息公开工作年度报告' },
      { kind: 'text', text: '三、收到和处理政府信息公开申请情况' },
      {
        kind: 'table',
        index: 0,
        rows: [
          row('', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'),
          row('一、本年新收政府信息公开申请数量', '5', '1', '0', '0', '0', '0', '6'),
          row('二、上年结转政府信息公开申请数量', '0', '0', '0', '0', '0', '0', '0'),
          row('1、属于国家秘密', '0', '0', '0', '0', '0', '0', '0'),
          row('（七）总计', '5', '1', '0', '0', '0', '0', '7'),
        ],
      },
    ],
  };
  it('maps rows by meaning ("1、" numbering) and records a failed relation without changing values', () => {
    const r = interpret(doc, { sha256: '0'.repeat(64), format: 'html' });
    expect(r.values.find((v) => v.row === 'denied.state_secret' && v.col === 'total')?.value).toBe(0);
    expect(r.values.find((v) => v.row === 'total_processed' && v.col === 'total')?.value).toBe(7);
    expect(r.checks.find((c) => c.id === 'r3.total_processed')).toMatchObject({ status: 'fail', left: 7, right: 6 });
    expect(r.checks.find((c) => c.id === 'r1.total')?.status).toBe('not_assessable');
  });
});

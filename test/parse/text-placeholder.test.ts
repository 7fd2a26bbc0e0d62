// Text conversions that print an empty placeholder table (`| - | - |`) under a
// header line before the real rows: a labelled row always wins over a
// positional guess, so the placeholder never displaces the row printed after it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/parse/index.ts';
import type { ReportRecord } from '../../src/parse/types.ts';
import { goldenForm } from '../golden/golden-form.ts';
import { REPORTS } from './helpers.ts';

const KEWEI = '2024_shanghai_kewei_pdf2md-conversion.md';

function t3(r: ReportRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(goldenForm(r).values).filter(([k]) => k.startsWith('t3.')));
}

async function parseText(text: string, path = 'variant.md'): Promise<ReportRecord> {
  return parseDocument(Buffer.from(text, 'utf8'), { path });
}

describe('placeholder tables in text conversions', () => {
  it('the real kewei conversion with a placeholder table inserted (a variant) gives the golden table 3', async () => {
    const original = readFileSync(join(REPORTS, KEWEI), 'utf8');
    const golden = JSON.parse(readFileSync(join(import.meta.dirname, '../golden/reports', `${KEWEI}.json`), 'utf8'));
    const marker = '## 表三：收到和处理政府信息公开申请情况';
    expect(original).toContain(marker);
    const variant = original.replace(marker, `申请人情况 (自然人)\n| - | - |\n|---|---|\n\n${marker}`);
    const r = await parseText(variant);
    const want = Object.fromEntries(Object.entries(golden.values as Record<string, unknown>).filter(([k]) => k.startsWith('t3.')));
    expect(t3(r)).toEqual(want);
    expect(r.warnings.some((w) => (w.code === 'row_unmatched' || w.code === 'row_placeholder') && /without a label/.test(w.message))).toBe(true);
    expect(r.warnings.some((w) => w.code === 'row_duplicate')).toBe(false);
  });

  const head = [
    '2023年某某县测试局政府信息公开工作年度报告',
    '三、收到和处理政府信息公开申请情况',
  ];
  const row = (label: string, n: number) => `| ${label} | ${n} | 0 | 0 | 0 | 0 | 0 | ${n} |`;

  it('a placeholder between two labelled rows with no row of the format left between them is skipped', async () => {
    const text = [
      ...head,
      row('一、本年新收政府信息公开申请数量', 5),
      row('二、上年结转政府信息公开申请数量', 1),
      row('（一）予以公开', 3),
      row('（二）部分公开', 1),
      '',
      '（三）不予公开',
      '| - | - |',
      '',
      row('1.属于国家秘密', 2),
    ].join('\n');
    const r = await parseText(text);
    const v = t3(r);
    expect(v['t3.denied.state_secret.natural_person']).toEqual(['number', 2, '2']);
    expect(v['t3.partially_granted.natural_person']).toEqual(['number', 1, '1']);
    expect(r.values.filter((x) => x.cell === 'dash')).toEqual([]);
    expect(r.warnings.filter((w) => w.code === 'row_unmatched' || w.code === 'row_placeholder')).toHaveLength(1);
  });

  it('a placeholder never fills a free row of the format by position either', async () => {
    // （二）部分公开 is free between the labelled rows around it, but "| - | - |" says nothing about it.
    const text = [
      ...head,
      row('一、本年新收政府信息公开申请数量', 5),
      row('二、上年结转政府信息公开申请数量', 1),
      row('（一）予以公开', 3),
      '',
      '（二）部分公开',
      '| - | - |',
      '',
      row('1.属于国家秘密', 2),
    ].join('\n');
    const r = await parseText(text);
    expect(Object.keys(t3(r)).some((k) => k.startsWith('t3.partially_granted.'))).toBe(false);
    expect(r.warnings.map((w) => w.code)).toContain('row_placeholder');
  });

  it('a placeholder labelled only with a column header word is a placeholder too', async () => {
    const text = [
      ...head,
      row('（一）予以公开', 3),
      '',
      '申请人情况',
      '| 自然人 | - |',
      '',
      row('1.属于国家秘密', 2),
    ].join('\n');
    const r = await parseText(text);
    expect(Object.keys(t3(r)).some((k) => k.startsWith('t3.partially_granted.'))).toBe(false);
    expect(r.warnings.find((w) => w.code === 'row_placeholder')?.message).toContain('自然人');
  });

  it('an unlabelled row of dashes with one cell per column is still placed, as a guess', async () => {
    const text = [
      ...head,
      row('（一）予以公开', 3),
      '| — | — | — | — | — | — | — |',
      row('1.属于国家秘密', 2),
    ].join('\n');
    const r = await parseText(text);
    expect(t3(r)['t3.partially_granted.total']).toEqual(['dash', null, '—']);
    expect(r.warnings.some((w) => w.code === 'row_inferred' && /partially_granted/.test(w.message))).toBe(true);
  });

  it('an unlabelled row still takes the free row of the format between its labelled neighbours', async () => {
    const text = [
      ...head,
      row('一、本年新收政府信息公开申请数量', 5),
      row('二、上年结转政府信息公开申请数量', 1),
      row('（一）予以公开', 3),
      '| 4 | 0 | 0 | 0 | 0 | 0 | 4 |',
      row('1.属于国家秘密', 2),
    ].join('\n');
    const r = await parseText(text);
    expect(t3(r)['t3.partially_granted.total']).toEqual(['number', 4, '4']);
    expect(r.warnings.some((w) => w.code === 'row_inferred' && /partially_granted/.test(w.message))).toBe(true);
  });

  it('a placeholder printed before the first labelled row never takes its place', async () => {
    const text = [
      ...head,
      '申请人情况 (自然人)',
      '| - | - |',
      '|---|---|',
      '',
      row('一、本年新收政府信息公开申请数量', 7),
      row('二、上年结转政府信息公开申请数量', 0),
    ].join('\n');
    const r = await parseText(text);
    expect(t3(r)['t3.new_received.total']).toEqual(['number', 7, '7']);
    expect(r.values.filter((x) => x.cell === 'dash')).toEqual([]);
  });
});

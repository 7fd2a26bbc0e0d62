// SYNTHETIC test records: invented agencies ("合成测试机关NNN") and invented
// figures, for exercising the store. Not government data.
import { createHash } from 'node:crypto';
import type { CellValue, ReportRecord } from '../../src/parse/types.ts';

export const T3_COLS = ['natural_person', 'commercial', 'research', 'social_org', 'legal_service', 'other_org', 'total'];

export function syntheticRecord(opts: {
  agency: string; year: number; seed: number; url?: string; blankCols?: string[]; narrative?: { metric: string; value: number; ocr?: number }[];
  /** Mark the table-3 values as read by OCR, with confidences from this down to 0.04 below it (as a scan would give). */
  ocr?: number;
}): ReportRecord {
  const values: CellValue[] = [];
  const rows = ['new_received', 'carried_over', 'granted', 'partially_granted', 'denied.state_secret', 'denied.third_party_rights', 'unable.not_held', 'total_processed', 'carried_forward'];
  rows.forEach((row, r) => {
    for (const [c, col] of T3_COLS.entries()) {
      const blank = opts.blankCols?.includes(col);
      const v = blank ? null : (opts.seed * 7 + r * 3 + c) % 11;
      values.push({
        table: 't3', row, col, value: v, cell: blank ? 'blank' : 'number', raw: blank ? '' : String(v), unit: null, at: {},
        ...(opts.ocr !== undefined ? { ocr: { confidence: Math.round((opts.ocr - ((r + c) % 5) * 0.01) * 100) / 100 } } : {}),
      });
    }
  });
  for (const col of ['upheld', 'corrected', 'other', 'pending', 'total']) {
    values.push({ table: 't4', row: 'review', col, value: (opts.seed + col.length) % 5, cell: 'number', raw: '', unit: null, at: {} });
  }
  const body = JSON.stringify({ synthetic: true, ...opts });
  return {
    source: { sha256: createHash('sha256').update(body).digest('hex'), format: 'text', path: `synthetic/${opts.agency}-${opts.year}.txt`, url: opts.url },
    agency: { name: opts.agency },
    year: opts.year,
    published: null,
    template: '2021',
    title: `SYNTHETIC ${opts.agency}${opts.year}年政府信息公开工作年度报告`,
    values,
    missing: [],
    narrative: (opts.narrative ?? []).map(({ ocr, ...n }) => ({ ...n, unit: '项', evidence: [{ sentence: `合成句子${n.value}项。`, clause: `${n.value}项`, value: n.value }], ...(ocr !== undefined ? { ocr: { confidence: ocr } } : {}) })),
    checks: [{ id: 'r1:t3.*.total', relation: 1, status: 'pass', left: 1, right: 1, cells: ['t3.new_received.total'] }],
    warnings: [],
    parser: { version: 'synthetic-1' },
  };
}

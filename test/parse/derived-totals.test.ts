// A 总计 printed blank beside numbers gets the row's sum, flagged derived;
// the cell stays what was printed and the checks still read the blank.
import { describe, expect, it } from 'vitest';
import { deriveBlankTotals } from '../../src/parse/interpret/derived-totals.ts';
import { runChecks } from '../../src/parse/interpret/checks.ts';
import type { CellValue, ParseWarning } from '../../src/parse/types.ts';
import { T3_COLS, T4_COLS } from '../../src/parse/schema.ts';

function cell(table: CellValue['table'], row: string, col: string, raw: string): CellValue {
  const n = raw.trim() === '' || raw === '—' ? null : Number(raw);
  const kind: CellValue['cell'] = raw.trim() === '' ? 'blank' : raw === '—' ? 'dash' : Number.isNaN(Number(raw)) ? 'text' : 'number';
  return { table, row, col, value: kind === 'text' ? null : n, cell: kind, raw, unit: null, at: {} };
}

const t3Row = (row: string, raws: string[]) => T3_COLS.map((c, i) => cell('t3', row, c, raws[i]));

describe('totals printed blank', () => {
  it('derives a blank t3 total from its applicant cells, blanks and dashes as 0', () => {
    const warnings: ParseWarning[] = [];
    const out = deriveBlankTotals(t3Row('granted', ['258', '12', '', '—', '1', '1', '']), warnings);
    const total = out.find((v) => v.col === 'total')!;
    expect(total).toMatchObject({ value: 272, cell: 'blank', raw: '', derived: true });
    expect(out.filter((v) => v.derived)).toHaveLength(1);
    expect(warnings.map((w) => w.code)).toEqual(['total_derived']);
    expect(warnings[0].message).toContain('t3.granted');
  });

  it('derives a blank t4 total too', () => {
    const row = T4_COLS.map((c, i) => cell('t4', 'review', c, ['3', '1', '', '0', ''][i]));
    expect(deriveBlankTotals(row, []).find((v) => v.col === 'total')).toMatchObject({ value: 4, derived: true });
  });

  it('leaves the blank alone when the row holds no number, a part is missing, or a part is text without a number', () => {
    const cases = [
      t3Row('denied.state_secret', ['', '', '', '', '', '', '']),
      t3Row('granted', ['5', '1', '0', '0', '0', '0', '']).filter((v) => v.col !== 'research'),
      t3Row('granted', ['5', '若干', '0', '0', '0', '0', '']),
    ];
    for (const values of cases) {
      const warnings: ParseWarning[] = [];
      const out = deriveBlankTotals(values, warnings);
      expect(out.find((v) => v.col === 'total')).toMatchObject({ value: null, cell: 'blank' });
      expect(out.some((v) => v.derived)).toBe(false);
      expect(warnings).toEqual([]);
    }
  });

  it('never touches a printed total, even a wrong one', () => {
    const out = deriveBlankTotals(t3Row('granted', ['5', '1', '0', '0', '0', '0', '9']), []);
    expect(out.find((v) => v.col === 'total')).toMatchObject({ value: 9, cell: 'number' });
    expect(out.some((v) => v.derived)).toBe(false);
  });

  it('relation 3 still reads the printed blank, not the derived sum', () => {
    const out = deriveBlankTotals(t3Row('granted', ['5', '1', '0', '0', '0', '0', '']), []);
    const r3 = runChecks(out, false, []).find((c) => c.id === 'r3.granted')!;
    expect(r3).toMatchObject({ status: 'fail', left: 0, right: 6 });
    expect(r3.note).toMatch(/blank or dash read as 0: t3\.granted\.total/);
  });
});

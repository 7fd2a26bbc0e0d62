// A row whose printed 总计 is blank while its parts hold numbers (上海 2019
// prints its whole 办理结果 block so) would drop out of every sum over totals.
// Its total is derived here as the sum of the row's parts and flagged
// `derived: true`; the cell keeps what was printed (kind `blank`, raw ""), so
// it is never presented as a printed figure, and the checks still read the
// printed blank (see checks.ts): relation 3 keeps reporting the blank total.
import type { CellValue, ParseWarning } from '../types.ts';
import { T3_COLS, T4_COLS, cellId } from '../schema.ts';

const PARTS: Record<'t3' | 't4', string[]> = {
  t3: T3_COLS.filter((c) => c !== 'total'),
  t4: T4_COLS.filter((c) => c !== 'total'),
};

export function deriveBlankTotals(values: CellValue[], warnings: ParseWarning[]): CellValue[] {
  const byId = new Map(values.map((v) => [cellId(v.table, v.row, v.col), v]));
  const derivedRows: string[] = [];
  const out = values.map((v) => {
    if (v.col !== 'total' || v.cell !== 'blank' || (v.table !== 't3' && v.table !== 't4')) return v;
    const parts = PARTS[v.table].map((c) => byId.get(cellId(v.table, v.row, c)));
    // Every part printed, each a number or a blank/dash (read as 0), at least one a number.
    if (parts.some((p) => !p || (p.value === null && p.cell !== 'blank' && p.cell !== 'dash'))) return v;
    if (!parts.some((p) => p!.value !== null)) return v;
    const sum = Math.round(parts.reduce((s, p) => s + (p!.value ?? 0), 0) * 1e6) / 1e6;
    derivedRows.push(`${v.table}.${v.row}`);
    return { ...v, value: sum, derived: true as const };
  });
  if (derivedRows.length) {
    warnings.push({
      code: 'total_derived',
      message: `${derivedRows.length} rows print a blank 总计 beside numbers; their total is derived as the sum of the row (blanks and dashes as 0) and flagged derived, never printed: ${derivedRows.join(', ')}`,
    });
  }
  return out;
}

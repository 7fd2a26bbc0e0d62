// Building CellValue records from data cells: the one place that decides
// value, kind and unit for a canonical cell.
import type { CellValue, ParseWarning, Provenance } from '../types.ts';
import { parseCell } from '../cell-value.ts';
import type { DataCell } from './rows.ts';

export type TableKey = CellValue['table'];

export interface TableResult {
  values: CellValue[];
  warnings: ParseWarning[];
}

export function makeValue(table: TableKey, row: string, col: string, cell: DataCell): CellValue {
  const p = parseCell(cell.text);
  const v: CellValue = { table, row, col, value: p.value, cell: p.kind, raw: p.raw, unit: p.unit, at: cleanAt(cell.at) };
  if (cell.ocr) v.ocr = cell.ocr;
  return v;
}

/** Money columns are stored in 万元: convert printed 元/亿元, keep unit-less numbers as written. */
export function toTenThousandYuan(v: CellValue, headerUnit: string | null, warnings: ParseWarning[]): CellValue {
  const unit = v.unit && /元/.test(v.unit) ? v.unit : headerUnit;
  if (v.value === null) return { ...v, unit: '万元' };
  if (unit === '万元') return { ...v, unit: '万元' };
  if (unit === '元') return { ...v, value: round(v.value / 10_000), unit: '万元' };
  if (unit === '亿元') return { ...v, value: round(v.value * 10_000), unit: '万元' };
  if (v.value !== 0) {
    warnings.push({
      code: 'unit_unknown',
      message: `${v.table}.${v.row}.${v.col}: neither the cell "${v.raw}" nor its header states a unit; kept as written`,
      at: v.at,
    });
  }
  return { ...v, unit: null };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function cleanAt(at: Provenance): Provenance {
  const out: Provenance = {};
  for (const k of ['page', 'table', 'row', 'col', 'line'] as const) if (at[k] !== undefined) out[k] = at[k];
  return out;
}

// Category totals of table 3 (denied, unable, not_processed, other) are not
// printed in the national format: they are sums of their sub-rows. They are
// computed here, once, for every consumer (store, query, export), and carry
// `derived: true` so nobody mistakes them for printed figures. Row totals the
// parser derived (a 总计 printed blank beside numbers) arrive with the flag set.
import type { CellValue } from '../parse/types.ts';

export interface StoredCell {
  table: 't2' | 't3' | 't4' | 'l';
  row: string;
  col: string;
  value: number | null;
  cell: CellValue['cell'];
  derived: boolean;
  /** What was printed, kept for cells that are not plain numbers (text, dash). */
  raw: string | null;
  /**
   * The OCR recogniser's confidence (0–1) when the value was read from a
   * scanned image; null for text that was in the document as text. A derived
   * total over OCR'd sub-rows carries the lowest confidence among them.
   */
  ocr: number | null;
}

export const DERIVED_CATEGORIES = ['denied', 'unable', 'not_processed', 'other'] as const;

/**
 * The printed cells plus one derived cell per category and column. A derived
 * cell sums the sub-rows that hold a number; when none does (all blank or
 * dash), it is itself blank with value null — a blank is not a zero.
 * `other` is derived only where the 2021 sub-rows exist and the single-row
 * （六）其他处理 was not printed; a printed category row is never overwritten.
 */
export function withDerivedTotals(values: CellValue[]): StoredCell[] {
  const out: StoredCell[] = values.map((v) => ({
    table: v.table,
    row: v.row,
    col: v.col,
    value: v.value,
    cell: v.cell,
    // A row total the parser derived (a 总计 printed blank) keeps its flag.
    derived: v.derived === true,
    raw: v.cell === 'number' ? null : v.raw,
    ocr: v.ocr ? v.ocr.confidence : null,
  }));
  const printedRows = new Set(values.filter((v) => v.table === 't3').map((v) => v.row));
  for (const category of DERIVED_CATEGORIES) {
    if (printedRows.has(category)) continue;
    const subs = values.filter((v) => v.table === 't3' && v.row.startsWith(category + '.'));
    if (subs.length === 0) continue;
    const cols = [...new Set(subs.map((v) => v.col))];
    for (const col of cols) {
      let sum = 0;
      let numbers = 0;
      // A sum of machine-read figures is as sure as its least sure addend.
      let ocr: number | null = null;
      for (const v of subs) {
        if (v.col !== col) continue;
        if (v.ocr) ocr = Math.min(ocr ?? 1, v.ocr.confidence);
        if (v.value !== null) {
          sum += v.value;
          numbers++;
        }
      }
      out.push({ table: 't3', row: category, col, value: numbers ? sum : null, cell: numbers ? 'number' : 'blank', derived: true, raw: null, ocr });
    }
  }
  return out;
}

/** "t3.denied.state_secret.total" ↔ { table, row, col }: the row may contain dots, table and col never do. */
export function metricKey(table: string, row: string, col: string): string {
  return `${table}.${row}.${col}`;
}

export function splitMetricKey(key: string): { table: string; row: string; col: string } | null {
  const parts = key.split('.');
  if (parts.length < 3 || !/^(?:t[234]|l)$/.test(parts[0])) return null;
  return { table: parts[0], row: parts.slice(1, -1).join('.'), col: parts[parts.length - 1] };
}

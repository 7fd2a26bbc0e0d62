// Fits a row's data cells onto the columns the format defines for it.
// Structured sources (HTML, PDF grids) normally give exactly one cell per
// column; text conversions lose or add empty cells. The rule, in order:
// drop surplus blank cells at the end, then at the start; if the count is
// right, read by position; otherwise keep the printed values right-aligned
// (the last column, 总计, is the one converters keep) and report the rest
// as missing. Every fallback is reported.
import { cleanText } from '../text-normalize.ts';
import type { DataCell } from './rows.ts';

export interface Fitted {
  cells: (DataCell | null)[];
  /** Why the row did not fit by position, if it did not. */
  problem: string | null;
}

export function fitData(data: DataCell[], n: number, lossy = false): Fitted {
  const cells = [...data];
  const blank = (c: DataCell) => cleanText(c.text) === '';
  while (cells.length > n && blank(cells[cells.length - 1])) cells.pop();
  while (cells.length > n && blank(cells[0])) cells.shift();
  // In a text conversion a row that needed trimming has lost its alignment:
  // its empty cells say nothing about the document, so only printed values count.
  const realigned = lossy && cells.length !== data.length && cells.some(blank);
  if (cells.length === n && !realigned) return { cells, problem: null };
  if (cells.length > n) {
    return { cells: cells.slice(cells.length - n), problem: `${cells.length} value cells for ${n} columns; read the last ${n}` };
  }
  const printed = cells.filter((c) => !blank(c));
  const out: (DataCell | null)[] = new Array(n - printed.length).fill(null).concat(printed);
  return { cells: out, problem: `${data.length} value cells for ${n} columns; printed values aligned to the right, the others are missing` };
}

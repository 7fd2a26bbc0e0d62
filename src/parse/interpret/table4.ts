// Table 4 (行政复议、行政诉讼): printed as one row of 15 numbers under a
// three-level header, stored as 3 rows × 5 columns. Some reports print one
// row per proceeding instead; both are read. A row of 15 values is table 4
// wherever it stands, since no other table has one (conversions lose the
// heading, as in the seed report).
import type { CellValue, ParseWarning } from '../types.ts';
import { T4_COLS, T4_ROWS } from '../schema.ts';
import type { StreamRow } from './rows.ts';
import { fitData } from './fit.ts';
import { makeValue, type TableResult } from './values.ts';

const PER_ROW: [string, RegExp][] = [
  ['litigation_after_review', /复议后起诉/],
  ['litigation_direct', /未经复议|直接起诉/],
  ['review', /行政复议/],
];

export function interpretTable4(stream: StreamRow[]): TableResult & { rowsFound: Set<string> } {
  const warnings: ParseWarning[] = [];
  const values: CellValue[] = [];
  const rowsFound = new Set<string>();
  for (const row of stream) {
    const filled = row.data.filter((d) => d.text.trim() !== '').length;
    if (row.data.length >= 15 && row.hasValue && (row.section === 't4' || row.labels.length === 0 || filled >= 10)) {
      if (rowsFound.size) {
        warnings.push({ code: 'row_duplicate', message: 'a second 15-value row for table 4; the first is kept', at: row.at });
        continue;
      }
      const fitted = fitData(row.data, 15, row.lossy);
      if (fitted.problem) warnings.push({ code: 'cells_shifted', message: `table 4: ${fitted.problem}`, at: row.at });
      fitted.cells.forEach((cell, i) => {
        if (cell) values.push(makeValue('t4', T4_ROWS[Math.floor(i / 5)], T4_COLS[i % 5], cell));
      });
      T4_ROWS.forEach((r) => rowsFound.add(r));
      continue;
    }
    if (row.section !== 't4' || !row.hasValue || row.data.length > 6) continue;
    const hit = PER_ROW.find(([, re]) => re.test(row.key));
    if (!hit || rowsFound.has(hit[0])) continue;
    const fitted = fitData(row.data, 5, row.lossy);
    if (fitted.problem) warnings.push({ code: 'cells_shifted', message: `table 4 row ${hit[0]}: ${fitted.problem}`, at: row.at });
    fitted.cells.forEach((cell, i) => {
      if (cell) values.push(makeValue('t4', hit[0], T4_COLS[i], cell));
    });
    rowsFound.add(hit[0]);
  }
  return { values, warnings, rowsFound };
}

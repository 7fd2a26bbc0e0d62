// Rowspan/colspan expansion of an HTML table into the rectangular grid the
// interpreter reads. The grid follows the markup exactly (the HTML table
// model), even where a Word export gives header and data rows different
// colspans: "correcting" that here would hide the problem from the
// interpreter, which has the labels to decide what a column means.
import type { GridCell } from '../types.ts';

export interface RawCell {
  text: string;
  rowspan: number;
  colspan: number;
}

export interface Grid {
  rows: GridCell[][];
  /** Indices of rows that were shorter than the widest row and padded with blanks. */
  padded: number[];
}

/** HTML caps spans at these values; larger numbers are typos or attacks on memory. */
const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 65534;

/** Parse a span attribute the way browsers do: leading digits, default 1, 0 only for rowspan. */
export function parseSpan(value: string | undefined, isRow: boolean): number {
  if (value === undefined) return 1;
  const m = /^\s*\+?(\d+)/.exec(value);
  if (!m) return 1;
  const n = Number.parseInt(m[1], 10);
  if (n === 0) return isRow ? 0 : 1; // rowspan=0: to the end of the table
  return Math.min(n, isRow ? MAX_ROWSPAN : MAX_COLSPAN);
}

/**
 * Expand rows of cells into a grid. Each cell's text is copied into every
 * position it covers; only the top-left copy has `origin: true`, so a merged
 * number is never read twice. Rowspans are clipped at the last row, as
 * browsers do. Rows that end up shorter than the widest are padded with
 * blank origin cells and reported in `padded`.
 */
export function expandGrid(rawRows: RawCell[][]): Grid {
  const nRows = rawRows.length;
  const grid: Array<Array<GridCell | undefined>> = [];
  for (let r = 0; r < nRows; r++) grid.push([]);

  for (let r = 0; r < nRows; r++) {
    const row = grid[r];
    let col = 0;
    for (const cell of rawRows[r]) {
      while (row[col] !== undefined) col++;
      const rowspan = cell.rowspan === 0 ? nRows - r : Math.min(cell.rowspan, nRows - r);
      for (let dr = 0; dr < rowspan; dr++) {
        const target = grid[r + dr];
        for (let dc = 0; dc < cell.colspan; dc++) {
          // An earlier rowspan may already claim a position further right in a
          // later row (overlapping spans in broken markup): first claim wins.
          if (target[col + dc] === undefined) {
            target[col + dc] = { text: cell.text, origin: dr === 0 && dc === 0 };
          }
        }
      }
      col += cell.colspan;
    }
  }

  // Holes (positions no cell covers, left of a covered one) and short rows
  // become blanks; a table is "ragged" when that was needed.
  let width = 0;
  for (const row of grid) width = Math.max(width, row.length);
  const padded: number[] = [];
  const rows: GridCell[][] = [];
  for (let r = 0; r < nRows; r++) {
    const row = grid[r];
    if (row.length === 0) continue; // a <tr> without cells, not covered by any rowspan
    let pad = false;
    const out: GridCell[] = new Array(width);
    for (let c = 0; c < width; c++) {
      const cell = row[c];
      if (cell === undefined) {
        pad = true;
        out[c] = { text: '', origin: true };
      } else {
        out[c] = cell;
      }
    }
    if (pad) padded.push(rows.length);
    rows.push(out);
  }
  return { rows, padded };
}

/**
 * Is this one of the report's statistical tables? Used so that the body
 * selection never drops them, whatever container the prose is in.
 */
export function isReportTable(rows: GridCell[][]): boolean {
  let text = '';
  for (const row of rows) for (const cell of row) if (cell.origin) text += cell.text;
  return (
    (text.includes('申请') && text.includes('公开')) ||
    text.includes('第二十条') ||
    text.includes('行政复议') ||
    text.includes('行政诉讼') ||
    (text.includes('公开') && text.includes('统计'))
  );
}

// Table 2 (主动公开政府信息情况): a series of small header + data blocks
// (第二十条第（一）项 …). Each header row names its columns; the data rows
// under it are read against those names, so the 2019 and 2021 column sets
// (and mixtures of them) need no separate code.
import type { CellValue, ParseWarning } from '../types.ts';
import { T2_COL_HEADERS, T2_MONEY_COLS, T2_ROWS, type T2RowDef } from '../schema.ts';
import { labelKey } from '../text-normalize.ts';
import type { StreamRow } from './rows.ts';
import { fitData } from './fit.ts';
import { makeValue, toTenThousandYuan, type TableResult } from './values.ts';

interface HeaderCol {
  id: string;
  unit: string | null;
}

export interface Table2Result extends TableResult {
  /** Column ids seen in header rows: the evidence for the document's format. */
  headerCols: Set<string>;
  rowsFound: Set<string>;
}

function headerColsOf(text: string): HeaderCol[] {
  const key = labelKey(text);
  const hits: { pos: number; col: HeaderCol }[] = [];
  for (const h of T2_COL_HEADERS) {
    for (const m of h.match) {
      const pos = key.indexOf(labelKey(m));
      if (pos >= 0 && !hits.some((x) => x.col.id === h.id)) {
        const unit = /单位万元|万元/.test(key) ? '万元' : /单位元|\(元\)|（元）/.test(text) ? '元' : null;
        hits.push({ pos, col: { id: h.id, unit: T2_MONEY_COLS.has(h.id) ? unit : null } });
        break;
      }
    }
  }
  // "上一年项目数量" also contains no other phrase; "本年新公开数量" must not read as 公开总数.
  return hits.sort((a, b) => a.pos - b.pos).map((x) => x.col);
}

/** A header row: its origin cells (or a prose line) name the columns in order. */
function readHeader(row: StreamRow): HeaderCol[] | null {
  if (row.hasValue) return null;
  const cols: HeaderCol[] = [];
  for (const c of row.cells) if (c.origin && c.text !== '') cols.push(...headerColsOf(c.text));
  return cols.length ? cols : null;
}

function matchT2Row(row: StreamRow): T2RowDef | null {
  for (const key of [row.lastKey, row.key]) {
    const hit = T2_ROWS.find((r) => r.match.some((m) => key.includes(m)));
    if (hit) return hit;
  }
  return null;
}

export function interpretTable2(stream: StreamRow[], fallbackTemplate: () => '2019' | '2021'): Table2Result {
  const warnings: ParseWarning[] = [];
  const values: CellValue[] = [];
  const headerCols = new Set<string>();
  const rowsFound = new Set<string>();
  let header: HeaderCol[] | null = null;
  for (const row of stream) {
    if (row.section !== 't2') continue;
    const h = readHeader(row);
    if (h) {
      header = h;
      h.forEach((c) => headerCols.add(c.id));
      continue;
    }
    if (row.data.length === 0) continue;
    const def = matchT2Row(row);
    if (!def && !row.hasValue) continue;
    if (!def) {
      warnings.push({ code: 'row_unmatched', message: `table 2 row "${row.labels.join(' ')}" matches no row of the format; skipped`, at: row.at });
      continue;
    }
    if (rowsFound.has(def.id)) {
      warnings.push({ code: 'row_duplicate', message: `table 2 row ${def.id} printed twice; the first is kept`, at: row.at });
      continue;
    }
    // Use the header above only when it names columns this row has in some format.
    const known = new Set([...def.cols2019, ...def.cols2021]);
    let cols: HeaderCol[] | null = header && header.every((c) => known.has(c.id)) ? header : null;
    if (!cols) {
      // Without a header, the number of printed values tells the format apart where it can.
      const printed = row.data.filter((d) => d.text.trim() !== '').length;
      const byCount = [def.cols2019, def.cols2021].filter((c) => c.length === printed);
      const chosen = byCount.length === 1 ? byCount[0] : fallbackTemplate() === '2019' ? def.cols2019 : def.cols2021;
      if (chosen.length === 0) continue;
      cols = chosen.map((id) => ({ id, unit: null }));
      warnings.push({ code: 'columns_assumed', message: `table 2 row ${def.id}: no header names its columns; read as ${chosen.join(', ')}`, at: row.at });
    }
    rowsFound.add(def.id);
    const fitted = fitData(row.data, cols.length, row.lossy);
    if (fitted.problem) warnings.push({ code: 'cells_shifted', message: `table 2 row ${def.id}: ${fitted.problem}`, at: row.at });
    fitted.cells.forEach((cell, i) => {
      if (!cell) return;
      let v = makeValue('t2', def.id, cols[i].id, cell);
      if (T2_MONEY_COLS.has(cols[i].id)) v = toTenThousandYuan(v, cols[i].unit, warnings);
      else v = { ...v, unit: null };
      values.push(v);
    });
  }
  return { values, warnings, headerCols, rowsFound };
}

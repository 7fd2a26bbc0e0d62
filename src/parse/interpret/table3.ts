// Table 3 (收到和处理政府信息公开申请情况): rows matched by label meaning,
// sub-items by their group (（三）不予公开 …) and number, rows whose label a
// conversion lost placed by the format's fixed row order — each such
// inference reported as a warning.
import type { CellValue, ParseWarning } from '../types.ts';
import { T3_COLS, T3_ROWS } from '../schema.ts';
import type { StreamRow } from './rows.ts';
import { fitData } from './fit.ts';
import { makeValue, type TableResult } from './values.ts';

type Group = 'denied' | 'unable' | 'not_processed' | 'other';

const GROUP_PATTERNS: [Group, RegExp][] = [
  ['denied', /不予公开/],
  ['unable', /无法提供|^四无$|^法提供/],
  ['not_processed', /不予处理/],
  ['other', /其他处理/],
];

export interface Table3Result extends TableResult {
  /** Whether the document prints （六）其他处理 as three sub-rows (2021) or one row. */
  otherSubrows: boolean | null;
  rowsFound: Set<string>;
}

export function rowOrder(otherSubrows: boolean): string[] {
  const ids = T3_ROWS.map((r) => r.id);
  const at = ids.indexOf('total_processed');
  const other = otherSubrows ? ['other.no_correction', 'other.fee_unpaid', 'other.other'] : ['other'];
  return [...ids.slice(0, at).filter((id) => !id.startsWith('other.')), ...other, ...ids.slice(at)];
}

function matchPhrases(key: string): string | null {
  if (key === '') return null;
  for (const r of T3_ROWS) {
    if (r.match.some((m) => key.includes(m)) && !(r.not ?? []).some((n) => key.includes(n))) return r.id;
  }
  return null;
}

function groupOf(row: StreamRow): Group | null {
  // The most specific mention wins: look at label cells from the right.
  for (let i = row.labels.length - 1; i >= 0; i--) {
    const k = row.labels[i].replace(/\s+/g, '');
    for (const [g, re] of GROUP_PATTERNS) if (re.test(k.replace(/[（）()]/g, ''))) return g;
  }
  return null;
}

function subItemNumber(lastKey: string): number | null {
  const m = /^(\d)(?!\d)/.exec(lastKey);
  return m ? Number(m[1]) : null;
}

function matchRow(row: StreamRow, group: Group | null, otherSubrows: boolean): string | null {
  const direct = matchPhrases(row.lastKey);
  if (direct) return direct;
  // "3.其他" only exists as the last sub-row of （六）其他处理.
  if (/^\d其他$/.test(row.lastKey)) return 'other.other';
  const n = subItemNumber(row.lastKey);
  if (group && n !== null) {
    const ids = group === 'other' ? ['other.no_correction', 'other.fee_unpaid', 'other.other'] : T3_ROWS.filter((r) => r.id.startsWith(`${group}.`)).map((r) => r.id);
    if (n >= 1 && n <= ids.length) return ids[n - 1];
  }
  if (/其他处理$/.test(row.lastKey)) return otherSubrows ? null : 'other';
  return matchPhrases(row.key);
}

/** Words of table 3's column headers: a label made only of them names a column, not a row. */
const HEADER_WORDS = /^(申请人情况|自然人|法人或其他组织|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计|[\s()（）])+$/;

/**
 * In a text conversion, a row with no number whose cell count is not the
 * format's, unlabelled or labelled only with header words ("| - | - |" or
 * "| 自然人 | - |" under a header line), is an empty placeholder the
 * converter printed for a table it could not read, not a row of dashes.
 */
function isPlaceholder(row: StreamRow): boolean {
  if (!row.lossy || row.data.length === T3_COLS.length || row.data.some((d) => /\d/.test(d.text))) return false;
  return row.labels.every((l) => HEADER_WORDS.test(l));
}

function describe(row: StreamRow): string {
  return row.labels.length ? `"${row.labels.join(' ')}"` : 'without a label';
}

/**
 * The row of the fixed order an unlabelled row stands for: the first one after
 * the last placed row that is neither taken nor claimed by a labelled row, and
 * that comes before the row of the next labelled row in the stream.
 */
function positionalGuess(order: string[], labelledAfter: number[][], at: number, last: number, taken: Map<string, StreamRow>, claimed: Set<string>): string | undefined {
  let bound = order.length;
  for (const k of labelledAfter[at]) {
    if (k > last) {
      bound = k;
      break;
    }
  }
  if (bound <= last + 1) return undefined;
  return order.slice(last + 1, bound).find((candidate) => !taken.has(candidate) && !claimed.has(candidate));
}

export function interpretTable3(stream: StreamRow[]): Table3Result {
  const warnings: ParseWarning[] = [];
  // A row of blanks is a row when its label names it; without a label only printed values place a row.
  const rows = stream.filter((r) => r.section === 't3' && r.data.length > 0 && r.data.length < 12 && (r.hasValue || r.labels.length > 0));
  // First pass: what the labels say.
  let group: Group | null = null;
  const labelled: { row: StreamRow; id: string | null }[] = [];
  // Labels of the 2021 sub-rows may survive only as prose next to the table.
  const subrowHint = stream.some((r) => r.section === 't3' && /不补正|缴纳费用|收费通知/.test(r.key));
  const dataRows = new Set(rows);
  for (const row of stream) {
    if (row.section !== 't3') continue;
    group = groupOf(row) ?? group;
    if (dataRows.has(row)) labelled.push({ row, id: row.labels.length ? matchRow(row, group, subrowHint) : null });
  }
  const otherSubrows = labelled.some((l) => l.id?.startsWith('other.')) || subrowHint;
  const order = rowOrder(otherSubrows);
  // Second pass: rows without a readable label take the next row of the fixed
  // order — but only a row that no labelled row claims, and only one before
  // the next labelled row: a labelled row always wins over a positional guess
  // (a converter's empty placeholder table printed before the real rows must
  // not displace them).
  const ids = labelled.map((l) => (l.id === 'other' && otherSubrows ? null : l.id));
  const claimed = new Set(ids.filter((id): id is string => id !== null));
  // For each row, the format positions of the labelled rows after it, in stream order; at most 40
  // (the format has 26 rows), so a huge stream stays linear. Claimed rows stay protected beyond that.
  const labelledAfter: number[][] = new Array(ids.length);
  let after: number[] = [];
  for (let j = ids.length - 1; j >= 0; j--) {
    labelledAfter[j] = after;
    if (ids[j] !== null) after = [order.indexOf(ids[j]!), ...after.slice(0, 40)];
  }
  const taken = new Map<string, StreamRow>();
  let last = -1;
  labelled.forEach((l, i) => {
    let id = ids[i];
    if (id === null) {
      if (!l.row.hasValue) return;
      if (isPlaceholder(l.row)) {
        warnings.push({ code: 'row_placeholder', message: `table 3 row ${describe(l.row)} holds no number and not one cell per column (a converter's placeholder such as "| - | - |"); skipped`, at: l.row.at });
        return;
      }
      const next = positionalGuess(order, labelledAfter, i, last, taken, claimed);
      if (!next) {
        const why = claimed.size ? 'no row of the format is left between the labelled rows around it' : 'matches no row of the format';
        warnings.push({ code: 'row_unmatched', message: `table 3 row ${describe(l.row)}: ${why}; skipped`, at: l.row.at });
        return;
      }
      id = next;
      warnings.push({ code: 'row_inferred', message: `table 3 row ${describe(l.row)} placed as ${id} by the format's row order`, at: l.row.at });
    }
    if (taken.has(id)) {
      warnings.push({ code: 'row_duplicate', message: `table 3 row ${id} printed twice; the first is kept`, at: l.row.at });
      return;
    }
    taken.set(id, l.row);
    last = Math.max(last, order.indexOf(id));
  });
  const values: CellValue[] = [];
  for (const [id, row] of taken) {
    const fitted = fitData(row.data, T3_COLS.length, row.lossy);
    if (fitted.problem) warnings.push({ code: 'cells_shifted', message: `table 3 row ${id}: ${fitted.problem}`, at: row.at });
    fitted.cells.forEach((cell, i) => {
      if (cell) values.push(makeValue('t3', id, T3_COLS[i], cell));
    });
  }
  return { values, warnings, otherSubrows: rows.length ? otherSubrows : null, rowsFound: new Set(taken.keys()) };
}

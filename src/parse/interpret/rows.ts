// Turns the blocks of a DocModel into one stream of table rows, each split
// into its label part and its data part, with the section (table 2/3/4) it
// sits in. Tables split over pages, over several pipe tables, or printed
// without borders all become the same stream, so the table interpreters never
// depend on how a document cut its tables into pieces.
import type { Block, GridCell, OcrReading, Provenance } from '../types.ts';
import { isValueLike } from '../cell-value.ts';
import { cleanText, hasCjk, labelKey } from '../text-normalize.ts';

export type Section = 'none' | 't2' | 't3' | 't4' | 'after';

export interface DataCell {
  text: string;
  at: Provenance;
  ocr?: OcrReading;
}

export interface StreamRow {
  section: Section;
  /** The label cells' texts, in order, consecutive duplicates (merged copies) dropped. */
  labels: string[];
  /** `labelKey` of the labels joined. */
  key: string;
  /** `labelKey` of the last label cell alone: the most specific part of the label. */
  lastKey: string;
  /** The cells after the label, in order, as printed (blank cells included). */
  data: DataCell[];
  /** Whether any data cell holds something: a row of blanks is still a row. */
  hasValue: boolean;
  /** Every cell of the row as printed (merged copies marked), for header rows. */
  cells: { text: string; origin: boolean }[];
  /** Where the row starts, for warnings. */
  at: Provenance;
  /** A paragraph kept in the stream only for the header words it may carry. */
  prose?: boolean;
  /** From a text conversion, whose empty cells may be cells it lost. */
  lossy: boolean;
}

/** Section headings of the national format, recognised by their words, not their numbering. */
export function headingSection(text: string): Section | null {
  const t = cleanText(text);
  if (!/^[一二三四五六七八九十]\s*[、.．]/.test(t) && !/^(表[二三四]|##)/.test(t)) return null;
  const k = labelKey(t);
  if (/主动公开政府信息(情况)?$|主动公开政府信息情况/.test(k) && k.length < 20) return 't2';
  if (/收到和处理政府信息公开申请|依申请公开.*申请情况/.test(k)) return 't3';
  if (/行政复议|行政诉讼/.test(k) && k.length < 40) return 't4';
  if (/存在的?主要问题|其他需要报告|改进情况|整改/.test(k)) return 'after';
  if (/总体情况/.test(k)) return 'none';
  return null;
}

/** Header cells that open a table's section even without a heading. */
function headerSection(key: string): Section | null {
  if (/第二十条|信息内容/.test(key)) return 't2';
  if (/申请人情况|自然人|勾稽关系/.test(key)) return 't3';
  if (/复议后起诉|未经复议|结果维持|尚未审结/.test(key)) return 't4';
  return null;
}

export function buildRowStream(blocks: Block[], lossy = false): StreamRow[] {
  const rows: StreamRow[] = [];
  let section: Section = 'none';
  for (const block of blocks) {
    if (block.kind === 'text') {
      const s = headingSection(block.text);
      if (s) section = s;
      else if (section === 't2' || section === 't3' || section === 't4') {
        // Converters print a lost table's header cells as a line of prose
        // ("信息内容本年处理决定数量"); keep it as a header-only row.
        const at: Provenance = { page: block.page, line: block.line };
        rows.push({ ...splitRow([{ text: block.text, origin: true }], at), data: [], hasValue: false, section, prose: true, lossy });
      }
      continue;
    }
    block.rows.forEach((cells, r) => {
      const row = splitRow(cells, { table: block.index, row: r, page: cells[0]?.page ?? block.page });
      if (!row.hasValue) {
        // A row without values: a heading printed inside the table, or a header row.
        const joined = row.labels.join('');
        const s = headingSection(joined) ?? headerSection(row.key);
        if (s) section = s;
      } else if (section === 'none' || section === 'after') {
        const s = headerSection(row.key);
        if (s) section = s;
      }
      rows.push({ ...row, section, lossy });
    });
  }
  return rows;
}

/**
 * Label part = the leading cells up to the last cell that reads as a label
 * (CJK text that is not a value such as "22（其中修订16件）" or "无").
 */
export function splitRow(cells: GridCell[], at: Provenance): Omit<StreamRow, 'section' | 'lossy'> {
  let lastLabel = -1;
  cells.forEach((c, i) => {
    const t = cleanText(c.text);
    if (t !== '' && hasCjk(t) && !isValueLike(t)) lastLabel = i;
  });
  const labels: string[] = [];
  for (let i = 0; i <= lastLabel; i++) {
    const t = cleanText(cells[i].text);
    if (t !== '' && labels[labels.length - 1] !== t) labels.push(t);
  }
  const data: DataCell[] = [];
  for (let i = lastLabel + 1; i < cells.length; i++) {
    const c = cells[i];
    // A copy left by a colspan is the same printed cell again, not another column.
    if (!c.origin && i > 0 && cells[i - 1].text === c.text && i - 1 > lastLabel) continue;
    data.push({ text: c.text, at: cellAt(c, at, i), ...(c.ocr ? { ocr: c.ocr } : {}) });
  }
  const hasValue = data.some((d) => cleanText(d.text) !== '');
  return {
    cells: cells.map((c) => ({ text: cleanText(c.text), origin: c.origin })),
    labels,
    key: labelKey(labels.join('')),
    lastKey: labelKey(labels[labels.length - 1] ?? ''),
    data,
    hasValue,
    at,
  };
}

function cellAt(c: GridCell, at: Provenance, col: number): Provenance {
  const p: Provenance = { ...at, col };
  if (c.page !== undefined) p.page = c.page;
  if (c.line !== undefined) p.line = c.line;
  return p;
}

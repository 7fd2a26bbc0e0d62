// The legacy 统计表 as a list of items (label, unit, the printed figures),
// read from a table grid (HTML, PDF, DOCX, pipe tables) or from a text dump
// whose cells ran together ("主动公开信息数条20263542其中：1.网站公开条…").
import type { Block, Provenance, TableBlock } from '../types.ts';
import { cleanText, toHalfWidth } from '../text-normalize.ts';
import { LEGACY_UNITS, matchLegacyLabel, type LabelMatch } from './rules.ts';

export type LegacyCol = 'year' | 'cumulative';

export interface LegacyItem {
  label: string;
  match: LabelMatch;
  unit: string | null;
  /** Figures as printed, one per column, when the cells are apart. */
  cells?: Partial<Record<LegacyCol, string>>;
  /** The digits of both columns run together (a text dump): split later, only where proven. */
  run?: string;
  /** A 其中 item: part of the nearest item before it that is not one. */
  child: boolean;
  at: Provenance;
}

export interface LegacyTable {
  items: LegacyItem[];
  /** The columns the header names, in order. */
  cols: LegacyCol[];
  warnings: { code: string; message: string; at?: Provenance }[];
}

const YEAR_COL = /^(?:本年度?|本期|\d{4}年度?|当年|年度)(?:数|数量)?$/;
const CUM_COL = /累计/;
const UNIT_RE = new RegExp(`^(?:${LEGACY_UNITS.map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
const NUMBERED = /^\s*(?:\d{1,2}[.、．]|\(\d{1,2}\)|（\d{1,2}）)/;
const OF_WHICH = /^\s*其中/;

/**
 * Which items are parts (其中) of the item before them: an item that starts
 * with 其中, and the numbered items that follow it. Numbered items with no
 * 其中 before them are rows of their own (some tables number every row).
 */
class PartTracker {
  private inGroup = false;
  private parentSeen = false;
  isPart(label: string): boolean {
    if (OF_WHICH.test(label)) this.inGroup = this.parentSeen;
    else if (!NUMBERED.test(label)) this.inGroup = false;
    const part = this.inGroup;
    if (!part) this.parentSeen = true;
    return part;
  }
}

function colOf(text: string): LegacyCol | null {
  const t = text.replace(/\s+/g, '');
  if (CUM_COL.test(t)) return 'cumulative';
  if (YEAR_COL.test(t)) return 'year';
  return null;
}

/** Grids that hold a legacy table: at least three rows whose label names a legacy row. */
export function gridTables(blocks: Block[]): LegacyTable[] {
  const out: LegacyTable[] = [];
  for (const b of blocks) if (b.kind === 'table') {
    const t = gridTable(b);
    if (t.items.filter((i) => i.match.kind === 'row').length >= 3) out.push(t);
  }
  return out;
}

function gridTable(b: TableBlock): LegacyTable {
  const warnings: LegacyTable['warnings'] = [];
  const colIndex: Partial<Record<LegacyCol, number>> = {};
  let unitIndex: number | null = null;
  const items: LegacyItem[] = [];
  const parts = new PartTracker();
  b.rows.forEach((row, r) => {
    const texts = row.map((c) => (c.origin ? cleanText(c.text) : ''));
    const header = row.map((c) => colOf(c.text));
    if (header.some((h) => h)) {
      header.forEach((h, i) => { if (h && colIndex[h] === undefined) colIndex[h] = i; });
      const u = row.findIndex((c) => /计量单位|单位/.test(c.text.replace(/\s+/g, '')));
      if (u >= 0) unitIndex = u;
      return;
    }
    // The label is the first cell (or the second, after a rowspan category cell) that names a row.
    let labelAt = -1;
    let match: LabelMatch = { kind: 'unknown' };
    for (let i = 0; i < Math.min(3, row.length); i++) {
      const text = row[i].text;
      if (!/[\u3400-\u9fff]/.test(text) || UNIT_RE.test(text.trim())) continue;
      const m = matchLegacyLabel(text);
      if (m.kind !== 'unknown') { labelAt = i; match = m; break; }
      if (labelAt < 0) labelAt = i;
    }
    if (labelAt < 0 || !row[labelAt].origin) return;
    const label = cleanText(row[labelAt].text);
    const unitCell = unitIndex !== null ? texts[unitIndex] : texts.find((t, i) => i > labelAt && UNIT_RE.test(t));
    const unit = unitCell && UNIT_RE.test(unitCell) ? unitCell : (/[(（](万元|元|条|件)[)）]/.exec(label)?.[1] ?? null);
    const cells: Partial<Record<LegacyCol, string>> = {};
    if (colIndex.year !== undefined || colIndex.cumulative !== undefined) {
      for (const c of ['year', 'cumulative'] as const) {
        const i = colIndex[c];
        if (i !== undefined && i < row.length && i !== labelAt && row[i].origin) cells[c] = texts[i];
      }
    } else {
      // No header names the columns: only the first figure is read, as this year's, and that is said.
      const first = texts.findIndex((t, i) => i > labelAt && /^[\d.,，]+$/.test(toHalfWidth(t)));
      if (first < 0) return;
      cells.year = texts[first];
      if (match.kind === 'row') warnings.push({ code: 'legacy_column_assumed', message: `"${label}": no header names the columns; the first figure (${texts[first]}) is read as this year's`, at: { table: b.index, row: r, page: row[first].page } });
    }
    const child = parts.isPart(row[labelAt].text);
    items.push({ label, match, unit, cells, child, at: { table: b.index, row: r, ...(row[labelAt].page ? { page: row[labelAt].page } : {}) } });
  });
  const cols = (['year', 'cumulative'] as const).filter((c) => colIndex[c] !== undefined).sort((x, y) => colIndex[x]! - colIndex[y]!);
  return { items, cols: cols.length ? cols : ['year'], warnings };
}

const UNITS_ALT = LEGACY_UNITS.slice().sort((a, b) => b.length - a.length).join('|');
// label (no digits) · unit · figures; the unit must be followed by a figure, so 件 inside 文件 is not taken for one.
const TEXT_ITEM = new RegExp(`^\\s*(?<label>(?:其中[:：]?\\s*)?(?:\\d{1,2}[.、．](?=\\D)|（\\d{1,2}）)?[^\\d]+?)\\s*(?<unit>${UNITS_ALT})\\s*(?<fig>\\d+(?:\\.\\d+)?(?:\\s+\\d+(?:\\.\\d+)?)?)`);
const TEXT_HEADER = /指标名称\s*(?:计量)?单位\s*((?:(?:本年度?|\d{4}年度?|本期|历年累计|累计)\s*){1,2})/;

/** The statistics table of a text dump, where the cells of a row ran together. */
export function textTables(blocks: Block[]): LegacyTable[] {
  // The table may be one paragraph (cells run together) or one cell per line: the text is read as one.
  const texts = blocks.filter((b): b is Extract<Block, { kind: 'text' }> => b.kind === 'text');
  const text = texts.map((b) => b.text).join('\n');
  const out: LegacyTable[] = [];
  for (const h of text.matchAll(new RegExp(TEXT_HEADER.source, 'g'))) {
    const cols: LegacyCol[] = [];
    for (const m of h[1].matchAll(/本年度?|\d{4}年度?|本期|历年累计|累计/g)) cols.push(colOf(m[0])!);
    out.push(readTextTable(text.slice(h.index + h[0].length), cols, lineAt(texts, h.index)));
  }
  return out;
}

/** The source line of the block holding this offset of the joined text. */
function lineAt(texts: { text: string; line?: number }[], offset: number): number | undefined {
  let pos = 0;
  for (const b of texts) {
    if (offset < pos + b.text.length + 1) return b.line;
    pos += b.text.length + 1;
  }
  return undefined;
}

function readTextTable(text: string, cols: LegacyCol[], line: number | undefined): LegacyTable {
  const items: LegacyItem[] = [];
  const warnings: LegacyTable['warnings'] = [];
  let rest = text;
  let number = 0; // the list number of the item just read (1. 2. …), 0 for a top-level item
  const partTracker = new PartTracker();
  for (;;) {
    const m = TEXT_ITEM.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
    const rawLabel = m.groups!.label.trim();
    const own = /^(?:其中[:：]?\s*)?(?:(\d{1,2})[.、．]|（(\d{1,2})）)/.exec(rawLabel);
    number = own ? Number(own[1] ?? own[2]) : 0;
    let fig = m.groups!.fig;
    // "…条179533042.政府公报…": the last digits are the next item's list number.
    if (/^[.、．]\D/.test(rest) && !/\s/.test(fig)) {
      const next = String(number + 1);
      if (fig.length > next.length && fig.endsWith(next)) {
        fig = fig.slice(0, -next.length);
        rest = next + rest;
      } else {
        warnings.push({ code: 'legacy_cell_unsplit', message: `"${rawLabel}${m.groups!.unit}${fig}": the next item's list number cannot be told from the figure; the row is left out`, at: line ? { line } : undefined });
        rest = fig.slice(-1) + rest;
        continue;
      }
    }
    const label = cleanText(rawLabel);
    const child = partTracker.isPart(rawLabel);
    const item: LegacyItem = { label, match: matchLegacyLabel(label), unit: m.groups!.unit, child, at: line ? { line } : {} };
    const parts = fig.split(/\s+/);
    if (parts.length === cols.length) item.cells = Object.fromEntries(cols.map((c, i) => [c, parts[i]]));
    else if (parts.length === 1 && cols.length === 2) item.run = fig;
    else item.cells = { [cols[0]]: parts[0] };
    items.push(item);
  }
  return { items, cols, warnings };
}

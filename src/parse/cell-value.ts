// Reads one table cell as printed: a number, a blank, a dash, or text that may
// carry a number with a note. Nothing is guessed here: a blank stays blank
// (value null) and units are reported, not converted.
import type { CellKind } from './types.ts';
import { cleanText, toHalfWidth } from './text-normalize.ts';

export interface ParsedCell {
  kind: CellKind;
  value: number | null;
  /** Unit printed in the cell itself ("元", "万元", "件" …), if any. */
  unit: string | null;
  raw: string;
}

const DASHES = new Set(['—', '-', '–', '―', '──', '——', '--', '/', '／', '\\', '无', '-/-', '—/—', '/ /', '×', 'x', 'X']);
const UNIT = '(万元|元|亿元|件|个|项|条|次|场|篇|人次|人|%|％)';
const NUMBER = '([+-]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|[+-]?\\d+(?:\\.\\d+)?)';
const PURE = new RegExp(`^${NUMBER}\\s*${UNIT}?$`);
const LEADING = new RegExp(`^${NUMBER}\\s*${UNIT}?`);

export function parseCell(text: string): ParsedCell {
  const raw = cleanText(text);
  if (raw === '') return { kind: 'blank', value: null, unit: null, raw };
  // Minus signs print as full-width or dash characters; numbers as full-width digits.
  const compact = toHalfWidth(raw).replace(/[−﹣]/g, '-').replace(/\s+/g, '');
  if (DASHES.has(compact)) return { kind: 'dash', value: null, unit: null, raw };
  const pure = PURE.exec(compact);
  if (pure) return { kind: 'number', value: toNumber(pure[1]), unit: pure[2] ?? null, raw };
  const lead = LEADING.exec(compact);
  if (lead) return { kind: 'text', value: toNumber(lead[1]), unit: lead[2] ?? null, raw };
  return { kind: 'text', value: null, unit: null, raw };
}

function toNumber(s: string): number {
  return Number(s.replace(/,/g, ''));
}

/** A cell that holds a value (number, dash, or a number with a note) rather than a label. */
export function isValueLike(text: string): boolean {
  // "2.其他法律行政法规禁止公开", "1、信访举报投诉类申请": numbered labels, not values.
  if (/^\s*\d{1,2}\s*[.、．]\s*[\u3400-\u9fff]/.test(toHalfWidth(text))) return false;
  const c = parseCell(text);
  return c.kind === 'number' || c.kind === 'dash' || (c.kind === 'text' && c.value !== null);
}

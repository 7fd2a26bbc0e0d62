// Legacy figures stated in sentences ("全年共受理…申请21件", "未发生行政复议"),
// read by the `prose` rules of rules/legacy.json. Each statement keeps its
// sentence and clause; a statement that there were none gives 0, silence
// gives nothing.
import type { DocModel } from '../types.ts';
import { sentencesOf } from '../interpret/narrative.ts';
import { PROSE_RULES, stripHeadings } from './rules.ts';

export interface ProseStatement {
  row: string;
  /** In the row's unit (money in 万元). */
  value: number;
  unit: string;
  sentence: string;
  clause: string;
  /** The sentence was read by OCR: the lowest confidence of its text. */
  ocr?: number;
}

export function readLegacyProse(doc: DocModel): ProseStatement[] {
  const out: ProseStatement[] = [];
  for (const sentence of sentencesOf(doc)) {
    const compact = sentence.text.replace(/\s+/g, '');
    for (const raw of compact.split(/(?<=[，,；;。])/)) {
      const clause = raw.replace(/[，,；;。]$/, '');
      const body = stripHeadings(clause);
      for (const rule of PROSE_RULES) {
        if (rule.not?.test(clause)) continue;
        const value = statedValue(rule.patterns, rule.zero, body, rule.unit);
        if (value !== null) out.push({ row: rule.row, value, unit: rule.unit, sentence: compact, clause, ...(sentence.ocr !== undefined ? { ocr: sentence.ocr } : {}) });
      }
    }
  }
  return out;
}

function statedValue(patterns: RegExp[], zero: RegExp[], clause: string, unit: string): number | null {
  for (const re of patterns) {
    re.lastIndex = 0;
    const m = re.exec(clause);
    if (!m?.groups?.n) continue;
    const n = Number(m.groups.n);
    if (!Number.isFinite(n)) continue;
    // Money is kept in 万元, like the national format's fee cells.
    return unit === '万元' && m.groups.u === '元' ? n / 10_000 : n;
  }
  return zero.some((re) => re.test(clause)) ? 0 : null;
}

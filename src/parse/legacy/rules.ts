// The legacy schema's rows and prose rules (rules/legacy.json), compiled once,
// and the label matcher: a printed label → one schema row, a row the schema
// leaves out, or a row that merges two schema rows (信函、传真申请数).
import rulesFile from '../rules/legacy.json' with { type: 'json' };
import { toHalfWidth } from '../text-normalize.ts';
import { normalizeRadicals } from '../normalize-radicals.ts';

export interface LegacyRowRule {
  id: string;
  unit: 'count' | 'money';
  key: RegExp;
  labels: RegExp[];
  not?: RegExp;
}

export interface ProseRule {
  row: string;
  unit: string;
  patterns: RegExp[];
  zero: RegExp[];
  not?: RegExp;
}

export const LEGACY_ROWS: LegacyRowRule[] = rulesFile.rows.map((r) => ({
  id: r.id,
  unit: r.unit as 'count' | 'money',
  key: new RegExp(r.key),
  labels: r.labels.map((l) => new RegExp(l)),
  not: 'not' in r && r.not ? new RegExp(r.not) : undefined,
}));

export const LEGACY_ROW_IDS = LEGACY_ROWS.map((r) => r.id);
const IGNORE = rulesFile.ignore.map((p) => new RegExp(p));
export const LEGACY_UNITS: string[] = rulesFile.units;

export const PROSE_RULES: ProseRule[] = rulesFile.prose.map((p) => ({
  row: p.row,
  unit: p.unit,
  patterns: p.patterns.map((s) => new RegExp(s, 'g')),
  zero: ('zero_patterns' in p ? (p.zero_patterns as string[]) : []).map((s) => new RegExp(s)),
  not: 'not' in p && p.not ? new RegExp(p.not as string) : undefined,
}));

export type LabelMatch =
  | { kind: 'row'; row: LegacyRowRule }
  | { kind: 'merged'; rows: string[] }
  | { kind: 'ignored' }
  | { kind: 'unknown' };

/** "其中：1、政府网站公开数（条）" → "政府网站公开数": numbering, 其中, brackets with units and spaces removed. */
export function legacyLabelKey(label: string): string {
  return toHalfWidth(normalizeRadicals(label))
    .replace(/\s+/g, '')
    .replace(/^其中[:：,，]?/, '')
    .replace(/^(?:\d{1,2}[.、．]|\(\d{1,2}\)|（\d{1,2}）|[一二三四五六七八九十]+[、.．]|\([一二三四五六七八九十]+\))/, '')
    .replace(/^其中[:：,，]?/, '')
    .replace(/[(（][^)）]*(?:条|件|元|万元|个|项|次)[)）]$/, '')
    .replace(/[“”"'‘’]/g, '');
}

const JOINER = /[、和及与/]/;

export function matchLegacyLabel(label: string): LabelMatch {
  const key = legacyLabelKey(label);
  if (!key) return { kind: 'unknown' };
  // A label naming two schema concepts joined by 、/和/及 is one printed
  // figure for two rows: it is not split (that would be a guess).
  if (JOINER.test(key)) {
    const parts = key.split(JOINER).filter((p) => p);
    if (parts.length >= 2) {
      const hit = new Set<string>();
      for (const p of parts) {
        const r = LEGACY_ROWS.find((row) => row.key.test(p));
        if (r) hit.add(r.id);
      }
      if (hit.size >= 2) return { kind: 'merged', rows: [...hit] };
    }
  }
  for (const row of LEGACY_ROWS) {
    if (row.not?.test(key)) continue;
    if (row.labels.some((re) => re.test(key))) return { kind: 'row', row };
  }
  if (IGNORE.some((re) => re.test(key))) return { kind: 'ignored' };
  return { kind: 'unknown' };
}

/** A heading glued to the start of a clause in a text dump ("三、…工作情况2012年全县…") is cut off before anchored patterns run. */
const HEADING = /^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))[^，。；：\d]{0,40}?(?:工作情况|办理情况|情况|数量|类别|形式|措施|问题|概述|内容)/;

export function stripHeadings(clause: string): string {
  let s = clause;
  for (let i = 0; i < 4; i++) {
    const m = HEADING.exec(s);
    if (!m) break;
    s = s.slice(m[0].length);
  }
  return s;
}

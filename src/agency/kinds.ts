// Kind of publishing body from the institution part of its name
// ("审计局" of "中卫市审计局"), by the rules of data/kinds.json.
//
// A kind word is only read as a word: a match that lies inside a longer
// word of another rule does not count. "人民政府" contains "民政", "人民政府办公室"
// too; without this a government whose region did not resolve was filed as a
// 民政 department. Rules anchored to the whole institution (人民政府,
// 政府办公厅) are also tried on the name's tail after a leading division-like
// prefix, since an unresolved name still carries its region ("沐阳县人民政府").
import kindsFile from './data/kinds.json' with { type: 'json' };

export type KindGroup = 'government' | 'general_office' | 'department';

interface KindRule {
  kind: string;
  group: KindGroup;
  /** The rule as written (anchors kept): where the kind is read. */
  accept: RegExp;
  /** The rule's words anywhere in the name: what a shorter word may lie inside. */
  words: RegExp;
  anchored: boolean;
}

const rules: KindRule[] = kindsFile.rules.map((r) => ({
  kind: r.kind,
  group: r.group as KindGroup,
  accept: new RegExp(r.pattern, 'g'),
  words: new RegExp(r.pattern.replace(/^\^/, '').replace(/\$$/, ''), 'g'),
  anchored: r.pattern.startsWith('^'),
}));

interface Span {
  rule: number;
  start: number;
  end: number;
}

function spans(re: RegExp, text: string, rule: number): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(re)) if (m[0].length > 0) out.push({ rule, start: m.index, end: m.index + m[0].length });
  return out;
}

/** A match strictly inside a longer word of another rule is part of that word, not a kind word. */
function insideLongerWord(s: Span, words: Span[]): boolean {
  return words.some((w) => w.rule !== s.rule && w.start <= s.start && w.end >= s.end && w.end - w.start > s.end - s.start);
}

/** The name after a leading division-like prefix ("沐阳县" of "沐阳县人民政府"), or null. */
function afterDivisionPrefix(name: string): string | null {
  const m = /^.+?(?:省|自治区|市|自治州|州|盟|地区|区|县|旗|街道|镇|乡|苏木)(?=.{2,}$)/.exec(name);
  return m ? name.slice(m[0].length) : null;
}

function classifyText(text: string, anchoredOnly: boolean): { kind: string; group: KindGroup } | null {
  const words = rules.flatMap((r, i) => spans(r.words, text, i));
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (anchoredOnly && !r.anchored) continue;
    if (spans(r.accept, text, i).some((s) => !insideLongerWord(s, words))) return { kind: r.kind, group: r.group };
  }
  return null;
}

export function classifyKind(institution: string): { kind: string; group: KindGroup } | null {
  const whole = classifyText(institution, false);
  if (whole && rules.find((r) => r.kind === whole.kind)!.anchored) return whole;
  const tail = afterDivisionPrefix(institution);
  return (tail !== null ? classifyText(tail, true) : null) ?? whole;
}

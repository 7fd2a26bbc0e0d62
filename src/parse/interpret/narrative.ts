// Figures that exist only in the prose, read by the rules in
// rules/narrative.json. Each figure keeps the sentence and clause it came
// from; disagreeing statements of the same figure are reported, not merged.
import rulesFile from '../rules/narrative.json' with { type: 'json' };
import type { DocModel, NarrativeEvidence, NarrativeFigure, ParseWarning } from '../types.ts';
import { cleanText } from '../text-normalize.ts';

interface Rule {
  metric: string;
  unit: string;
  combine: 'sum_in_sentence';
  patterns: RegExp[];
  zero: RegExp[];
}

const RULES: Rule[] = rulesFile.metrics.map((m) => ({
  metric: m.metric,
  unit: m.unit,
  combine: m.combine as 'sum_in_sentence',
  patterns: m.patterns.map((p) => new RegExp(p, 'g')),
  zero: ('zero_patterns' in m ? (m.zero_patterns as string[]) : []).map((p) => new RegExp(p)),
}));

export const NARRATIVE_METRICS = rulesFile.metrics.map((m) => ({ metric: m.metric, label: m.label, unit: m.unit }));

const HEADING = /^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))/;

/**
 * The prose as sentences. Paragraph breaks inside a sentence (PDF lines,
 * conversions that wrap "信\n息 173 条") are joined; headings stay apart.
 */
export function sentences(doc: DocModel): string[] {
  let text = '';
  for (const b of doc.blocks) {
    if (b.kind !== 'text') {
      text += '\n';
      continue;
    }
    const t = cleanText(b.text);
    if (t === '') continue;
    const prev = text.trimEnd();
    const joinable = prev !== '' && !/[。！？；：:!?;]$/.test(prev) && !HEADING.test(t) && !text.endsWith('\n');
    text = joinable ? `${prev}${t}` : `${text}\n${t}`;
    if (HEADING.test(t) && t.length < 40) text += '\n';
  }
  return text
    .split(/(?<=[。！？!?；;])|\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function readNarrative(doc: DocModel): { figures: NarrativeFigure[]; warnings: ParseWarning[] } {
  const figures: NarrativeFigure[] = [];
  const warnings: ParseWarning[] = [];
  const sents = sentences(doc);
  for (const rule of RULES) {
    const found: { value: number; evidence: NarrativeEvidence[] }[] = [];
    for (const sentence of sents) {
      const compact = sentence.replace(/\s+/g, '');
      const evidence: NarrativeEvidence[] = [];
      for (const clause of compact.split(/(?<=[，,；;。])/)) {
        const v = matchClause(rule, clause);
        if (v !== null) evidence.push({ sentence: compact, clause: clause.replace(/[，,；;。]$/, ''), value: v });
      }
      if (evidence.length) found.push({ value: round(evidence.reduce((a, e) => a + e.value, 0)), evidence });
    }
    if (!found.length) continue;
    const [first, ...rest] = found;
    figures.push({ metric: rule.metric, value: first.value, unit: rule.unit, evidence: first.evidence });
    const others = rest.filter((f) => f.value !== first.value);
    if (others.length) {
      warnings.push({
        code: 'narrative_conflict',
        message: `${rule.metric}: the prose also states ${others.map((o) => `${o.value} ("${o.evidence[0].clause}")`).join(', ')}; kept ${first.value} from the first statement`,
      });
    }
  }
  return { figures, warnings };
}

function matchClause(rule: Rule, clause: string): number | null {
  let sum: number | null = null;
  for (const re of rule.patterns) {
    for (const m of clause.matchAll(re)) {
      const n = Number(m.groups?.n);
      if (!Number.isFinite(n)) continue;
      const scale = m.groups?.u === '万元' && rule.unit === '元' ? 10_000 : 1;
      sum = (sum ?? 0) + n * scale;
    }
    if (sum !== null) return sum;
  }
  if (rule.zero.some((re) => re.test(clause))) return 0;
  return null;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

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

/** A sentence of the prose; `ocr` is the lowest OCR confidence of its text when any of it was read by OCR. */
export interface Sentence {
  text: string;
  ocr?: number;
}

/**
 * The prose as sentences. Paragraph breaks inside a sentence (PDF lines,
 * conversions that wrap "信\n息 173 条") are joined; headings stay apart.
 * Each character remembers the OCR confidence of its block (NaN: printed),
 * so a sentence joined from several blocks says whether any of it was OCR'd.
 */
export function sentencesOf(doc: DocModel): Sentence[] {
  let text = '';
  const conf: number[] = [];
  const append = (t: string, c: number) => {
    text += t;
    for (let i = 0; i < t.length; i++) conf.push(c);
  };
  for (const b of doc.blocks) {
    if (b.kind !== 'text') {
      append('\n', NaN);
      continue;
    }
    const t = cleanText(b.text);
    if (t === '') continue;
    const prev = text.trimEnd();
    const joinable = prev !== '' && !/[。！？：:!?;；]$/.test(prev) && !HEADING.test(t) && !text.endsWith('\n');
    if (joinable) {
      text = prev;
      conf.length = prev.length;
    } else append('\n', NaN);
    append(t, b.ocr?.confidence ?? NaN);
    if (HEADING.test(t) && t.length < 40) append('\n', NaN);
  }
  // Split after sentence-ending punctuation (kept) and at line breaks (dropped).
  const out: Sentence[] = [];
  let start = 0;
  const cut = (end: number, next: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body) {
      const c = conf.slice(start + lead, start + lead + body.length).filter((x) => !Number.isNaN(x));
      out.push(c.length ? { text: body, ocr: Math.min(...c) } : { text: body });
    }
    start = next;
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') cut(i, i + 1);
    else if ('。！？!?；;'.includes(text[i])) cut(i + 1, i + 1);
  }
  cut(text.length, text.length);
  return out;
}

/** The prose as sentence strings (see sentencesOf). */
export function sentences(doc: DocModel): string[] {
  return sentencesOf(doc).map((s) => s.text);
}

export function readNarrative(doc: DocModel): { figures: NarrativeFigure[]; warnings: ParseWarning[] } {
  const figures: NarrativeFigure[] = [];
  const warnings: ParseWarning[] = [];
  const sents = sentencesOf(doc);
  for (const rule of RULES) {
    const found: { value: number; evidence: NarrativeEvidence[] }[] = [];
    for (const sentence of sents) {
      const compact = sentence.text.replace(/\s+/g, '');
      const evidence: NarrativeEvidence[] = [];
      for (const clause of compact.split(/(?<=[，,；;。])/)) {
        const v = matchClause(rule, clause);
        if (v === null) continue;
        const e: NarrativeEvidence = { sentence: compact, clause: clause.replace(/[，,；;。]$/, ''), value: v };
        if (sentence.ocr !== undefined) e.ocr = { confidence: sentence.ocr };
        evidence.push(e);
      }
      if (evidence.length) found.push({ value: round(evidence.reduce((a, e) => a + e.value, 0)), evidence });
    }
    if (!found.length) continue;
    const [first, ...rest] = found;
    const conf = first.evidence.filter((e) => e.ocr).map((e) => e.ocr!.confidence);
    figures.push({ metric: rule.metric, value: first.value, unit: rule.unit, evidence: first.evidence, ...(conf.length ? { ocr: { confidence: Math.min(...conf) } } : {}) });
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

// Rebuilds visual lines from text runs (by baseline, then x) and joins text
// the way a Chinese reader would: no spaces between CJK characters (PDF
// producers that justify text insert literal spaces, "商 业 企"), a space
// only where it separates Latin words or numbers, and wrapped lines of a cell
// or paragraph joined without a separator unless both sides are Latin words.

import { isWideChar, type TextRun } from './text-runs.js';

export interface Line {
  runs: TextRun[];
  text: string;
  x: number;
  right: number;
  /** Baseline (y down). */
  base: number;
  /** Largest font size on the line. */
  fs: number;
  page: number;
}

/** Groups runs into lines, top to bottom; runs of a line are ordered left to right. */
export function groupLines(runs: readonly TextRun[]): Line[] {
  if (runs.length === 0) return [];
  const sorted = [...runs].sort((p, q) => p.base - q.base || p.x - q.x);
  const groups: TextRun[][] = [];
  let cur: TextRun[] = [];
  let curBase = 0;
  let curFs = 0;
  for (const r of sorted) {
    // Runs of one line can sit a little off the baseline (mixed font sizes,
    // numbers vertically centred next to labels); half the smaller em is the
    // most two distinct lines of text can ever be apart.
    if (cur.length > 0 && Math.abs(r.base - curBase) <= 0.5 * Math.min(r.fs, curFs)) {
      cur.push(r);
      continue;
    }
    if (cur.length > 0) groups.push(cur);
    cur = [r];
    curBase = r.base;
    curFs = r.fs;
  }
  if (cur.length > 0) groups.push(cur);
  return groups.map(makeLine);
}

function makeLine(runs: TextRun[]): Line {
  runs.sort((p, q) => p.x - q.x);
  let x = Infinity, right = -Infinity, fs = 0, baseSum = 0;
  for (const r of runs) {
    x = Math.min(x, r.x);
    right = Math.max(right, r.right);
    fs = Math.max(fs, r.fs);
    baseSum += r.base;
  }
  return { runs, text: joinRuns(runs), x, right, base: baseSum / runs.length, fs, page: runs[0].page };
}

/** Joins the runs of one line (sorted by x), inserting a space where the gap is visible. */
export function joinRuns(runs: readonly TextRun[]): string {
  let out = '';
  let prev: TextRun | null = null;
  for (const r of runs) {
    if (prev) {
      const gap = r.x - prev.right;
      const fs = Math.min(prev.fs, r.fs);
      // A gap of several ems separates columns (a table drawn without
      // borders, a signature and its date): keep it visible as a tab.
      if (gap > 1.5 * fs) out += '\t';
      else if (gap > 0.25 * fs) out += ' ';
    }
    out += r.text;
    prev = r;
  }
  return tidySpaces(out);
}

const ASCII_WORD = /[\x21-\x7e]/;

/**
 * Collapses whitespace and drops it wherever a wide (CJK / full-width)
 * character is on either side: such spaces come from justification or from
 * the producer's glyph placement, never from the author.
 */
export function tidySpaces(s: string): string {
  // Column gaps (tabs from joinRuns) survive as one tab; other whitespace collapses.
  const collapsed = s
    .replace(/[\s\u00a0\u3000]+/g, (ws) => (ws.includes('\t') ? '\t' : ' '))
    .trim();
  if (!collapsed.includes(' ')) return collapsed;
  const chars = Array.from(collapsed);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === ' ') {
      const before = chars[i - 1] ?? '';
      const after = chars[i + 1] ?? '';
      if (!(ASCII_WORD.test(before) && ASCII_WORD.test(after))) continue;
    }
    out += ch;
  }
  return out;
}

/** Joins wrapped lines of one cell or paragraph. */
export function joinLines(texts: readonly string[]): string {
  let out = '';
  for (const t of texts) {
    if (!t) continue;
    if (out && needsSpace(out[out.length - 1], t[0])) out += ' ';
    out += t;
  }
  return out;
}

function needsSpace(last: string, first: string): boolean {
  // Only Latin words are separated; digits continue a wrapped number
  // ("39857" / "58"), and CJK never takes a separator.
  return /[A-Za-z,;:]/.test(last) && /[A-Za-z]/.test(first) && !isWideChar(last) && !isWideChar(first);
}

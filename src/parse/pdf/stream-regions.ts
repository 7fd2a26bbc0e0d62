// Finds, among a page's free text lines (outside every ruled table), the
// runs of lines that form a table printed without ruling lines: the
// "stream" strategy. Lines are cut into chunks (the words of one cell) and
// a region is a block of lines with column gaps plus the wrapped label lines
// and header lines between them. A region only counts as a table when the
// national format's words anchor it (a row label of tables 2/3 or a header
// word of tables 2/3/4) and some of its lines carry values, so column-aligned
// prose, signatures and dates are never turned into tables.
import { isValueLike } from '../cell-value.ts';
import { headingSection } from '../interpret/rows.ts';
import { T2_ROWS, T3_ROWS } from '../schema.ts';
import { hasCjk, labelKey } from '../text-normalize.ts';
import type { Line } from './lines.js';
import { joinRuns } from './lines.js';
import type { TextRun } from './text-runs.js';

/** The words of one cell on one line: runs closer together than a small gap. */
export interface Chunk {
  text: string;
  x: number;
  right: number;
  base: number;
  fs: number;
  runs: TextRun[];
  /** A number, dash or other value cell, printed right of the line's labels. */
  value: boolean;
}

export const overlaps = (a: { x: number; right: number }, b: { x: number; right: number }, tol = 0) => a.x < b.right + tol && b.x < a.right + tol;

export interface StreamLine {
  line: Line;
  chunks: Chunk[];
  /** Some value chunk stands after a column gap. */
  hasValues: boolean;
}

/** Two runs further apart than this (in ems) are different cells' words. */
const CHUNK_GAP = 0.2;
/** A column gap, as in joinRuns (ems). */
const COLUMN_GAP = 1.5;
/** The most a table's consecutive lines may be apart (ems). */
const MAX_LINE_STEP = 3.6;

const HEADER_WORDS = ['信息内容', '第二十条', '申请人情况', '自然人', '法人或其他组织', '结果维持', '结果纠正', '尚未审结', '复议后起诉', '未经复议'];
const ROWS = [...T2_ROWS.map((r) => ({ id: `t2.${r.id}`, match: r.match })), ...T3_ROWS.map((r) => ({ id: `t3.${r.id}`, match: r.match }))];
const ROW_PHRASES = ROWS.flatMap((r) => r.match);

/** The row of tables 2/3 a label names, if any (by the format's key phrases). */
export function rowNamed(text: string): string | null {
  const key = labelKey(text);
  return ROWS.find((r) => r.match.some((p) => key.includes(p)))?.id ?? null;
}

/**
 * Is the gap between two runs of a line a cell boundary? Justified CJK text
 * (WPS) leaves gaps of up to half an em inside a label; a label column's
 * numbering ("（一）", "1.") after a small gap still starts a new cell.
 */
function splits(prev: TextRun, r: TextRun): boolean {
  const gap = r.x - prev.right, fs = Math.min(prev.fs, r.fs);
  if (gap <= CHUNK_GAP * fs) return false;
  if (gap > 0.6 * fs) return true;
  return !(hasCjk(prev.text) && hasCjk(r.text) && !/^\s*[（(\d]/.test(r.text));
}

export function makeChunk(runs: TextRun[]): Chunk {
  return {
    text: joinRuns(runs).replace(/\t/g, ' '),
    x: Math.min(...runs.map((r) => r.x)),
    right: Math.max(...runs.map((r) => r.right)),
    base: runs.reduce((s, r) => s + r.base, 0) / runs.length,
    fs: Math.max(...runs.map((r) => r.fs)),
    runs,
    value: false,
  };
}

/** A chunk cut at every visible gap between its runs (header words of narrow columns set close together). */
export function splitAtGaps(c: Chunk): Chunk[] {
  const out: Chunk[] = [];
  let cur: TextRun[] = [];
  for (const r of [...c.runs].sort((p, q) => p.x - q.x)) {
    const prev = cur[cur.length - 1];
    if (prev && r.x - prev.right > CHUNK_GAP * Math.min(prev.fs, r.fs)) {
      out.push(makeChunk(cur));
      cur = [];
    }
    cur.push(r);
  }
  if (cur.length) out.push(makeChunk(cur));
  return out;
}

export function chunkLine(line: Line): Chunk[] {
  const chunks: Chunk[] = [];
  let cur: TextRun[] = [];
  const flush = () => {
    if (cur.length === 0) return;
    chunks.push(makeChunk(cur));
    cur = [];
  };
  for (const r of line.runs) {
    const prev = cur[cur.length - 1];
    if (prev && splits(prev, r)) flush();
    cur.push(r);
  }
  flush();
  // A unit printed apart from its number ("251000 元") belongs to it.
  for (let i = chunks.length - 1; i > 0; i--) {
    const u = chunks[i], n = chunks[i - 1];
    if (/^(?:万?元|件|个|项|次|条|%|％)$/.test(u.text) && isValueLike(n.text) && u.x - n.right < u.fs) {
      chunks.splice(i - 1, 2, { ...n, text: n.text + u.text, right: u.right, runs: [...n.runs, ...u.runs] });
    }
  }
  // Values are the trailing value-like chunks; a value-like first chunk
  // followed by labels ("1" of a split "1.属于…") is part of the label.
  // A line of values only (table 4's data row) is all values.
  // Sentence punctuation marks prose spread by justification ("72件，结果纠正"), not a cell.
  for (let i = chunks.length - 1; i >= 0 && isValueLike(chunks[i].text) && !/[，。；：]/.test(chunks[i].text); i--) chunks[i].value = true;
  return chunks;
}

function makeStreamLine(line: Line): StreamLine {
  const chunks = chunkLine(line);
  let hasValues = false;
  for (let i = 0; i < chunks.length; i++) {
    if (!chunks[i].value) continue;
    const prev = chunks[i - 1];
    if (!prev || chunks[i].x - prev.right > COLUMN_GAP * Math.min(prev.fs, chunks[i].fs) || prev.value) hasValues = true;
  }
  return { line, chunks, hasValues };
}

const tabbed = (l: StreamLine) => l.hasValues || l.line.text.includes('\t');

function anchored(lines: StreamLine[]): boolean {
  if (!lines.some((l) => l.hasValues)) return false;
  return lines.some((l) => {
    const key = labelKey(l.line.text);
    return HEADER_WORDS.some((w) => key.includes(w)) || l.chunks.some((c) => !c.value && ROW_PHRASES.some((p) => labelKey(c.text).includes(p)));
  });
}

/** The width body text runs across on this page, to tell prose lines from table lines. */
function proseWidth(lines: readonly Line[]): number {
  const long = lines.filter((l) => l.text.length >= 8);
  if (long.length === 0) return Infinity;
  const lefts = long.map((l) => l.x).sort((a, b) => a - b);
  const rights = long.map((l) => l.right).sort((a, b) => a - b);
  return rights[Math.floor(rights.length * 0.9)] - lefts[Math.floor(lefts.length * 0.1)];
}

/**
 * Lines between (or just before) lines with column gaps that still belong to
 * the table: wrapped labels, header words, blank rows' labels. Prose is kept
 * out by its width and its sentence punctuation, headings by their words.
 */
function mayJoin(l: StreamLine, width: number): boolean {
  if (tabbed(l)) return true;
  const t = l.line.text;
  if (/[。；]/.test(t) || headingSection(t)) return false;
  // Short lines (wrapped labels, header words), or words spread over columns (a header row).
  return l.line.right - l.line.x < 0.6 * width || l.chunks.length >= 4;
}

export interface Region {
  lines: StreamLine[];
}

/** Table regions among the page's lines (top to bottom); `skip` lines are page furniture. */
export function findRegions(lines: readonly Line[], skip: (l: Line) => boolean): Region[] {
  const width = proseWidth(lines);
  const all = lines.filter((l) => !skip(l)).map(makeStreamLine);
  const spans: [number, number][] = [];
  let i = 0;
  while (i < all.length) {
    if (!tabbed(all[i])) { i++; continue; }
    // Grow from a line with column gaps: upwards over joinable lines, then down.
    let a = i;
    const floor = spans.length ? spans[spans.length - 1][1] + 1 : 0;
    while (a > floor && mayJoin(all[a - 1], width) && close(all[a - 1], all[a]) && !headingSection(all[a - 1].line.text)) a--;
    let b = i;
    let lastTabbed = i;
    while (b + 1 < all.length && mayJoin(all[b + 1], width) && close(all[b], all[b + 1])) {
      b++;
      if (tabbed(all[b])) lastTabbed = b;
    }
    // Trailing lines without gaps belong to the table only if labelled like its rows.
    while (b > lastTabbed && !rowLabelLike(all[b])) b--;
    spans.push([a, b]);
    i = b + 1;
  }
  // A tall header cell can leave a wide gap above the first row: a header
  // without values and the rows right below it are one table.
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    const upper = last && all.slice(last[0], last[1] + 1), lower = all.slice(s[0], s[1] + 1);
    if (last && last[1] + 1 === s[0] && (!anchored(upper) || !anchored(lower)) && close(all[last[1]], all[s[0]], 2 * MAX_LINE_STEP)) {
      last[1] = s[1];
    } else merged.push([...s]);
  }
  return merged.map(([a, b]) => ({ lines: all.slice(a, b + 1) })).filter((r) => anchored(r.lines));
}

function close(upper: StreamLine, lower: StreamLine, maxStep = MAX_LINE_STEP): boolean {
  // Small table fonts keep the body's leading: steps are measured against at least 10 pt.
  const fs = Math.max(upper.line.fs, lower.line.fs, 10);
  return lower.line.base - upper.line.base <= maxStep * fs;
}

function rowLabelLike(l: StreamLine): boolean {
  const key = labelKey(l.line.text);
  return ROW_PHRASES.some((p) => key.includes(p)) || /^[（(]?[一二三四五六七八九十\d]+[）)、.．]/.test(l.line.text);
}

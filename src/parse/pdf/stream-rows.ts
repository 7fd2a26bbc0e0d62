// Rows of a table printed without ruling lines (see stream-grid.ts): label
// items are label chunks joined downwards while they overlap the chunk
// above, sit within a wrapped line's distance and do not start with a new
// item's numbering ("1." "（二）") or name another row of the format. An item
// with a finer label beside it is a group label ("（三）不予公开", the vertical
// "三、本年度办理结果"); the others are rows. A line of values belongs to the
// row whose label lines it is printed beside (numbers are often centred on a
// wrapped label, or on its first line), and a row without values keeps its
// label (a row of blank cells).
import { overlaps, rowNamed, type Chunk, type StreamLine } from './stream-regions.ts';

/** A label chunk; `lead` when it is the last label of its line, the one its values belong to. */
export type LabelChunk = Chunk & { lead: boolean };

export interface Item { chunks: LabelChunk[]; x: number; right: number; top: number; bottom: number; first: number; last: number; fs: number; col: number; group: boolean }

/** A label that opens a new row: list numbering at its start. */
const NUMBERING = /^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d{1,2}\s*[.、．](?!\d))/;
/** Wrapped lines of one cell are at most this far apart (ems; small table fonts keep a wide leading). */
const WRAP_STEP = 2.5;

function newItem(chunks: LabelChunk[]): Item {
  const first = chunks[0], last = chunks[chunks.length - 1];
  return {
    chunks,
    x: Math.min(...chunks.map((c) => c.x)),
    right: Math.max(...chunks.map((c) => c.right)),
    top: first.base - 0.8 * first.fs,
    bottom: last.base + 0.2 * last.fs,
    first: first.base,
    last: last.base,
    fs: Math.max(...chunks.map((c) => c.fs)),
    col: 0,
    group: false,
  };
}

/**
 * Vertical text (one glyph a line, "三、本年度办理结果" in a tall merged cell):
 * three or more one- or two-character chunks stacked at one x with even steps.
 */
function takeVerticalStacks(chunks: LabelChunk[]): { rest: LabelChunk[]; stacks: LabelChunk[][] } {
  const short = chunks.filter((c) => Array.from(c.text).length <= 2).sort((p, q) => p.x - q.x || p.base - q.base);
  const stacks: LabelChunk[][] = [];
  const taken = new Set<LabelChunk>();
  for (const seed of short) {
    if (taken.has(seed)) continue;
    const col = short.filter((c) => !taken.has(c) && Math.abs(c.x - seed.x) <= 0.3 * seed.fs).sort((p, q) => p.base - q.base);
    let run: LabelChunk[] = [];
    const close = () => {
      if (run.length >= 3) {
        stacks.push(run);
        run.forEach((c) => taken.add(c));
      }
      run = [];
    };
    for (const c of col) {
      const prev = run[run.length - 1];
      const step = prev ? c.base - prev.base : 0;
      // Consecutive glyphs, with nothing else of the column between them (steps are
      // uneven: a glyph takes the baseline of the row line it shares).
      const between = prev && chunks.some((o) => o !== c && o !== prev && overlaps(o, c) && o.base > prev.base + 0.1 && o.base < c.base - 0.1);
      if (prev && (step > 2.5 * c.fs || step < 0.5 * c.fs || between)) close();
      run.push(c);
    }
    close();
  }
  return { rest: chunks.filter((c) => !taken.has(c)), stacks };
}

export function buildItems(chunks: LabelChunk[], valueLineBases: Set<number>): Item[] {
  const { rest, stacks } = takeVerticalStacks(chunks);
  const flow: Item[] = [];
  for (const c of [...rest].sort((p, q) => p.base - q.base || p.x - q.x)) {
    const open = flow.find((it) => {
      const last = it.chunks[it.chunks.length - 1];
      const step = c.base - last.base;
      if (step <= 0.3 * c.fs || step > WRAP_STEP * Math.max(c.fs, last.fs)) return false;
      if (!overlaps(c, last)) return false;
      if (NUMBERING.test(c.text)) return false;
      // Two lines that each carry their own values, or name different rows, are two rows.
      if (c.lead && valueLineBases.has(c.base) && it.chunks.some((k) => k.lead && valueLineBases.has(k.base))) return false;
      const named = rowNamed(c.text), before = rowNamed(it.chunks.map((k) => k.text).join(''));
      return !(named && before && named !== before);
    });
    if (open) Object.assign(open, newItem([...open.chunks, c]));
    else flow.push(newItem([c]));
  }
  return [...stacks.map(newItem), ...flow];
}

/** Where label columns start: the left edges of the items, clustered. */
export function labelStarts(items: readonly Item[]): number[] {
  const starts: number[] = [];
  const fss = items.map((it) => it.fs).sort((a, b) => a - b);
  const tol = 0.8 * (fss[fss.length >> 1] ?? 10);
  for (const x of items.map((it) => it.x).sort((a, b) => a - b)) {
    if (starts.length === 0 || x - starts[starts.length - 1] > tol) starts.push(x);
  }
  return starts;
}

export interface Row { items: Item[]; values: Chunk[]; base: number }

/**
 * The table's rows, top to bottom: items get their label column and group
 * flag, leaf items become rows, value lines join the row beside them (or
 * stand alone, unlabelled), group labels join the first row they reach.
 */
export function tableRows(items: Item[], starts: readonly number[], data: readonly StreamLine[], inValueZone: (c: Chunk) => boolean): Row[] {
  for (const it of items) {
    let col = 0;
    starts.forEach((s, i) => { if (it.x >= s - 0.6 * it.fs) col = i; });
    it.col = col;
  }
  const vOverlap = (a: Item, b: Item) => a.top < b.bottom && b.top < a.bottom;
  for (const it of items) it.group = items.some((o) => o !== it && o.col > it.col && o.x > it.x + 0.5 * it.fs && vOverlap(it, o));
  const rows: Row[] = items.filter((it) => !it.group).sort((a, b) => a.first - b.first).map((it) => ({ items: [it], values: [], base: it.first }));
  const dist = (row: Row, base: number) => Math.max(0, row.items[0].first - base, base - row.items[0].last);
  for (const l of data) {
    if (!l.hasValues && !l.chunks.some(inValueZone)) continue;
    const vals = l.chunks.filter(inValueZone);
    const b = l.line.base;
    let best: Row | null = null;
    for (const r of rows) if (r.items.length && dist(r, b) <= 1.2 * l.line.fs && (!best || dist(r, b) < dist(best, b))) best = r;
    if (best && best.values.length === 0) {
      best.values = vals;
      best.base = b;
    } else rows.push({ items: [], values: vals, base: b });
  }
  for (const g of items.filter((it) => it.group)) {
    const labelled = rows.filter((r) => r.items.length);
    const target = labelled.find((r) => r.items[0].first >= g.top - 0.5 * g.fs && r.items[0].first <= g.bottom + 0.5 * g.fs)
      ?? labelled.sort((p, q) => Math.abs(p.base - g.first) - Math.abs(q.base - g.first))[0];
    if (target) target.items.push(g);
  }
  return rows.sort((p, q) => p.base - q.base);
}

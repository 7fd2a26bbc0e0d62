// Builds the grid of a table printed without ruling lines from the chunks of
// its lines (see stream-regions.ts), as a TableFragment like the ruled path's
// so that page joining and grid expansion (table-grid.ts) and the interpreter
// work unchanged.
//
//  - Columns: value columns are bands where value chunks of different rows
//    overlap horizontally (whatever their alignment: right, centre or left);
//    a header word over no value (a column left blank in every row) adds its
//    own band; a header word over several bands spans them. Label columns are
//    where label items start.
//  - Rows: see stream-rows.ts.
//  - Header: title lines (one word over the table) span it; header words
//    over several columns span them; the others join their column's header
//    cell, so wrapped header words ("商业" / "企业") read as one.
import { joinLines } from './lines.js';
import { overlaps, splitAtGaps, type Chunk, type StreamLine } from './stream-regions.ts';
import { buildItems, labelStarts, tableRows, type Item } from './stream-rows.ts';
import type { CellRect, TableFragment } from './table-detect.js';

export interface Band { x: number; right: number }

/** Column structure of a stream table, carried to its continuation on the next page. */
export interface StreamLayout {
  labelStarts: number[];
  bands: Band[];
  xs: number[];
}

/** A line with words over the value columns and no values: part of a header. */
export function isHeaderLine(l: StreamLine, valueLeft: number): boolean {
  return !l.hasValues && l.chunks.some((c) => c.right > valueLeft + 0.5 * c.fs);
}

/** Bands where the given chunks overlap horizontally. */
export function clusterBands(chunks: readonly { x: number; right: number }[]): Band[] {
  const sorted = [...chunks].sort((p, q) => p.x - q.x);
  const out: Band[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && c.x < last.right + 1) last.right = Math.max(last.right, c.right);
    else out.push({ x: c.x, right: c.right });
  }
  return out;
}

function layoutFor(labelStarts: number[], bands: Band[]): StreamLayout {
  const xs = [...labelStarts];
  for (let i = 0; i < bands.length; i++) {
    const prevRight = i === 0 ? -Infinity : bands[i - 1].right;
    const edge = i === 0 ? bands[0].x - 1 : (prevRight + bands[i].x) / 2;
    xs.push(i === 0 && xs.length ? Math.max(edge, xs[xs.length - 1] + 4) : edge);
  }
  xs.push(bands[bands.length - 1].right + 1);
  return { labelStarts, bands, xs };
}

function bandIndex(bands: readonly Band[], c: { x: number; right: number }): number {
  let best = -1, bestOverlap = 0, bestDist = Infinity, nearest = 0;
  bands.forEach((b, i) => {
    const o = Math.min(b.right, c.right) - Math.max(b.x, c.x);
    if (o > bestOverlap) { bestOverlap = o; best = i; }
    const d = Math.abs((b.x + b.right) / 2 - (c.x + c.right) / 2);
    if (d < bestDist) { bestDist = d; nearest = i; }
  });
  return best >= 0 ? best : nearest;
}

const itemText = (it: Item) => joinLines(it.chunks.map((c) => c.text));

export interface BuiltBlock { fragment: TableFragment; layout: StreamLayout }

/**
 * One header-and-rows block of a region as a table fragment. `prev` is the
 * layout of the table this block continues (previous page), if any.
 */
export function buildBlock(lines: StreamLine[], valueLeft: number, page: number, prev: StreamLayout | null): BuiltBlock | null {
  const firstData = lines.findIndex((l) => l.hasValues);
  if (firstData < 0) return null;
  // The header zone: every line down to the last one with words over the value columns.
  let headerEnd = 0;
  for (let i = 0; i < firstData; i++) if (isHeaderLine(lines[i], valueLeft)) headerEnd = i + 1;
  const header = lines.slice(0, headerEnd), data = lines.slice(headerEnd);
  const inValueZone = (c: Chunk) => (c.x + c.right) / 2 >= valueLeft - 0.5 * c.fs;
  const valueChunks = data.flatMap((l) => l.chunks.filter((c) => inValueZone(c) && (l.hasValues || c.value)));
  if (valueChunks.length === 0) return null;

  // Header words may start right of every row label yet left of the numbers (right-aligned numbers).
  const labelRight = Math.max(...data.flatMap((l) => l.chunks.filter((c) => !inValueZone(c)).map((c) => c.right)));
  const inHeaderValues = (c: Chunk) => inValueZone(c) || (labelRight > -Infinity && c.x >= labelRight + 0.5 * c.fs);

  // Value columns; then, from the lowest header line up, header words over no value yet.
  let bands = clusterBands(valueChunks);
  // Words of neighbouring header cells set close together read as one chunk: cut it where it spans columns.
  const hdr = new Map<StreamLine, Chunk[]>(header.map((l) => [l, l.chunks.flatMap((c) =>
    inHeaderValues(c) && bands.filter((b) => overlaps(b, c)).length > 1 ? splitAtGaps(c) : [c])]));
  // Title lines: the header's first lines when they hold one word each ("第二十条第（一）项", "申请人情况").
  const titles: StreamLine[] = [];
  for (const l of header.slice(0, -1)) {
    if (hdr.get(l)!.length !== 1) break;
    titles.push(l);
  }

  for (const l of [...header].reverse()) {
    if (titles.includes(l)) continue;
    // Each column has one header word a line: words of one line that fall to
    // the same band (all but the nearest) head columns no value marks.
    const claims = new Map<number, { c: Chunk; d: number }[]>();
    for (const c of hdr.get(l)!.filter(inHeaderValues)) {
      if (bands.filter((b) => overlaps(b, c)).length > 1) continue;
      const i = bandIndex(bands, c);
      const d = Math.max(0, bands[i].x - c.right, c.x - bands[i].right);
      (claims.get(i) ?? claims.set(i, []).get(i)!).push({ c, d });
    }
    const fresh: Chunk[] = [];
    // Words over the band itself are one header cell's words ("总" "计").
    for (const list of claims.values()) fresh.push(...list.sort((p, q) => p.d - q.d).slice(1).filter((x) => x.d > 0).map((x) => x.c));
    bands = [...bands, ...clusterBands(fresh)].sort((p, q) => p.x - q.x);
  }
  let layout: StreamLayout | null = null;
  if (prev && header.length === 0 && bands.every((b) => prev.bands.filter((p) => overlaps(p, b, 2)).length === 1)) layout = prev;

  // Label items, their columns, groups and rows.
  const labelChunks = data.flatMap((l) => {
    const own = l.chunks.filter((c) => !inValueZone(c) && !(l.hasValues && c.value && c.x >= valueLeft - c.fs));
    // Chunks of a line share its baseline (a vertical glyph or a smaller font sits a little off it).
    return own.map((c, i) => ({ ...c, base: l.line.base, lead: i === own.length - 1 }));
  });
  const lineBases = new Set<number>();
  for (const l of data) if (l.hasValues) lineBases.add(l.line.base);
  const items = buildItems(labelChunks, lineBases);
  // A continuation with row labels cannot take the columns of a table that had none.
  if (layout && layout.labelStarts.length === 0 && items.length > 0) layout = null;
  if (!layout) {
    const starts = labelStarts(items);
    const headerLabels = header.flatMap((l) => hdr.get(l)!.filter((c) => !inHeaderValues(c)));
    if (starts.length === 0 && headerLabels.length) starts.push(Math.min(...headerLabels.map((c) => c.x)));
    layout = layoutFor(starts.filter((s) => s < bands[0].x - 4), bands);
  }
  const L = layout;
  const rows = tableRows(items, L.labelStarts, data, inValueZone);

  // The fragment: header rows, then one row per table row.
  const top = Math.min(...lines.map((l) => l.line.base - l.line.fs));
  const bottom = Math.max(...lines.map((l) => l.line.base + 0.3 * l.line.fs));
  const nLabel = L.labelStarts.length, xs = L.xs;
  // On a scanned page the runs carry the recogniser's confidence; a cell
  // takes the lowest of its runs' (1 for a blank cell, as in ruled tables).
  const scanned = lines.some((l) => l.line.runs.some((r) => r.ocr));
  const conf = (chunks: readonly Chunk[]) => Math.min(1, ...chunks.flatMap((c) => c.runs.map((r) => r.ocr?.confidence ?? 1)));
  const grid: { text: string; c0: number; c1: number; conf?: number }[][] = [];
  for (const t of titles) grid.push([{ text: hdr.get(t)![0].text, c0: 0, c1: xs.length - 1, conf: conf([hdr.get(t)![0]]) }]);
  if (header.length > titles.length) {
    const leaf: Chunk[][] = L.bands.map(() => []);
    const labelChunks: Chunk[] = [];
    for (const l of header) {
      if (titles.includes(l)) continue;
      const spanning: { text: string; c0: number; c1: number; conf?: number }[] = [];
      for (const c of hdr.get(l)!) {
        if (!inHeaderValues(c)) { labelChunks.push(c); continue; }
        const hit = L.bands.map((b, i) => (overlaps(b, c) ? i : -1)).filter((i) => i >= 0);
        if (hit.length > 1) spanning.push({ text: c.text, c0: nLabel + hit[0], c1: nLabel + hit[hit.length - 1] + 1, conf: conf([c]) });
        else leaf[hit.length ? hit[0] : bandIndex(L.bands, c)].push(c);
      }
      if (spanning.length) grid.push(spanning);
    }
    const row = nLabel ? [{ text: joinLines(labelChunks.map((c) => c.text)), c0: 0, c1: nLabel, conf: conf(labelChunks) }] : [];
    leaf.forEach((cs, i) => row.push({ text: joinLines(cs.map((c) => c.text)), c0: nLabel + i, c1: nLabel + i + 1, conf: conf(cs) }));
    grid.push(row);
  }
  for (const r of rows) {
    const cells: { text: string; c0: number; c1: number; conf?: number }[] = [];
    const byCol = new Map<number, string[]>();
    const chunksAt = new Map<number, Chunk[]>();
    for (const it of r.items.sort((a, b) => a.col - b.col)) {
      byCol.set(it.col, [...(byCol.get(it.col) ?? []), itemText(it)]);
      chunksAt.set(it.col, [...(chunksAt.get(it.col) ?? []), ...it.chunks]);
    }
    // The row's own label reaches to the value columns, as a merged cell does in a ruled table.
    const leafCol = r.items.length ? Math.max(...r.items.filter((it) => !it.group).map((it) => it.col), -1) : -1;
    for (let c = 0; c < nLabel; c++) {
      const c1 = c === leafCol ? nLabel : c + 1;
      cells.push({ text: joinLines(byCol.get(c) ?? []), c0: c, c1, conf: conf(chunksAt.get(c) ?? []) });
      c = c1 - 1;
    }
    const vals: Chunk[][] = L.bands.map(() => []);
    for (const v of r.values.sort((a, b) => a.x - b.x)) vals[bandIndex(L.bands, v)].push(v);
    vals.forEach((vs, i) => cells.push({ text: vs.map((v) => v.text).join(' '), c0: nLabel + i, c1: nLabel + i + 1, conf: conf(vs) }));
    grid.push(cells);
  }
  const step = (bottom - top) / Math.max(1, grid.length);
  const cells: CellRect[] = [];
  grid.forEach((row, r) => {
    const y0 = top + r * step, y1 = top + (r + 1) * step;
    const filled = new Set<number>();
    for (const c of row) {
      cells.push({ x0: xs[c.c0], x1: xs[c.c1], y0, y1, text: c.text, page, ...(scanned ? { ocr: { confidence: Math.round((c.conf ?? 1) * 1000) / 1000 } } : {}) });
      for (let k = c.c0; k < c.c1; k++) filled.add(k);
    }
    for (let k = 0; k < xs.length - 1; k++) if (!filled.has(k)) cells.push({ x0: xs[k], x1: xs[k + 1], y0, y1, text: '', page, ...(scanned ? { ocr: { confidence: 1 } } : {}) });
  });
  const fragment: TableFragment = { page, left: xs[0], right: xs[xs.length - 1], top, bottom, cells, xs, irregularCells: 0 };
  return { fragment, layout: L };
}

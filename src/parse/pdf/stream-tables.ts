// The stream strategy's entry point: on every page, the text lines the ruled
// path left as text are searched for tables printed without ruling lines
// (stream-regions.ts); each one found is rebuilt as table fragments
// (stream-grid.ts) and takes the place of its lines. What the ruled path
// found is never touched: only free lines are read. A table continued on the
// next page keeps its columns, so the fragments join as ruled ones do.
import type { ParseWarning } from '../types.js';
import type { PageLayout } from './assemble.js';
import { isFurniture } from './assemble.js';
import { headingSection } from '../interpret/rows.ts';
import type { Line } from './lines.js';
import { buildBlock, isHeaderLine, type StreamLayout } from './stream-grid.ts';
import { findRegions, type StreamLine } from './stream-regions.ts';
import type { TableFragment } from './table-detect.js';

const NUMBERED_ROW = /^[（(]?[一二三四五六七八九十\d]+[）)、.．]/;

/** Splits a region into header-and-rows blocks (table 2 prints one per 第二十条 item). */
function splitBlocks(lines: StreamLine[], valueLeft: number): StreamLine[][] {
  const blocks: StreamLine[][] = [];
  let cur: StreamLine[] = [];
  let seenData = false;
  for (const l of lines) {
    if (seenData && isHeaderLine(l, valueLeft)) {
      // Title lines just above the header ("第二十条第（五）项") open the new block too.
      const moved: StreamLine[] = [];
      while (cur.length && !cur[cur.length - 1].hasValues && !NUMBERED_ROW.test(cur[cur.length - 1].line.text)) moved.unshift(cur.pop()!);
      if (cur.length) blocks.push(cur);
      cur = moved;
      seenData = false;
    }
    cur.push(l);
    if (l.hasValues) seenData = true;
  }
  if (cur.length) blocks.push(cur);
  return blocks;
}

/**
 * Adds the tables rebuilt from text positions to the pages' layouts (their
 * lines removed), with a `table_from_text_positions` warning for each.
 */
export function addStreamTables(pages: PageLayout[], warnings: ParseWarning[]): PageLayout[] {
  let carried: { layout: StreamLayout; page: number } | null = null;
  return pages.map((p) => {
    try {
      return streamPage(p);
    } catch (err) {
      // A layout the strategy cannot handle keeps its text lines; the document still parses.
      carried = null;
      warnings.push({ code: 'table_from_text_positions_failed', message: `page ${p.page}: tables without ruling lines not rebuilt (${(err as Error)?.message ?? err}); kept as text lines`, at: { page: p.page } });
      return p;
    }
  });

  function streamPage(p: PageLayout): PageLayout {
    const skip = (l: Line) => isFurniture(l, p.height);
    const regions = findRegions(p.lines, skip);
    if (regions.length === 0) {
      if (p.lines.some((l) => !skip(l)) || p.tables.length) carried = null;
      return p;
    }
    const used = new Set<Line>();
    const tables: TableFragment[] = [];
    // Pushed once the whole page is built, so a page that fails leaves no trace but its own warning.
    const found: ParseWarning[] = [];
    const contentLines = p.lines.filter((l) => !skip(l)).sort((a, b) => a.base - b.base);
    regions.forEach((region, ri) => {
      const valueLeft = Math.min(...region.lines.flatMap((l) => (l.hasValues ? l.chunks.filter((c) => c.value).map((c) => c.x) : [])));
      // The page's first table continues the previous page's unless a ruled
      // table or a section heading comes first (a running header may).
      const above = contentLines.filter((l) => l.base < region.lines[0].line.base);
      const atTop = ri === 0 && !p.tables.some((t) => t.top < region.lines[0].line.base) && !above.some((l) => headingSection(l.text));
      let prev = atTop && carried?.page === p.page - 1 ? carried.layout : null;
      let last: StreamLayout | null = null;
      const shape = new Set<string>();
      let cols = 0, blocks = 0;
      for (const block of splitBlocks(region.lines, valueLeft)) {
        const built = buildBlock(block, valueLeft, p.page, prev);
        prev = null;
        if (!built) continue;
        tables.push(built.fragment);
        for (const l of block) used.add(l.line);
        last = built.layout;
        built.fragment.cells.forEach((c) => shape.add(`${c.y0}`));
        cols = Math.max(cols, built.fragment.xs.length - 1);
        blocks++;
      }
      if (blocks) {
        found.push({
          code: 'table_from_text_positions',
          message: `page ${p.page}: ${blocks === 1 ? 'a table' : `${blocks} tables`} without ruling lines rebuilt from text positions (${shape.size} rows, up to ${cols} columns); columns from the alignment of values and header words, rows from baselines and labels`,
          at: { page: p.page },
        });
      }
      // It may go on over the page if nothing but a running footer follows it.
      const below = contentLines.filter((l) => l.base > region.lines[region.lines.length - 1].line.base);
      const atBottom = below.length <= 2 && below.every((l) => l.text.length <= 30 && !headingSection(l.text));
      carried = ri === regions.length - 1 && atBottom && last ? { layout: last, page: p.page } : null;
    });
    if (tables.length === 0) return p;
    const lines = p.lines.filter((l) => !used.has(l));
    warnings.push(...found);
    refreshRulingWarning(warnings, p.page, lines);
    return { ...p, lines, tables: [...p.tables, ...tables].sort((a, b) => a.top - b.top) };
  }
}

/** The page's "lines with column gaps kept as text" warning, recounted without the rebuilt tables' lines. */
function refreshRulingWarning(warnings: ParseWarning[], page: number, lines: Line[]): void {
  const i = warnings.findIndex((w) => w.code === 'table_without_rulings' && w.at?.page === page);
  if (i < 0) return;
  const columnLines = lines.filter((l) => l.text.includes('\t')).length;
  if (columnLines >= 3) {
    warnings[i] = { ...warnings[i], message: `page ${page}: ${columnLines} lines with column gaps outside any table; kept as tab-separated text lines` };
  } else warnings.splice(i, 1);
}

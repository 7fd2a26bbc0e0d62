// Puts the per-page pieces (text lines, table fragments) into one document
// order and undoes the page layout where it cuts through content:
//  - page furniture (page numbers such as "-3-", "— 4 —", "3", "第3页") is
//    dropped, so it neither becomes a paragraph between two fragments of a
//    table nor stops the fragments from being joined;
//  - a table that ends a page and a table that starts the next page with the
//    same column structure are one table;
//  - wrapped lines of one paragraph are joined, also across a page break, so
//    narrative sentences stay whole for the figure extractor.

import type { Block, ParseWarning, TableBlock } from '../types.js';
import { joinLines, type Line } from './lines.js';
import type { TableFragment } from './table-detect.js';
import { buildGrid, continuesTable } from './table-grid.js';

export interface PageLayout {
  page: number;
  height: number;
  lines: Line[];
  tables: TableFragment[];
}

type Item = { kind: 'line'; line: Line; page: number } | { kind: 'table'; frag: TableFragment; page: number };

const PAGE_NUMBER = /^[-－—–―~～_=·•.\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-－—–―~～_=·•.\s]*$/;

/** A page number printed in the top or bottom margin. */
export function isFurniture(line: Line, pageHeight: number): boolean {
  if (!PAGE_NUMBER.test(line.text)) return false;
  return line.base > pageHeight * 0.85 || line.base < pageHeight * 0.12;
}

function lineTop(l: Line): number {
  return l.base - l.fs * 0.85;
}

export function assemble(pages: readonly PageLayout[], warnings: ParseWarning[]): Block[] {
  // 1. Reading order per page: top to bottom (reports are single-column).
  const items: Item[] = [];
  for (const p of pages) {
    const pageItems: { top: number; item: Item }[] = [];
    for (const line of p.lines) {
      if (isFurniture(line, p.height)) continue;
      pageItems.push({ top: lineTop(line), item: { kind: 'line', line, page: p.page } });
    }
    for (const frag of p.tables) pageItems.push({ top: frag.top, item: { kind: 'table', frag, page: p.page } });
    pageItems.sort((a, b) => a.top - b.top);
    for (const pi of pageItems) items.push(pi.item);
  }

  const rightMargin = typicalRightEdge(pages);
  const blocks: Block[] = [];
  let tableIndex = 0;
  let i = 0;
  while (i < items.length) {
    const it = items[i];
    if (it.kind === 'table') {
      // 2. Collect the fragments of one table across page breaks.
      const frags = [it.frag];
      let j = i + 1;
      while (j < items.length) {
        const nx = items[j];
        const last = frags[frags.length - 1];
        if (nx.kind !== 'table' || !continuesTable(last, nx.frag)) break;
        frags.push(nx.frag);
        j++;
      }
      blocks.push(makeTable(frags, tableIndex++, warnings));
      i = j;
      continue;
    }
    // 3. Collect the lines of one paragraph.
    const para: Line[] = [it.line];
    let j = i + 1;
    while (j < items.length) {
      const nx = items[j];
      if (nx.kind !== 'line' || !continuesParagraph(para[para.length - 1], nx.line, rightMargin)) break;
      para.push(nx.line);
      j++;
    }
    const text = joinLines(para.map((l) => l.text));
    if (text) {
      // Lines read by OCR say so, so a figure stated in them does too.
      const conf = para.flatMap((l) => l.runs).filter((r) => r.ocr).map((r) => r.ocr!.confidence);
      blocks.push(conf.length ? { kind: 'text', text, page: para[0].page, ocr: { confidence: Math.min(...conf) } } : { kind: 'text', text, page: para[0].page });
    }
    i = j;
  }
  return blocks;
}

function makeTable(frags: TableFragment[], index: number, warnings: ParseWarning[]): TableBlock {
  const { rows, droppedHeaderRows } = buildGrid(frags);
  const page = frags[0].page;
  if (frags.length > 1) {
    warnings.push({
      code: 'table_joined_across_pages',
      message: `table ${index} continues over pages ${frags.map((f) => f.page).join(', ')}; fragments joined by matching column lines`,
      at: { page, table: index },
    });
  }
  if (droppedHeaderRows > 0) {
    warnings.push({
      code: 'table_header_repeat_dropped',
      message: `table ${index}: ${droppedHeaderRows} repeated header row(s) at a page break removed`,
      at: { page, table: index },
    });
  }
  const irregular = frags.reduce((s, f) => s + f.irregularCells, 0);
  if (irregular > 0) {
    warnings.push({
      code: 'table_irregular_cells',
      message: `table ${index}: ${irregular} cell(s) bounded by non-rectangular borders; used their bounding box`,
      at: { page, table: index },
    });
  }
  return { kind: 'table', rows, index, page };
}

/** The right edge full-width lines reach: the body text's right margin. */
function typicalRightEdge(pages: readonly PageLayout[]): number {
  const rights: number[] = [];
  for (const p of pages) for (const l of p.lines) if (l.text.length >= 8) rights.push(l.right);
  if (rights.length === 0) return Infinity;
  rights.sort((a, b) => a - b);
  return rights[Math.floor(rights.length * 0.9)];
}

function continuesParagraph(prev: Line, next: Line, rightMargin: number): boolean {
  // Lines with column gaps are rows of something tabular, one block each.
  if (prev.text.includes('\t') || next.text.includes('\t')) return false;
  const fs = Math.max(prev.fs, next.fs);
  if (Math.abs(prev.fs - next.fs) > 0.2 * fs) return false;
  // The previous line must run to the right margin: a short line ends its
  // paragraph — unless a Latin word or number too long to fit ("19.6%") was
  // wrapped onto the next line, leaving a gap of its width.
  const wrappedWord = /^[\x21-\x7e]+/.exec(next.text)?.[0].length ?? 0;
  if (prev.right < rightMargin - 1.5 * fs - wrappedWord * 0.6 * fs) return false;
  // An indented line starts a new paragraph.
  if (next.x > prev.x + 0.5 * fs) return false;
  if (next.page === prev.page) {
    const step = next.base - prev.base;
    return step > 0 && step <= 2.4 * fs;
  }
  // Across a page break: only from the end of one page to the next.
  return next.page === prev.page + 1;
}

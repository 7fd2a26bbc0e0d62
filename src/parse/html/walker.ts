// The single pass over the parsed DOM. It turns the whole page into an
// ordered list of paragraphs and table grids and, on the way, gathers what
// the later steps need so nothing has to look at the DOM again: per-element
// content statistics (for finding the article among the site chrome),
// <meta>/<title>, headings and attachment links.
//
// Every block gets an ordinal (its position in document order) and every
// element records the ordinals it spans, so "the blocks of element X" is a
// range test instead of a second traversal. The walk is iterative: malformed
// pages can nest thousands of unclosed tags, deeper than the JS stack.
import type { GridCell } from '../types.ts';
import { DROPPED, HEADING, TEMPLATE_ATTRS, ATTACHMENT_RE, IMAGE_LINK_RE, containerRank, isInline } from './tags.ts';
import { countHan, finishText, hasVisibleText } from './text.ts';
import { expandGrid, isReportTable, parseSpan, type RawCell } from './table.ts';

/** The parts of a domhandler node we use (cheerio does not re-export its types). */
export interface DomNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  data?: string;
  parent?: DomNode | null;
}

export interface RawTextBlock {
  kind: 'text';
  text: string;
  ordinal: number;
  /** Han characters outside / inside links, for the body scoring. */
  han: number;
  linkHan: number;
}

export interface RawTableBlock {
  kind: 'table';
  rows: GridCell[][];
  ordinal: number;
  han: number;
  report: boolean;
  padded: number[];
}

export type RawBlock = RawTextBlock | RawTableBlock;

/** Content statistics of one block-level element, for body selection. */
export interface ElementStats {
  node: DomNode;
  depth: number;
  /** Pre-order number, and the first number after the subtree: descendant tests in O(1). */
  seq: number;
  seqEnd: number;
  /** Ordinal range [start, end) of the blocks inside the element. */
  start: number;
  end: number;
  /** Sum of block weights: long prose and report tables count up, link lists and short chrome lines count down. */
  score: number;
  /** Han characters outside links. */
  han: number;
  /** Han characters inside links. */
  linkHan: number;
  reportTables: number;
  images: number;
  /** Rank as a known CMS content container (0 = most specific), -1 if none. */
  rank: number;
}

export interface Heading {
  level: number;
  text: string;
  ordinal: number;
}

export interface WalkResult {
  blocks: RawBlock[];
  /** Block-level elements with their statistics, in pre-order; data-table internals excluded. */
  elements: ElementStats[];
  /** The <body> element's stats (or the root's, for documents without one). */
  body: ElementStats;
  metaTags: Array<{ key: string; content: string }>;
  titleTag?: string;
  headings: Heading[];
  attachments: Array<{ href: string; ordinal: number }>;
  /** <img> sources and links to image files, each with an ordinal of its own so body ranges and block order place it. */
  images: Array<{ src: string; ordinal: number; link?: boolean }>;
  tableOrdinals: number[];
}

/** A cell longer than this is a layout box holding the article, not a statistics cell. */
const LAYOUT_CELL_CHARS = 300;
/** What a short paragraph costs in the body score: navigation is many short lines. */
const BLOCK_COST = 8;
/** Bonus that makes a report table outweigh any amount of chrome around it. */
const REPORT_TABLE_BONUS = 300;

interface Sink {
  blocks: RawBlock[];
  pieces: string[];
  ordinal: number;
  han: number;
  linkHan: number;
}

interface CellState {
  rowspan: number;
  colspan: number;
  sink: Sink;
}

interface TableState {
  ordinal: number;
  rows: CellState[][];
  nested: boolean;
  /** Index into `elements` where this table's internals start (dropped for data tables). */
  elementsMark: number;
}

interface Frame {
  node: DomNode;
  next: number;
  /** What to undo on exit. */
  kind: 'block' | 'inline' | 'link' | 'table' | 'row' | 'cell' | 'heading' | 'title';
  stats?: ElementStats;
  parentStats?: ElementStats;
  headingLevel?: number;
}

function newSink(): Sink {
  return { blocks: [], pieces: [], ordinal: -1, han: 0, linkHan: 0 };
}

/** Walk the document from `root` (a domhandler Document or Element). */
export function walkDocument(root: DomNode): WalkResult {
  const elements: ElementStats[] = [];
  const metaTags: Array<{ key: string; content: string }> = [];
  const headings: Heading[] = [];
  const attachments: Array<{ href: string; ordinal: number }> = [], images: WalkResult['images'] = [];
  const tableOrdinals: number[] = [];
  let titleTag: string | undefined;
  let ordinal = 0;
  let seq = 0;
  let linkDepth = 0;
  let titleDepth = 0;
  let bodyStats: ElementStats | undefined;

  const rootStats: ElementStats = { node: root, depth: 0, seq: 0, seqEnd: 0, start: 0, end: 0, score: 0, han: 0, linkHan: 0, reportTables: 0, images: 0, rank: -1 };
  elements.push(rootStats);
  let stats = rootStats;

  const sinks: Sink[] = [newSink()];
  let sink = sinks[0];
  const tables: TableState[] = [];

  /** End the current paragraph: its text becomes a block if it has any. */
  const flush = (): void => {
    if (sink.pieces.length === 0) return;
    const text = finishText(sink.pieces.join(''));
    if (text) {
      sink.blocks.push({ kind: 'text', text, ordinal: sink.ordinal, han: sink.han, linkHan: sink.linkHan });
      stats.score += sink.han - 2 * sink.linkHan - BLOCK_COST;
    }
    sink.pieces = [];
    sink.ordinal = -1;
    sink.han = 0;
    sink.linkHan = 0;
  };

  const addText = (data: string): void => {
    if (titleDepth > 0) {
      titleTag = (titleTag ?? '') + data;
      return;
    }
    if (!hasVisibleText(data)) {
      // Whitespace only separates words inside a paragraph; at its start it is nothing.
      if (sink.pieces.length > 0) sink.pieces.push(' ');
      return;
    }
    if (sink.ordinal < 0) sink.ordinal = ordinal++;
    sink.pieces.push(data);
    const han = countHan(data);
    if (linkDepth > 0) {
      sink.linkHan += han;
      stats.linkHan += han;
    } else {
      sink.han += han;
      stats.han += han;
    }
  };

  const openStats = (node: DomNode, depth: number, rank: number): ElementStats => {
    const s: ElementStats = { node, depth, seq: ++seq, seqEnd: 0, start: ordinal, end: ordinal, score: 0, han: 0, linkHan: 0, reportTables: 0, images: 0, rank };
    elements.push(s);
    return s;
  };

  const closeStats = (s: ElementStats, parent: ElementStats): void => {
    s.end = ordinal;
    s.seqEnd = seq + 1;
    parent.score += s.score;
    parent.han += s.han;
    parent.linkHan += s.linkHan;
    parent.reportTables += s.reportTables;
    parent.images += s.images;
  };

  /** A finished <table>: a grid block, or (layout table) its cells' contents in order. */
  const finishTable = (t: TableState, tableStats: ElementStats): void => {
    // Layout tables: those holding other tables, a single cell (a frame
    // around content) or a cell with article-length text.
    let cells = 0;
    for (const row of t.rows) cells += row.length;
    let layout = t.nested || cells <= 1;
    if (!layout) {
      outer: for (const row of t.rows) {
        for (const cell of row) {
          let len = 0;
          for (const b of cell.sink.blocks) if (b.kind === 'text') len += b.text.length;
          if (len > LAYOUT_CELL_CHARS) {
            layout = true;
            break outer;
          }
        }
      }
    }
    if (layout) {
      for (const row of t.rows) for (const cell of row) for (const b of cell.sink.blocks) sink.blocks.push(b);
      return;
    }
    // Data table: its internals are not candidates for the article body, and
    // its weight is the table's, not that of the paragraphs inside its cells.
    elements.length = t.elementsMark;
    const rawRows: RawCell[][] = t.rows.map((row) =>
      row.map((cell) => ({
        text: finishText(cell.sink.blocks.map((b) => (b.kind === 'text' ? b.text : '')).join(' ')),
        rowspan: cell.rowspan,
        colspan: cell.colspan,
      })),
    );
    const grid = expandGrid(rawRows);
    let han = 0;
    for (const row of grid.rows) for (const c of row) if (c.origin) han += countHan(c.text);
    if (han === 0 && !grid.rows.some((row) => row.some((c) => c.text !== ''))) {
      tableStats.score = 0;
      tableStats.han = 0;
      return; // spacer or empty layout table: nothing to read
    }
    const report = isReportTable(grid.rows);
    sink.blocks.push({ kind: 'table', rows: grid.rows, ordinal: t.ordinal, han, report, padded: grid.padded });
    tableOrdinals.push(t.ordinal);
    tableStats.score = han + (report ? REPORT_TABLE_BONUS : 0);
    tableStats.han = han;
    tableStats.reportTables = report ? 1 : 0;
  };

  const frames: Frame[] = [];
  const enter = (node: DomNode): void => {
    const name = node.name ?? '';
    const attribs = node.attribs ?? {};
    const depth = frames.length + 1;
    if (name === 'meta') {
      const key = attribs.name ?? attribs.property ?? attribs['http-equiv'] ?? attribs.itemprop;
      if (key && attribs.content !== undefined) metaTags.push({ key, content: attribs.content });
      return;
    }
    if (name === 'title') {
      // Only the first <title>: later ones are stray copies from server-side includes.
      if (titleTag !== undefined) return;
      titleTag = '';
      titleDepth++;
      frames.push({ node, next: 0, kind: 'title' });
      return;
    }
    if (name === 'br' || name === 'hr') {
      flush();
      return;
    }
    if (name === 'img') {
      stats.images++;
      if (attribs.src?.trim()) images.push({ src: attribs.src.trim(), ordinal: ordinal++ });
      return;
    }
    if (DROPPED.has(name) || name === 'head') {
      if (name === 'head') {
        // <head> holds <meta> and <title> but no content: walk it without stats.
        frames.push({ node, next: 0, kind: 'inline' });
      }
      return;
    }
    for (const a of TEMPLATE_ATTRS) if (a in attribs) return;

    if (name === 'a') {
      const href = attribs.href;
      if (href && ATTACHMENT_RE.test(href)) attachments.push({ href, ordinal });
      else if (href && IMAGE_LINK_RE.test(href)) images.push({ src: href.trim(), ordinal: ordinal++, link: true });
      linkDepth++;
      frames.push({ node, next: 0, kind: 'link' });
      return;
    }
    if (isInline(name)) {
      frames.push({ node, next: 0, kind: 'inline' });
      return;
    }

    // Block-level from here on: paragraph boundary, and its own statistics.
    flush();
    const parentStats = stats;
    if (name === 'table') {
      const s = openStats(node, depth, containerRank(name, attribs));
      if (tables.length > 0) tables[tables.length - 1].nested = true;
      tables.push({ ordinal: ordinal++, rows: [], nested: false, elementsMark: elements.length });
      stats = s;
      frames.push({ node, next: 0, kind: 'table', stats: s, parentStats });
      return;
    }
    const s = openStats(node, depth, containerRank(name, attribs));
    if (name === 'body' && !bodyStats) bodyStats = s;
    stats = s;
    const t = tables[tables.length - 1];
    if (t && name === 'tr') {
      t.rows.push([]);
      frames.push({ node, next: 0, kind: 'row', stats: s, parentStats });
      return;
    }
    if (t && (name === 'td' || name === 'th')) {
      if (t.rows.length === 0) t.rows.push([]);
      const cell: CellState = { rowspan: parseSpan(attribs.rowspan, true), colspan: parseSpan(attribs.colspan, false), sink: newSink() };
      t.rows[t.rows.length - 1].push(cell);
      sinks.push(cell.sink);
      sink = cell.sink;
      frames.push({ node, next: 0, kind: 'cell', stats: s, parentStats });
      return;
    }
    if (HEADING.has(name)) {
      frames.push({ node, next: 0, kind: 'heading', stats: s, parentStats, headingLevel: Number(name[1]) });
      return;
    }
    frames.push({ node, next: 0, kind: 'block', stats: s, parentStats });
  };

  const exit = (f: Frame): void => {
    switch (f.kind) {
      case 'title':
        titleDepth--;
        return;
      case 'inline':
        return;
      case 'link':
        linkDepth--;
        return;
      default:
        break;
    }
    flush();
    if (f.kind === 'heading') {
      const last = sink.blocks[sink.blocks.length - 1];
      if (last && last.kind === 'text' && last.ordinal >= f.stats!.start) {
        headings.push({ level: f.headingLevel!, text: last.text, ordinal: last.ordinal });
      }
    }
    if (f.kind === 'cell') {
      sinks.pop();
      sink = sinks[sinks.length - 1];
    }
    if (f.kind === 'table') {
      const t = tables.pop()!;
      finishTable(t, f.stats!);
    }
    closeStats(f.stats!, f.parentStats!);
    stats = f.parentStats!;
  };

  // Iterative depth-first traversal with explicit enter/exit.
  frames.push({ node: root, next: 0, kind: 'inline' });
  while (frames.length > 0) {
    const top = frames[frames.length - 1];
    const children = top.node.children;
    if (!children || top.next >= children.length) {
      frames.pop();
      exit(top);
      continue;
    }
    const child = children[top.next++];
    if (child.type === 'text') addText(child.data ?? '');
    else if (child.type === 'tag' || child.type === 'script' || child.type === 'style') enter(child);
    // comments (incl. Word's <!--[if …]> conditionals), directives and CDATA carry no content
  }
  flush();
  // A table left open by a truncated page still counts.
  while (tables.length > 0) finishTable(tables.pop()!, rootStats);
  rootStats.end = ordinal;
  rootStats.seqEnd = seq + 1;

  return {
    blocks: sinks[0].blocks,
    elements,
    body: bodyStats ?? rootStats,
    metaTags,
    titleTag: titleTag === undefined ? undefined : finishText(titleTag),
    headings,
    attachments, images, tableOrdinals,
  };
}

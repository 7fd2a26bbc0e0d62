// Finding the report among the site chrome of a full article page.
//
// Two mechanisms, both working on the statistics the walk already gathered:
//  1. Known CMS content containers (TRS_Editor, UCAP content, article_content,
//     zoom …), trusted when they hold a fair share of the page's text.
//  2. A scoring fallback: every paragraph adds its Han characters minus a
//     fixed cost (and minus twice its link text), every report table adds a
//     large bonus; the element with the highest sum is the article. Menus,
//     breadcrumbs, share bars and related-link lists are many short or
//     linked lines, so they pull any element that includes them down.
// Whatever is chosen, report tables outside it are added back: losing a
// table loses the numbers, while an extra table is only noise.
import type { ElementStats, WalkResult } from './walker.ts';

export interface BodySelection {
  /** Ordinal range of the body's blocks. */
  start: number;
  end: number;
  /** How it was found, for the record. */
  via: 'container' | 'scoring' | 'whole';
  /** Ordinals of report tables outside the range that were kept anyway. */
  extraTables: number[];
}

/** A known container must hold at least this share of the best-scoring element's text. */
const CONTAINER_MIN_SHARE = 0.5;
/** Link text (in Han characters) from which a page is taken to have site navigation. */
const MIN_CHROME_LINK_HAN = 30;
/** A tighter scored element inside the container replaces it if it keeps this share. */
const TIGHTER_MIN_SHARE = 0.9;

function isDescendant(e: ElementStats, ancestor: ElementStats): boolean {
  return e.seq > ancestor.seq && e.seq < ancestor.seqEnd;
}

function better(a: ElementStats, b: ElementStats | undefined): boolean {
  if (!b) return true;
  if (a.score !== b.score) return a.score > b.score;
  return a.depth > b.depth; // same content: the tighter element
}

function inBody(e: ElementStats, body: ElementStats): boolean {
  return e === body || isDescendant(e, body);
}

export function selectBody(w: WalkResult, whole = false): BodySelection {
  const body = w.body;
  const all: BodySelection = { start: body.start, end: body.end, via: 'whole', extraTables: [] };
  if (whole) return all;

  // 2. the scoring winner (computed first: the containers are checked against it).
  // Only on pages with navigation: without links there is no site chrome to
  // cut away (fragments, converted documents, bare pages), and on short texts
  // the per-paragraph cost would cut real paragraphs instead.
  let scored: ElementStats | undefined;
  if (body.linkHan >= MIN_CHROME_LINK_HAN) {
    for (const e of w.elements) {
      if (e.score > 0 && e.end > e.start && better(e, scored) && inBody(e, body)) scored = e;
    }
  }

  // 1. known containers, most specific rank first, then by score
  let known: ElementStats | undefined;
  const totalReport = body.reportTables;
  const minHan = (scored ?? body).han * CONTAINER_MIN_SHARE;
  for (const e of w.elements) {
    if (e.rank < 0 || e.end <= e.start || e.han <= 0) continue;
    const holdsTables = totalReport > 0 && e.reportTables === totalReport;
    if (e.han < minHan && !holdsTables) continue;
    if (!inBody(e, body)) continue;
    if (!known || e.rank < known.rank || (e.rank === known.rank && better(e, known))) known = e;
  }

  let chosen: ElementStats | undefined;
  let via: BodySelection['via'] = 'scoring';
  if (known) {
    chosen = known;
    via = 'container';
    // A container that also wraps share bars or related links: the scored
    // element inside it is the same text without them.
    if (
      scored &&
      scored !== known &&
      isDescendant(scored, known) &&
      scored.han >= known.han * TIGHTER_MIN_SHARE &&
      scored.reportTables === known.reportTables
    ) {
      chosen = scored;
    }
  } else if (scored) {
    chosen = scored;
  }
  if (!chosen || (chosen === body && via === 'scoring')) return all;

  const sel: BodySelection = { start: chosen.start, end: chosen.end, via, extraTables: [] };
  for (const b of w.blocks) {
    if (b.kind === 'table' && b.report && (b.ordinal < sel.start || b.ordinal >= sel.end) && b.ordinal >= body.start && b.ordinal < body.end) {
      sel.extraTables.push(b.ordinal);
    }
  }
  return sel;
}

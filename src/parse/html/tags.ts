// Element classification for the DOM walk. Kept as plain sets so the walk
// does one hash lookup per element instead of running selectors.

/**
 * Inline elements: text inside them continues the current paragraph. Every
 * other element (including unknown ones like UCAP's <ucapcontent>) starts and
 * ends a paragraph. Namespaced Word tags (<o:p>, <st1:chsdate>, <w:sdt>) are
 * treated as inline by the caller.
 */
export const INLINE = new Set([
  'a', 'abbr', 'acronym', 'b', 'bdi', 'bdo', 'big', 'blink', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font',
  'i', 'ins', 'kbd', 'label', 'mark', 'nobr', 'q', 'rb', 'rp', 'rt', 'ruby', 's', 'samp', 'small', 'span',
  'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr', 'img',
]);

/**
 * Elements whose content is never report text: code, styling, embedded
 * objects, form controls (option lists are navigation menus on these sites),
 * and Word's XML islands.
 */
export const DROPPED = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg',
  'math', 'canvas', 'audio', 'video', 'select', 'option', 'optgroup', 'datalist', 'textarea', 'button', 'input',
  'map', 'xml', 'link', 'base', 'param', 'source', 'track',
]);

/**
 * Attributes that mark an unrendered client-side template (avalon, vue,
 * angular repeaters): the raw markup is a pattern, never content.
 */
export const TEMPLATE_ATTRS = ['ms-for', 'ms-repeat', 'ms-each', 'ms-with', 'v-for', 'ng-repeat', 'x-for'];

export function isInline(name: string): boolean {
  return INLINE.has(name) || name.includes(':');
}

export const HEADING = new Set(['h1', 'h2', 'h3', 'h4']);

/**
 * Content containers of the CMSs that publish these reports, most specific
 * first (rank 0). TRS, UCAP and Hanweb editors wrap exactly the article
 * body; the generic names of the later ranks also occur as page wrappers, so
 * the selection code checks their content before trusting them.
 */
const CLASS_RANKS: Array<[string[], number]> = [
  [['trs_editor', 'ucap-content', 'bt-article', 'article-con', 'wp_articlecontent', 'trs_word', 'trs_web', 'trs_paper_default', 'ewb-article-info', 'zwgk_content'], 0],
  [['article_content', 'article-content', 'articlecontent', 'zoom', 'pages_content', 'view', 'news_content', 'news-content', 'detail_content', 'detail-content', 'con_content', 'main-txt', 'contenttext', 'text_content', 'xxgk_content', 'art_con', 'artcon', 'arti_con', 'gk_content', 'info_content', 'zwxq-content'], 1],
  [['content', 'con', 'article', 'detail', 'main_content', 'main-content', 'bd'], 2],
];
const ID_RANKS: Array<[string[], number]> = [
  [['ucap-content', 'ucapcontent', 'zoom', 'zoomcon', 'fontzoom', 'trs_editor', 'art_content', 'barrierfree_container_content'], 0],
  [['article_content', 'article-content', 'content_text', 'contenttext', 'textcontent', 'newscontent', 'infocontent', 'vsb_content'], 1],
  [['content', 'main', 'article', 'detail'], 2],
];
/** Custom elements some CMSs wrap the article in. */
const TAG_RANKS = new Map<string, number>([
  ['ucapcontent', 0],
  ['article', 2],
  ['main', 2],
]);

const CLASS_RANK = new Map<string, number>();
for (const [names, rank] of CLASS_RANKS) for (const n of names) CLASS_RANK.set(n, rank);
const ID_RANK = new Map<string, number>();
for (const [names, rank] of ID_RANKS) for (const n of names) ID_RANK.set(n, rank);

/** Rank of an element as a known content container, or -1. Case-insensitive (Zoom, TRS_Editor). */
export function containerRank(name: string, attribs: Record<string, string>): number {
  let best = TAG_RANKS.get(name) ?? -1;
  const id = attribs.id;
  if (id) {
    const r = ID_RANK.get(id.toLowerCase());
    if (r !== undefined && (best < 0 || r < best)) best = r;
  }
  const cls = attribs.class;
  if (cls) {
    for (const token of cls.split(/\s+/)) {
      if (!token) continue;
      const r = CLASS_RANK.get(token.toLowerCase());
      if (r !== undefined && (best < 0 || r < best)) best = r;
    }
  }
  return best;
}

/** Links to documents that may be the report itself (the page only announces it). */
/** Links to image files: attachments that are pictures (scanned pages, table images). */
export const IMAGE_LINK_RE = /\.(jpe?g|png|gif|bmp|tiff?|webp)(?:[?#].*)?$/i;

export const ATTACHMENT_RE = /\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z)(?:[?#].*)?$/i;

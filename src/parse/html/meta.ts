// Page metadata and the document title. CMSs publish the article's title,
// date and column in <meta> tags (TRS: ArticleTitle, PubDate, ColumnName;
// some TRS templates misspell Description as "Desctiption"); these are more
// reliable than the <title>, which carries the site name as a suffix.
import type { Heading, RawBlock } from './walker.ts';
import { finishText } from './text.ts';

/** Meta names we keep, by lower-cased name → the key used in DocModel.meta. */
const KEPT: Record<string, string> = {
  articletitle: 'ArticleTitle',
  pubdate: 'PubDate',
  publishdate: 'PubDate',
  firstpublishedtime: 'PubDate',
  columnname: 'ColumnName',
  columntype: 'ColumnType',
  description: 'Description',
  desctiption: 'Description',
  keywords: 'Keywords',
  sitename: 'SiteName',
  sitedomain: 'SiteDomain',
  author: 'Author',
  contentsource: 'ContentSource',
  url: 'Url',
};

/** Collect the interesting <meta> tags; the first non-empty value of a key wins. */
export function collectMeta(tags: Array<{ key: string; content: string }>): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const { key, content } of tags) {
    const k = key.trim().toLowerCase();
    const name = k.startsWith('og:') ? k : KEPT[k];
    if (!name || name in meta) continue;
    const value = finishText(content);
    if (value) meta[name] = value;
  }
  return meta;
}

const YEAR = /(19|20)\d{2}|[二〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{3}/;

/** "…年度报告_XX市人民政府" → "…年度报告": keep the part that names the report. */
export function stripSiteSuffix(title: string): string {
  const parts = title
    .split(/\s*(?:\s[-_|｜–—]+\s|[_|｜]+|(?<!\d)-{1,2}(?!\d)|——|—|–)\s*/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length <= 1) return title.trim();
  return parts.find((p) => /报告|年报/.test(p)) ?? parts[0];
}

/** A paragraph that is the report's title line: short, names a year and a report. */
function titleLike(text: string): boolean {
  const t = text.replace(/[\s。．.:：]+$/, '');
  return t.length >= 8 && t.length <= 80 && /报告$|年报$/.test(t) && YEAR.test(t) && !/^(根据|本|现|按照|依据)/.test(t);
}

/**
 * Title: ArticleTitle; else a heading in the body (or the last report-naming
 * heading just before it, where CMSs put the <h1>); else a title line among
 * the first paragraphs; else <title> without the site suffix; else og:title.
 */
export function chooseTitle(
  meta: Record<string, string>,
  headings: Heading[],
  bodyBlocks: RawBlock[],
  range: { start: number; end: number },
  titleTag: string | undefined,
): string | undefined {
  if (meta.ArticleTitle) return meta.ArticleTitle;
  const inBody = headings.filter((h) => h.ordinal >= range.start && h.ordinal < range.end && h.text.length <= 100);
  const named = inBody.find((h) => /报告|年报/.test(h.text));
  if (named) return named.text;
  const before = headings.filter((h) => h.ordinal < range.start && /报告|年报/.test(h.text) && h.text.length <= 100);
  if (before.length > 0) return before[before.length - 1].text;
  let seen = 0;
  for (const b of bodyBlocks) {
    if (b.kind !== 'text') continue;
    if (titleLike(b.text)) return b.text.replace(/[\s。．.]+$/, '');
    if (++seen >= 5) break;
  }
  if (inBody.length > 0 && inBody[0].level <= 2) return inBody[0].text;
  if (titleTag) return stripSiteSuffix(titleTag);
  return meta['og:title'];
}

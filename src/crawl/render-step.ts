// When the crawl renders a page in the headless browser, and what it takes
// from the result. Rendering is the exception: a list page is rendered only
// when the static path found no report link on it, a report page only when
// its body is empty without scripts (or a config says `render: true`), and a
// single-page-app route (`…#/xxgk/nb/detail/12`) always, since without
// scripts every route is the same empty shell.
import type { ListApi } from '../archive/run-records.ts';
import type { RenderResult } from '../fetch/renderer.ts';
import { findPaginationLinks, pageIsReportBody } from './discover.ts';
import { reportItems, type FollowUps } from './follow-ups.ts';
import { requestKey, type FrontierItem } from './frontier.ts';
import { renderedAttachments, renderedLinks, responseLinks } from './render-discovery.ts';
import type { SiteConfig } from './site-config.ts';

/** Most further pages followed by clicking 下一页 on one rendered list page. */
export const MAX_JS_PAGES = 50;

/** The record key of a page's rendered DOM, beside the raw page's own record (`POST …` keys follow the same style). */
export const renderedKey = (key: string, page = 0): string => `RENDERED ${key}${page ? ` page ${page + 1}` : ''}`;

/** Why this fetched page should be rendered, or undefined. */
export function renderReason(
  site: SiteConfig,
  item: FrontierItem,
  page: { html?: string; text?: string; plainReport?: boolean },
  follow: FollowUps,
): string | undefined {
  if (site.render === false || page.html === undefined || page.plainReport) return undefined;
  if (item.method === 'POST' || item.page?.mode === 'json-api' || follow.isShell) return undefined;
  if (item.kind === 'list') {
    if (site.render === true) return 'config says render';
    return follow.items.some((i) => i.kind !== 'list') ? undefined : 'no report links without scripts';
  }
  if (item.kind === 'report') {
    if (follow.isList || follow.attachments > 0 || pageIsReportBody(page.html, page.text)) return undefined;
    return 'report body empty without scripts';
  }
  return undefined;
}

export interface RenderedFollowUps {
  items: FrontierItem[];
  attachments: number;
  apis: ListApi[];
}

/** Report links (rendered DOM and API responses) of a rendered list page; attachments of a rendered report page. */
export function renderedFollowUps(site: SiteConfig, item: FrontierItem, r: RenderResult): RenderedFollowUps {
  const base = r.pages[0]?.url ?? item.url;
  const links = renderedLinks(r.pages);
  const get = (it: Omit<FrontierItem, 'key'>): FrontierItem => ({ ...it, key: requestKey(it.url) });
  if (item.kind === 'list') {
    const titleRe = new RegExp(site.reports.titlePattern);
    const excludeRe = site.reports.excludePattern ? new RegExp(site.reports.excludePattern) : undefined;
    const fromApis = responseLinks(r.responses, base, (t) => titleRe.test(t) && !excludeRe?.test(t));
    const items = reportItems(site, [...links, ...fromApis.links], item.url);
    // Static-style paging links that only appeared after scripts ran (the clicked ones are already in r.pages).
    for (const u of findPaginationLinks(links.filter((l) => !l.url.includes('#')), base)) {
      if (u !== item.url) items.push(get({ url: u, kind: 'list', from: item.url }));
    }
    return { items: dedupe(items), attachments: 0, apis: fromApis.apis };
  }
  if (!site.attachments.download) return { items: [], attachments: 0, apis: [] };
  const atts = renderedAttachments(links, site.attachments.extensions);
  return { items: dedupe(atts.map((l) => get({ url: l.url, kind: 'attachment', listTitle: item.listTitle, from: item.url }))), attachments: atts.length, apis: [] };
}

function dedupe(items: FrontierItem[]): FrontierItem[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.key) && seen.add(i.key));
}

/** The DOM to keep as the page's document: for a list, every JS page; for a report, the last state. */
export function isRenderedReport(r: RenderResult): boolean {
  const last = r.pages[r.pages.length - 1];
  return last !== undefined && pageIsReportBody(last.html);
}

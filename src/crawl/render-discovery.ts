// Discovery on what the headless browser saw (src/fetch/renderer.ts): links
// in the rendered DOM, including single-page-app routes whose fragment names
// a page (`index.html#/xxgk/nb/detail/12`), and report links in the JSON or
// XML responses of the page's own requests. A JSON response that lists
// reports is also described as an endpoint — URL, method, parameters, which
// parameter turned the page, where the items, titles, URLs and total are — so
// `crawl --suggest-config` can write a config that calls it directly.
// Pure functions over data: no I/O, no browser.
import type { ListApi } from '../archive/run-records.ts';
import type { CapturedResponse, RenderedPage } from '../fetch/renderer.ts';
import { ATTACHMENT_EXTENSIONS, extractLinks, hanwebRecordsHtml, type Link } from './discover.ts';

/** A fragment that is a route (`#/…`, `#!/…`) names a page of a single-page app; any other fragment is a place in a page. */
export function isRouteUrl(url: string): boolean {
  const i = url.indexOf('#');
  return i >= 0 && /^#!?\//.test(url.slice(i));
}

function normalise(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    if (!/^#!?\//.test(u.hash)) u.hash = '';
    return u.href;
  } catch {
    return undefined;
  }
}

/** Links of every rendered page (after each JS page turn), routes kept, duplicates dropped. */
export function renderedLinks(pages: RenderedPage[]): Link[] {
  const seen = new Set<string>();
  const out: Link[] = [];
  for (const p of pages) {
    for (const l of p.links) {
      const url = normalise(l.url);
      if (!url || seen.has(url + '\u0000' + l.text)) continue;
      seen.add(url + '\u0000' + l.text);
      out.push({ url, text: l.text, title: l.title });
    }
  }
  return out;
}

/**
 * Attachments of a rendered page: by the URL's extension as on static pages,
 * and also by the link's label, since REST download URLs
 * (`…/downloadZtbAttach.jspx?attachGuid=…`) carry no extension.
 */
export function renderedAttachments(links: Link[], extensions: string[] = ATTACHMENT_EXTENSIONS): Link[] {
  const ext = new RegExp(`\\.(${extensions.join('|')})$`, 'i');
  const byLabel = new RegExp(`\\.(${extensions.join('|')})\\s*(\\(|（|$)`, 'i');
  return links.filter((l) => {
    try {
      if (ext.test(new URL(l.url).pathname)) return true;
    } catch {
      return false;
    }
    return byLabel.test(l.text) || (l.title !== undefined && byLabel.test(l.title));
  });
}

const stripTags = (s: string) => s.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
const LOOKS_LIKE_URL = /^(https?:\/\/|\/|\.{1,2}\/)\S*$|^[\w./-]+\.(s?html?|jsp|aspx?|php|pdf|docx?)(\?\S*)?$/i;
const PAGE_NAME = /^(page|pageNo|pageNum|pageIndex|pageindex|currentPage|curPage|page_no|pn|p|start|startrecord|pageNumber)$/i;
const SIZE_NAME = /^(size|pageSize|pagesize|page_size|rows|limit|perpage|perPage|pageCount|num|ps)$/i;
const TOTAL_NAME = /^(total|totalCount|totalcount|totalRecord|totalrecord|count|recordCount|totalElements|totalNum|rowCount)$/i;

interface ItemArray {
  path: string;
  rows: Record<string, unknown>[];
}

/** Arrays of objects anywhere in a JSON value, with their dotted paths. */
function objectArrays(v: unknown, path = '', out: ItemArray[] = [], depth = 0): ItemArray[] {
  if (depth > 8 || v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    const rows = v.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x));
    if (rows.length && path) out.push({ path, rows });
    return out;
  }
  for (const [k, x] of Object.entries(v)) objectArrays(x, path ? `${path}.${k}` : k, out, depth + 1);
  return out;
}

/** The field of `rows` whose string values most often satisfy `test` (at least once). */
function bestField(rows: Record<string, unknown>[], test: (s: string) => boolean): string | undefined {
  const score = new Map<string, number>();
  for (const r of rows) for (const [k, v] of Object.entries(r)) if (typeof v === 'string' && test(v)) score.set(k, (score.get(k) ?? 0) + 1);
  let best: string | undefined;
  let n = 0;
  for (const [k, c] of score) if (c > n) [best, n] = [k, c];
  return best;
}

/** A numeric field outside the items named like a total, as a dotted path. */
function findTotal(v: unknown, itemsPath: string, path = '', depth = 0): string | undefined {
  if (depth > 6 || v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  for (const [k, x] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    if (p === itemsPath) continue;
    if ((typeof x === 'number' || (typeof x === 'string' && /^\d+$/.test(x))) && TOTAL_NAME.test(k)) return p;
  }
  for (const [k, x] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    const t = p === itemsPath ? undefined : findTotal(x, itemsPath, p, depth + 1);
    if (t) return t;
  }
  return undefined;
}

/** A request's parameters as flat dotted keys: query (GET), form body, or JSON body. */
function requestParams(r: CapturedResponse): { params: Record<string, string>; json?: unknown } {
  const params: Record<string, string> = {};
  const u = new URL(r.url);
  u.searchParams.forEach((v, k) => (params[k] = v));
  if (r.method === 'POST' && r.requestBody) {
    const body = r.requestBody.trim();
    if (/json/i.test(r.requestContentType ?? '') || /^[{[]/.test(body)) {
      try {
        const json = JSON.parse(body) as unknown;
        const flat = (v: unknown, p: string) => {
          if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) flat(x, p ? `${p}.${k}` : k);
          else params[p] = String(v);
        };
        flat(json, '');
        return { params, json };
      } catch {
        /* not JSON after all: read as a form */
      }
    }
    new URLSearchParams(body).forEach((v, k) => (params[k] = v));
  }
  return { params };
}

export interface ResponseLinks {
  links: Link[];
  apis: ListApi[];
}

/**
 * Report links in the page's XHR/fetch responses. `isReportTitle` decides
 * which JSON arrays are report lists; all their rows with a title and a URL
 * become links (the crawl's own filters then apply). Relative URLs resolve
 * against the page, as the page's script would.
 */
export function responseLinks(responses: CapturedResponse[], pageUrl: string, isReportTitle: (t: string) => boolean): ResponseLinks {
  const links: Link[] = [];
  type Seen = { r: CapturedResponse; itemsPath: string; titleField: string; urlField: string; totalPath?: string; json: unknown; n: number };
  const groups = new Map<string, Seen[]>();
  for (const r of responses) {
    if (r.status !== 200) continue;
    const body = r.body.trim();
    if (/json/i.test(r.contentType ?? '') || /^[{[]/.test(body)) {
      let data: unknown;
      try {
        data = JSON.parse(body);
      } catch {
        continue;
      }
      for (const arr of objectArrays(data)) {
        const titleField = bestField(arr.rows, (s) => isReportTitle(stripTags(s)));
        if (!titleField) continue;
        const urlField = bestField(arr.rows, (s) => LOOKS_LIKE_URL.test(s.trim()) && !isReportTitle(s));
        if (!urlField) continue; // ids only: the links come from the rendered DOM
        let n = 0;
        for (const row of arr.rows) {
          const href = row[urlField], title = row[titleField];
          if (typeof href !== 'string' || typeof title !== 'string') continue;
          try {
            links.push({ url: new URL(href.trim(), pageUrl).href, text: stripTags(title) });
            n++;
          } catch {
            /* not a URL after all */
          }
        }
        const key = `${r.method} ${r.url.replace(/\?.*$/, '')} ${arr.path}`;
        const g = groups.get(key) ?? [];
        g.push({ r, itemsPath: arr.path, titleField, urlField, totalPath: findTotal(data, arr.path), json: data, n });
        groups.set(key, g);
      }
    } else if (/xml|html/i.test(r.contentType ?? '') || body.startsWith('<')) {
      // XML list APIs wrap HTML fragments in CDATA (Hanweb's <record>); HTML fragments are read as they are.
      const records = hanwebRecordsHtml(body);
      const markup = records || body.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
      for (const l of extractLinks(markup, pageUrl)) links.push(l);
    }
  }
  const apis: ListApi[] = [];
  for (const g of groups.values()) apis.push(describeApi(g, pageUrl));
  return { links, apis };

  function describeApi(g: Array<{ r: CapturedResponse; itemsPath: string; titleField: string; urlField: string; totalPath?: string; n: number }>, page: string): ListApi {
    const first = g[0];
    const reqs = g.map((x) => requestParams(x.r));
    const base = new URL(first.r.url);
    // The parameter that changed from one request to the next is the page; else one named like a page.
    const keys = Object.keys(reqs[0].params);
    let pageParam = keys.find((k) => reqs.length > 1 && new Set(reqs.map((q) => q.params[k])).size > 1 && reqs.every((q) => /^\d+$/.test(q.params[k] ?? '')));
    pageParam ??= keys.find((k) => PAGE_NAME.test(k.split('.').pop()!) && /^\d+$/.test(reqs[0].params[k]));
    const sizeParam = keys.find((k) => k !== pageParam && SIZE_NAME.test(k.split('.').pop()!) && /^\d+$/.test(reqs[0].params[k]));
    const api: ListApi = {
      page, url: first.r.method === 'GET' ? base.origin + base.pathname : first.r.url, method: first.r.method === 'POST' ? 'POST' : 'GET',
      itemsPath: first.itemsPath, titleField: first.titleField, urlField: first.urlField, links: g.reduce((s, x) => s + x.n, 0),
    };
    if (reqs[0].json !== undefined) api.jsonBody = reqs[0].json;
    else {
      api.params = { ...reqs[0].params };
      if (first.r.method === 'POST') for (const k of base.searchParams.keys()) delete api.params[k];
    }
    if (pageParam) {
      api.pageParam = pageParam;
      api.pageValues = reqs.map((q) => Number(q.params[pageParam!]));
    }
    if (sizeParam) {
      api.sizeParam = sizeParam;
      api.pageSize = Number(reqs[0].params[sizeParam]);
    }
    if (first.totalPath) api.totalPath = first.totalPath;
    return api;
  }
}

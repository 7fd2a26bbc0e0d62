// Turns one fetched response into the requests it leads to, following the
// site's pagination mode. Pure functions over text: no I/O, so every CMS
// pattern is testable on a string.
import {
  attachmentExtension, extractLinks, findAttachments, pageIsReportBody, findHanwebProxy, findPaginationLinks, findShellTarget, findTrsPages,
  hanwebRecordsHtml, hanwebRequests, isReportLink, linkLabel, type HanwebProxy, type Link,
} from './discover.ts';
import { requestKey, type FrontierItem } from './frontier.ts';
import { expandStartUrls, type SiteConfig } from './site-config.ts';

export interface FollowUps {
  items: FrontierItem[];
  /** The page only redirects elsewhere (meta refresh / location.href). */
  isShell: boolean;
  /** Attachments linked from a report page. */
  attachments: number;
  /** A page reached as a report that turned out to be a list of reports. */
  isList?: boolean;
}

export function isHtmlLike(contentType: string | undefined, bytes: Uint8Array): boolean {
  const ct = (contentType ?? '').toLowerCase();
  if (/html|xml|json|text\/plain/.test(ct)) return true;
  if (ct && !/octet-stream/.test(ct)) return false;
  // No or generic type: sniff. PDFs, OLE2 (.doc/.wps) and zips (.docx/.ofd) are binary.
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.toString('latin1').startsWith('%PDF') || head[0] === 0xd0 || head.toString('latin1').startsWith('PK')) return false;
  return /^\s*(<|\{|\[|\uFEFF)/.test(Buffer.from(bytes.subarray(0, 64)).toString('utf8'));
}

const get = (item: Omit<FrontierItem, 'key'>): FrontierItem => ({ ...item, key: requestKey(item.url, item.method ?? 'GET', item.body) });

function numberedStart(url: string, first: number): number {
  const m = new URL(url).pathname.match(/\/(\d+)\.s?html?$/);
  return m ? Number(m[1]) : first - 1;
}

function jsonApiRequest(site: SiteConfig, n: number): FrontierItem {
  const p = site.pagination;
  if (p.type !== 'json-api') throw new Error('not a json-api site');
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(p.params)) params.set(k, String(v));
  params.set(p.pageParam, String(n));
  if (p.sizeParam) params.set(p.sizeParam, String(p.pageSize));
  const page = { mode: 'json-api' as const, n };
  if (p.method === 'POST' && p.jsonBody) {
    const body = structuredClone(p.jsonBody);
    setDotted(body, p.pageParam, n);
    if (p.sizeParam) setDotted(body, p.sizeParam, p.pageSize);
    return get({ url: p.url, method: 'POST', body: JSON.stringify(body), contentType: 'application/json;charset=UTF-8', kind: 'list', page });
  }
  if (p.method === 'POST') return get({ url: p.url, method: 'POST', body: params.toString(), kind: 'list', page });
  const u = new URL(p.url);
  params.forEach((v, k) => u.searchParams.set(k, v));
  return get({ url: u.href, kind: 'list', page });
}

function setDotted(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== 'object') o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys[keys.length - 1]] = value;
}

function hanwebFromConfig(site: SiteConfig, columnUrl: string, totalFromPage: number): HanwebProxy | undefined {
  const p = site.pagination;
  if (p.type !== 'hanweb-dataproxy') return undefined;
  const total = p.totalRecord ?? totalFromPage;
  const u = new URL(columnUrl);
  return {
    proxyUrl: new URL(p.proxyPath, u.origin).href,
    params: { col: '1', appid: '1', webid: p.webid, path: '/', columnid: p.columnid, sourceContentType: '1', unitid: p.unitid, permissiontype: '0' },
    totalRecord: total,
    perPage: p.perPage,
  };
}

export function seedItems(site: SiteConfig): FrontierItem[] {
  const p = site.pagination;
  if (p.type === 'json-api') return [jsonApiRequest(site, p.firstPage)];
  const out: FrontierItem[] = [];
  for (const url of expandStartUrls(site)) {
    if (p.type === 'index_n') out.push(get({ url, kind: 'list', page: { mode: 'index_n', n: 0 } }));
    else if (p.type === 'numbered') out.push(get({ url, kind: 'list', page: { mode: 'numbered', n: numberedStart(url, p.first) } }));
    else out.push(get({ url, kind: 'list' }));
    const hw = p.type === 'hanweb-dataproxy' && p.totalRecord ? hanwebFromConfig(site, url, 0) : undefined;
    if (hw) for (const r of hanwebRequests(hw)) out.push(get({ url: r.url, method: 'POST', body: r.body, kind: 'list', from: url }));
  }
  return out;
}

function dig(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

export function reportItems(site: SiteConfig, links: Link[], from: string): FrontierItem[] {
  const titleRe = new RegExp(site.reports.titlePattern);
  const urlRe = site.reports.urlPattern ? new RegExp(site.reports.urlPattern) : undefined;
  const excludeRe = site.reports.excludePattern ? new RegExp(site.reports.excludePattern) : undefined;
  const out: FrontierItem[] = [];
  for (const l of links) {
    if (l.url === from || !isReportLink(l, titleRe, urlRe, excludeRe)) continue;
    const isFile = attachmentExtension(l.url, site.attachments.extensions) !== undefined;
    if (isFile && !site.attachments.download) continue;
    out.push(get({ url: l.url, kind: isFile ? 'attachment' : 'report', listTitle: linkLabel(l), from }));
  }
  return out;
}

function listFollowUps(site: SiteConfig, item: FrontierItem, html: string, base: string): FrontierItem[] {
  const p = site.pagination;
  // Hanweb keeps list records inside <script type="text/xml"> CDATA, invisible to an HTML parser.
  const records = hanwebRecordsHtml(html);
  const links = [...extractLinks(html, base), ...(records ? extractLinks(records, base) : [])];
  const reports = reportItems(site, links, base);
  const out = [...reports];
  const list = (url: string, page?: FrontierItem['page']) => get({ url, kind: 'list', from: base, page });
  const isProxyResponse = item.method === 'POST';
  if (p.type === 'none' || isProxyResponse) return out;
  if (p.type === 'auto' || p.type === 'index_n') for (const u of findTrsPages(html, base)) out.push(list(u));
  if (p.type === 'auto') {
    for (const u of findPaginationLinks(links, base)) out.push(list(u));
    const hw = findHanwebProxy(html, base);
    if (hw) for (const r of hanwebRequests(hw)) out.push(get({ url: r.url, method: 'POST', body: r.body, kind: 'list', from: base }));
  }
  if (p.type === 'hanweb-dataproxy' && !p.totalRecord) {
    const total = Number(html.match(/<totalrecord>\s*(\d+)/i)?.[1] ?? 0);
    const hw = hanwebFromConfig(site, base, total);
    if (hw) for (const r of hanwebRequests(hw)) out.push(get({ url: r.url, method: 'POST', body: r.body, kind: 'list', from: base }));
  }
  // Probe the next page only while pages keep yielding reports; a 404 ends it too.
  if (item.page && reports.length > 0 && (p.type === 'index_n' || p.type === 'numbered')) {
    const n = item.page.n + 1;
    const name = p.type === 'index_n' ? `index_${n}.${p.ext}` : `${n}.${p.ext}`;
    out.push(list(new URL(name, new URL('.', base)).href, { mode: item.page.mode, n }));
  }
  return out;
}

function jsonFollowUps(site: SiteConfig, item: FrontierItem, text: string): FrontierItem[] {
  const p = site.pagination;
  if (p.type !== 'json-api' || !item.page) return [];
  const data = JSON.parse(text) as unknown;
  const rows = dig(data, p.itemsPath);
  if (!Array.isArray(rows)) throw new Error(`json-api: "${p.itemsPath}" is not an array in the response; fix pagination.itemsPath`);
  const links: Link[] = [];
  for (const row of rows) {
    const title = String(dig(row, p.titleField) ?? '').replace(/<[^>]+>/g, '').trim();
    const href = dig(row, p.urlField);
    if (typeof href === 'string' && href) links.push({ url: new URL(href, p.url).href, text: title });
  }
  const out = reportItems(site, links, item.url);
  const total = p.totalPath ? Number(dig(data, p.totalPath)) : NaN;
  if (Number.isFinite(total) && item.page.n === p.firstPage) {
    const pages = Math.ceil(total / p.pageSize);
    for (let n = p.firstPage + 1; n < p.firstPage + pages; n++) out.push(jsonApiRequest(site, n));
  } else if (!Number.isFinite(total) && rows.length >= p.pageSize) out.push(jsonApiRequest(site, item.page.n + 1));
  return out;
}

/** `text` is the page markup; `visible` its visible text when the caller already has it. */
export function discoverFollowUps(site: SiteConfig, item: FrontierItem, text: string | undefined, base: string, visible?: string): FollowUps {
  if (text === undefined) return { items: [], isShell: false, attachments: 0 };
  if (item.page?.mode === 'json-api') return { items: jsonFollowUps(site, item, text), isShell: false, attachments: 0 };
  const shell = findShellTarget(text, base, visible);
  if (shell && shell !== base) {
    return { items: [get({ url: shell, kind: item.kind, listTitle: item.listTitle, from: base, page: item.page })], isShell: true, attachments: 0 };
  }
  if (item.kind === 'list') return { items: listFollowUps(site, item, text, base), isShell: false, attachments: 0 };
  if (item.kind === 'report' && !pageIsReportBody(text, visible)) {
    // County sites often title a sub-column like a report ("2023年政府信息公开
    // 工作年度报告" → the list of every department's report): a short page
    // linking several other reports is treated as a list.
    const links = extractLinks(text, base);
    const nested = reportItems(site, links, base);
    if (nested.length >= 2) {
      // Its own attachments still belong to the report that led here.
      const atts = site.attachments.download ? findAttachments(links, site.attachments.extensions) : [];
      const items = [...nested, ...atts.map((l) => get({ url: l.url, kind: 'attachment', listTitle: item.listTitle, from: base }))];
      return { items, isShell: false, attachments: atts.length, isList: true };
    }
  }
  if (item.kind === 'report' && site.attachments.download) {
    // Most report pages carry the report in their body: skip building a DOM
    // unless an attachment extension appears somewhere in the markup.
    const extRe = new RegExp(`\\.(${site.attachments.extensions.join('|')})\\b`, 'i');
    if (!extRe.test(text)) return { items: [], isShell: false, attachments: 0 };
    const atts = findAttachments(extractLinks(text, base), site.attachments.extensions);
    const items = atts.map((l) => get({ url: l.url, kind: 'attachment', listTitle: item.listTitle, from: base }));
    return { items, isShell: false, attachments: atts.length };
  }
  return { items: [], isShell: false, attachments: 0 };
}

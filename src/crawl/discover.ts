// Zero-config discovery on the HTML that Chinese government CMSs produce:
// report links recognised by their titles, pagination (下一页/尾页 links, TRS
// `countPage` + createPageHTML, numbered pages), redirect shells (meta refresh,
// location.href), attachments, and the Hanweb jpage <datastore> embedded list.
import * as cheerio from 'cheerio';
import { visibleText } from '../fetch/block-page.ts';

export interface Link {
  url: string;
  text: string;
  title?: string;
}

/** Titles like "平潭综合实验区2023年政府信息公开工作年度报告", "…2019年度政府信息公开年报". */
export const DEFAULT_REPORT_TITLE = '信息公开.{0,16}(年度报告|年报)|年度报告.{0,6}信息公开|政务公开.{0,8}年度报告|(19|20)\\d{2}\\s*年度?.{0,30}信息公开.{0,8}工作报告';

/** Titles that mention reports but are not one: notices asking for them, outlines, templates, evaluations. */
export const DEFAULT_REPORT_EXCLUDE = '(关于|做好|报送).{0,30}(通知|函)$|的通知|通报|提纲|格式模板|填报说明|考核|评估报告|解读';

export const ATTACHMENT_EXTENSIONS = ['pdf', 'doc', 'docx', 'wps', 'ofd'];

const PAGINATION_TEXT = /^(下一?页|尾页|末页|最后一?页|next|>|»|›|>>)$/i;

/** htmlparser2 instead of parse5: links and their text come out the same, about 3.5x faster on real list pages. */
const LINK_PARSER = { xml: { xmlMode: false, decodeEntities: true } };

export function extractLinks(html: string, base: string): Link[] {
  const $ = cheerio.load(html, LINK_PARSER);
  // A <base href> changes how every relative link resolves.
  const baseHref = $('base[href]').attr('href');
  let baseUrl = base;
  try {
    if (baseHref) baseUrl = new URL(baseHref, base).href;
  } catch {
    /* a broken <base> is ignored, as browsers do */
  }
  const out: Link[] = [];
  $('a[href], area[href]').each((_, el) => {
    const href = $(el).attr('href')!.trim();
    if (!href || /^(javascript:|mailto:|tel:|#)/i.test(href)) return;
    try {
      const u = new URL(href, baseUrl);
      u.hash = '';
      out.push({ url: u.href, text: $(el).text().replace(/\s+/g, ' ').trim(), title: $(el).attr('title')?.trim() });
    } catch {
      /* unparsable href: not a link we can follow */
    }
  });
  return out;
}

export function linkLabel(l: Link): string {
  // TRS lists truncate the text ("…工作年度…") and keep the full title in @title.
  return l.title && l.title.length >= l.text.length ? l.title : l.text;
}

export function isReportLink(l: Link, titleRe: RegExp, urlRe?: RegExp, excludeRe?: RegExp): boolean {
  if (urlRe && !urlRe.test(l.url)) return false;
  const label = linkLabel(l);
  if (excludeRe && excludeRe.test(label)) return false;
  return titleRe.test(label) || (l.title !== undefined && titleRe.test(l.text));
}

export function attachmentExtension(url: string, extensions: string[] = ATTACHMENT_EXTENSIONS): string | undefined {
  let p: string;
  try {
    p = new URL(url).pathname.toLowerCase();
  } catch {
    return undefined;
  }
  const m = p.match(/\.([a-z0-9]+)$/);
  return m && extensions.includes(m[1]) ? m[1] : undefined;
}

export function findAttachments(links: Link[], extensions: string[] = ATTACHMENT_EXTENSIONS): Link[] {
  return links.filter((l) => attachmentExtension(l.url, extensions) !== undefined);
}

/** Target of a redirect shell: <meta http-equiv=refresh> or a script assigning location. */
export function findShellTarget(html: string, base: string, text?: string): string | undefined {
  const meta = html.match(/<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']?\s*\d*\s*;?\s*url\s*=\s*['"]?([^"'>\s]+)/i)
    ?? html.match(/<meta[^>]+content\s*=\s*["']?\s*\d*\s*;\s*url\s*=\s*['"]?([^"'>\s]+)[^>]*http-equiv\s*=\s*["']?refresh/i);
  const script = html.match(/(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']/i)
    ?? html.match(/location\.replace\(\s*["']([^"']+)["']\s*\)/i);
  const target = meta?.[1] ?? script?.[1];
  if (!target) return undefined;
  // Only a page that is mostly the redirect is a shell; a full page with a
  // location.href in some menu script is not.
  if ((text ?? visibleText(html)).length > 400) return undefined;
  try {
    return new URL(target, base).href;
  } catch {
    return undefined;
  }
}

/**
 * Is `visibleText(decoded bytes).length` certainly over `n`? Reads UTF-8 bytes
 * without decoding them, counting only characters visibleText keeps
 * (outside tags, <script> and <style>; whitespace and &nbsp; not counted), so
 * the count is a lower bound and `true` is always right. `false` means "not
 * shown": decode and measure. Markup this scan cannot mirror exactly (<script
 * or <style inside a tag, <script inside <style>) makes it answer `false`.
 */
export function utf8VisibleTextLonger(bytes: Uint8Array, n: number): boolean {
  const len = bytes.length;
  let count = 0;
  let i = 0;
  while (i < len) {
    const b = bytes[i];
    if (b === 0x3c) {
      // '<': a <script>/<style> block (removed up to the first exact close tag), else a tag up to the first '>'.
      const kind = blockAt(bytes, i + 1);
      if (kind) {
        const close = kind === 'script' ? CLOSE_SCRIPT : CLOSE_STYLE;
        const end = indexOfCi(bytes, close, i + 1 + kind.length);
        if (end < 0) return false;
        // visibleText removes scripts before styles: a "<script" inside a style block would change what it removes.
        if (kind === 'style' && indexOfCi(bytes, OPEN_SCRIPT, i + 1, end) >= 0) return false;
        i = end + close.length;
        continue;
      }
      // The tag runs to the first '>' (found natively, not byte by byte).
      const j = bytes.indexOf(0x3e, i + 1);
      if (j < 0) return false;
      // A '<' inside the tag (e.g. `<!-- <a href> -->`) is part of it for visibleText too, unless it opens a <script>/<style> it would remove first.
      for (let k = bytes.indexOf(0x3c, i + 1); k >= 0 && k < j; k = bytes.indexOf(0x3c, k + 1)) if (blockAt(bytes, k + 1)) return false;
      i = j + 1;
      continue;
    }
    if (b === 0x26 && matchesAt(bytes, i, NBSP)) {
      i += NBSP.length;
      continue;
    }
    if (b < 0x80) {
      if (!(b === 0x20 || (b >= 0x09 && b <= 0x0d))) count++;
    } else if (b >= 0xc0) {
      if (!isUtf8Space(bytes, i)) count++;
    } // else a continuation byte: part of a character already counted
    i++;
    if (count > n) return true;
  }
  return false;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const OPEN_SCRIPT = ascii('<script');
const CLOSE_SCRIPT = ascii('</script>');
const CLOSE_STYLE = ascii('</style>');
const NBSP = ascii('&nbsp;');

function blockAt(bytes: Uint8Array, i: number): 'script' | 'style' | undefined {
  if (matchesAt(bytes, i, SCRIPT, true)) return 'script';
  if (matchesAt(bytes, i, STYLE, true)) return 'style';
  return undefined;
}
const SCRIPT = ascii('script');
const STYLE = ascii('style');

function matchesAt(bytes: Uint8Array, i: number, pat: Uint8Array, ci = false): boolean {
  if (i + pat.length > bytes.length) return false;
  for (let k = 0; k < pat.length; k++) {
    let c = bytes[i + k];
    if (ci && c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== pat[k]) return false;
  }
  return true;
}

/** First case-insensitive match of `pat` (which starts with '<') in [from, to). */
function indexOfCi(bytes: Uint8Array, pat: Uint8Array, from: number, to = bytes.length): number {
  for (let i = bytes.indexOf(pat[0], from); i >= 0 && i + pat.length <= to; i = bytes.indexOf(pat[0], i + 1)) if (matchesAt(bytes, i, pat, true)) return i;
  return -1;
}

/**
 * Does the markup mention a file with one of these extensions (".pdf" and so
 * on, any case, not followed by a letter, digit or "_")? The same answer as
 * /\.(ext|…)\b/i on the bytes read as latin1, found by jumping from dot to
 * dot instead of building a string. `exts`: lower-case ASCII.
 */
export function mentionsExtension(bytes: Uint8Array, exts: readonly string[]): boolean {
  const pats = exts.map(ascii);
  for (let i = bytes.indexOf(0x2e); i >= 0; i = bytes.indexOf(0x2e, i + 1)) {
    for (const p of pats) {
      if (!matchesAt(bytes, i + 1, p, true)) continue;
      const next = bytes[i + 1 + p.length];
      if (next === undefined || !isWordByte(next)) return true;
    }
  }
  return false;
}

const isWordByte = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;

/** The non-ASCII characters JavaScript's \s matches, as UTF-8: U+00A0, U+1680, U+2000–200A, U+2028/9, U+202F, U+205F, U+3000, U+FEFF. */
function isUtf8Space(b: Uint8Array, i: number): boolean {
  const b0 = b[i], b1 = b[i + 1], b2 = b[i + 2];
  if (b0 === 0xc2) return b1 === 0xa0;
  if (b0 === 0xe1) return b1 === 0x9a && b2 === 0x80;
  if (b0 === 0xe2) return (b1 === 0x80 && ((b2 >= 0x80 && b2 <= 0x8a) || b2 === 0xa8 || b2 === 0xa9 || b2 === 0xaf)) || (b1 === 0x81 && b2 === 0x9f);
  if (b0 === 0xe3) return b1 === 0x80 && b2 === 0x80;
  if (b0 === 0xef) return b1 === 0xbb && b2 === 0xbf;
  return false;
}

/** Pagination links by their label: 下一页, 尾页, or a bare page number pointing to the same column. */
export function findPaginationLinks(links: Link[], base: string): string[] {
  const dir = new URL('.', base).href;
  const out = new Set<string>();
  for (const l of links) {
    const label = l.text.replace(/[[\]【】\s]/g, '');
    const sameColumn = l.url.startsWith(dir);
    if (PAGINATION_TEXT.test(label) || (/^\d{1,4}$/.test(label) && sameColumn)) {
      if (sameColumn || new URL(l.url).host === new URL(base).host) out.add(l.url);
    }
  }
  return [...out];
}

/**
 * TRS static lists print `var countPage = 7;` and `createPageHTML(7, 0, "index", "html")`:
 * pages are index.html, index_1.html … index_6.html in the list's folder.
 */
export function findTrsPages(html: string, base: string): string[] {
  // Arguments are literals or the script's own variables: createPageHTML(countPage, currentPage, "index", "htm").
  const call = html.match(/createPageHTML\(\s*(\w+)\s*,\s*(\w+)\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']/);
  const countVar = html.match(/\b(?:var\s+)?(?:countPage|pageCount|totalPage|page_count)\s*=\s*["']?(\d+)/i);
  const count = call && /^\d+$/.test(call[1]) ? Number(call[1]) : countVar ? Number(countVar[1]) : 0;
  if (count <= 1) return [];
  const stem = call?.[3] ?? 'index';
  const basePath = new URL(base).pathname;
  const ext = call?.[4] ?? (basePath.match(/\.(s?html?)$/)?.[1] ?? 'html');
  const dir = new URL('.', base);
  const pages: string[] = [new URL(`${stem}.${ext}`, dir).href];
  for (let i = 1; i < count; i++) pages.push(new URL(`${stem}_${i}.${ext}`, dir).href);
  return pages;
}

export interface HanwebProxy {
  proxyUrl: string;
  params: Record<string, string>;
  totalRecord: number;
  perPage: number;
}

/**
 * Hanweb jcms column pages embed their first records in
 * `<script type="text/xml"><datastore>…<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?…">]]></nextgroup>`
 * and the jpage script fetches the rest by POSTing to dataproxy.jsp with
 * startrecord/endrecord/perpage.
 */
export function findHanwebProxy(html: string, base: string): HanwebProxy | undefined {
  if (!/<datastore>/i.test(html)) return undefined;
  const next = html.match(/<nextgroup>\s*<!\[CDATA\[\s*<a[^>]+href=["']([^"']*dataproxy\.jsp[^"']*)["']/i);
  const total = html.match(/<totalrecord>\s*(\d+)\s*<\/totalrecord>/i) ?? html.match(/totalRecord\s*[:=]\s*(\d+)/i);
  const perPage = html.match(/perPage\s*[:=]\s*["']?(\d+)/i) ?? html.match(/<perpage>\s*(\d+)/i);
  if (!next) return undefined;
  const u = new URL(next[1].replace(/&amp;/g, '&'), base);
  const params: Record<string, string> = {};
  u.searchParams.forEach((v, k) => {
    if (k !== 'page') params[k] = v;
  });
  return { proxyUrl: u.origin + u.pathname, params, totalRecord: total ? Number(total[1]) : 0, perPage: perPage ? Number(perPage[1]) : 15 };
}

/** POST bodies for the dataproxy pages after the first (the first is embedded). jpage asks for 3 pages per call. */
export function hanwebRequests(p: HanwebProxy, recordsPerCall = p.perPage * 3): Array<{ url: string; body: string }> {
  const out: Array<{ url: string; body: string }> = [];
  for (let start = 1; start <= p.totalRecord; start += recordsPerCall) {
    const end = Math.min(p.totalRecord, start + recordsPerCall - 1);
    const q = new URLSearchParams({ startrecord: String(start), endrecord: String(end), perpage: String(p.perPage) });
    out.push({ url: `${p.proxyUrl}?${q}`, body: new URLSearchParams(p.params).toString() });
  }
  return out;
}

/** The HTML fragments inside <record><![CDATA[…]]></record>, joined so links can be read from them. */
export function hanwebRecordsHtml(xml: string): string {
  const parts: string[] = [];
  for (const m of xml.matchAll(/<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/gi)) parts.push(m[1]);
  return parts.join('\n');
}

/** Is this HTML page the report itself (its body is the report) rather than a wrapper around an attachment? */
export function pageIsReportBody(html: string, text = visibleText(html)): boolean {
  return /<table/i.test(html) ? text.length > 500 : text.length > 1500;
}

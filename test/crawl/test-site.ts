// A local imitation of Chinese government CMS sites on 127.0.0.1 (ephemeral
// port), one route per real-world pattern or fault. It serves the real
// reports from ../shared/corpus/reports, read at test time (never copied into
// the repo), and logs every request with timestamps so tests can check
// politeness from the server's side.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';

export const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus/reports');
export const corpus = (name: string): Buffer => readFileSync(path.join(CORPUS, name));

export interface LoggedRequest {
  method: string;
  path: string;
  host: string;
  start: number;
  end?: number;
  status?: number;
  /** The client hung up before the response was complete (the server only notices later). */
  aborted?: boolean;
}

export interface TestSite {
  origin: string;
  port: number;
  log: LoggedRequest[];
  maxInFlight: number;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string, hit: number) => void;

export const html = (title: string, body: string, charset = 'utf-8') =>
  `<!DOCTYPE html><html><head><meta charset="${charset}"><title>${title}</title></head><body>${body}</body></html>`;

/** A corpus text report wrapped in a page, as a CMS would render it. */
export const textReport = (file: string, title: string) => html(title, `<div class="TRS_Editor"><h1>${title}</h1><pre>${corpus(file).toString('utf8').replace(/</g, '&lt;')}</pre></div>`);

export const li = (href: string, title: string) => `<li><a href="${href}" title="${title}" target="_blank">${title.slice(0, 12)}…</a><span>2024-01-20</span></li>`;

export function send(res: http.ServerResponse, body: string | Buffer, type = 'text/html; charset=utf-8', status = 200, headers: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': type, 'content-length': String(buf.length), ...headers });
  res.end(buf);
}

/** Every report a full crawl of the test site must find, by path. */
export const EXPECTED_REPORTS = {
  trs: ['/trs/202403/t20240308_87885.htm', '/trs/202202/t20220208_80613.htm', '/trs/202001/t20200120_80576.htm', '/trs/202501/P020250120.pdf', '/trs/202501/P020250120_tpl.docx', '/trs/202501/P020250120_sh.doc', '/trs/202401/sy_2ecfb31a.shtml', '/trs/201301/t20130117_gbk.htm'],
  hanweb: ['/art/2024/1/22/art_1229_1.html', '/art/2024/1/22/art_1229_2.html', '/art/2024/1/22/art_1229_3.html', '/art/2024/1/22/art_1229_4.html'],
  json: ['/jsonsite/c1/content.html', '/jsonsite/c2/content.html', '/jsonsite/c3/content.html'],
  faults: ['/faults/r429.html', '/faults/r500.html', '/faults/timeout.html', '/faults/reset.html', '/faults/truncated.html'],
};

function routes(): Map<string, Handler> {
  const r = new Map<string, Handler>();
  const trsList = (page: number, items: string) =>
    html('政府信息公开年报', `<ul class="list">${items}</ul><a href="/">首页</a><a href="/trs/news.html">平潭要闻</a><script>var currentPage = ${page};var countPage = 3;createPageHTML(countPage, currentPage, "index", "html");</script>`);
  // TRS column: index.html, index_1.html, index_2.html (count from countPage).
  r.set('/trs/', (_q, s) => send(s, trsList(0, li('./202403/t20240308_87885.htm', '平潭综合实验区2023年政府信息公开工作年度报告') + li('./202202/t20220208_80613.htm', '平潭综合实验区2021年政府信息公开工作年度报告'))));
  r.set('/trs/index.html', r.get('/trs/')!);
  r.set('/trs/index_1.html', (_q, s) => send(s, trsList(1, li('./202001/t20200120_80576.htm', '平潭综合实验区2019年政府信息公开工作年度报告') + li('./202501/t20250120_1.html', '淮安市人民政府2024年政府信息公开工作年度报告'))));
  r.set('/trs/index_2.html', (_q, s) => send(s, trsList(2, li('./202401/shell.html', '沭阳县发展和改革局2023年政府信息公开年度报告') + li('./201301/t20130117_gbk.htm', '平潭县人民政府2012年政府信息公开工作年度报告') + li('./news1.html', '平潭召开会议'))));
  r.set('/trs/202403/t20240308_87885.htm', (_q, s) => send(s, corpus('2023_pingtan_zongheshiyanqu.html')));
  r.set('/trs/202202/t20220208_80613.htm', (_q, s) => send(s, corpus('2021_pingtan_zongheshiyanqu.html')));
  r.set('/trs/202001/t20200120_80576.htm', (_q, s) => send(s, corpus('2019_pingtan_zongheshiyanqu.html')));
  // Report page that is only a wrapper around its attachments.
  r.set('/trs/202501/t20250120_1.html', (_q, s) => send(s, html('淮安市人民政府2024年政府信息公开工作年度报告', '<p>附件：<a href="./P020250120.pdf">淮安市人民政府2024年政府信息公开工作年度报告.pdf</a> <a href="./P020250120_tpl.docx">格式模板.docx</a> <a href="./P020250120_sh.doc">上海市人民政府办公厅2019年报（Word 97）.doc</a></p>')));
  // The Shanghai report as a Word 97 .doc (test/fixtures/doc: made from the corpus DOCX), as sites attach them.
  r.set('/trs/202501/P020250120_sh.doc', (_q, s) => send(s, readFileSync(path.join(import.meta.dirname, '../fixtures/doc/2019_shanghai_shizhengfubangongting.rerendered.doc')), 'application/msword'));
  r.set('/trs/202501/P020250120.pdf', (q, s) => q.headers['if-none-match'] === '"pdf-v1"' ? (s.writeHead(304, { etag: '"pdf-v1"' }), s.end()) : send(s, corpus('2024_huaian_shizhengfu.pdf'), 'application/pdf', 200, { etag: '"pdf-v1"', 'last-modified': 'Mon, 20 Jan 2025 08:00:00 GMT' }));
  r.set('/trs/202501/P020250120_tpl.docx', (_q, s) => send(s, corpus('template_2021_geshimoban_govnianbao.docx'), 'application/octet-stream'));
  // Meta-refresh shell in front of a UCAP page, then a location.href shell.
  r.set('/trs/202401/shell.html', (_q, s) => send(s, '<html><head><meta http-equiv="refresh" content="0;url=./shell2.html"></head><body></body></html>'));
  r.set('/trs/202401/shell2.html', (_q, s) => send(s, '<html><body><script>window.location.href="/trs/202401/sy_2ecfb31a.shtml";</script></body></html>'));
  r.set('/trs/202401/sy_2ecfb31a.shtml', (_q, s) => send(s, corpus('2023_shuyang_fagaiju.html')));
  // GBK page: charset only in <meta>, none in the header.
  r.set('/trs/201301/t20130117_gbk.htm', (_q, s) => send(s, iconv.encode(textReport('2012_pingtan_xianrenminzhengfu.txt', '平潭县人民政府2012年政府信息公开工作年度报告').replace('charset="utf-8"', 'charset="gb2312"'), 'gbk'), 'text/html'));

  // Hanweb jcms column: first records embedded in <datastore>, the rest via POST dataproxy.jsp.
  const hwTitles = ['东湖街道2023年政府信息公开工作年度报告', '上海市人民政府办公厅2019年政府信息公开工作年度报告', '中卫市审计局2020年政府信息公开工作年度报告', '上海市科委2024年政府信息公开工作年度报告'];
  const hwRecord = (i: number) => `<record><![CDATA[<li><a href="/art/2024/1/22/art_1229_${i}.html" title="${hwTitles[i - 1]}">${hwTitles[i - 1]}</a></li>]]></record>`;
  r.set('/col/col1229/index.html', (_q, s) =>
    send(s, html('年报', `<div id="555"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid=1229&unitid=555&webname=test&permissiontype=0"></a>]]></nextgroup><recordset>${hwRecord(1)}${hwRecord(2)}</recordset></datastore></script></div><script>$('#555').jpage({dataStore: dataStore, perPage: 2, totalRecord: 4, proxyUrl: '/module/web/jpage/dataproxy.jsp'});</script><span><totalrecord>4</totalrecord></span>`)));
  r.set('/module/web/jpage/dataproxy.jsp', (q, s, body) => {
    const form = new URLSearchParams(body);
    const u = new URL(q.url!, 'http://x');
    if (q.method !== 'POST' || form.get('columnid') !== '1229' || form.get('unitid') !== '555') return send(s, 'bad request', 'text/plain', 400);
    const from = Number(u.searchParams.get('startrecord')), to = Number(u.searchParams.get('endrecord'));
    let recs = '';
    for (let i = from; i <= Math.min(to, 4); i++) recs += hwRecord(i);
    send(s, `<?xml version="1.0" encoding="utf-8"?><datastore><totalrecord>4</totalrecord><recordset>${recs}</recordset></datastore>`, 'text/xml; charset=utf-8');
  });
  r.set('/art/2024/1/22/art_1229_1.html', (_q, s) => send(s, textReport('2016_pingtan_zongheshiyanqu.txt', hwTitles[0])));
  r.set('/art/2024/1/22/art_1229_2.html', (_q, s) => send(s, html(hwTitles[1], corpus('2019_shanghai_shizhengfubangongting.html').toString('utf8'))));
  r.set('/art/2024/1/22/art_1229_3.html', (_q, s) => send(s, textReport('2020_zhongwei_shenjiju.md', hwTitles[2])));
  r.set('/art/2024/1/22/art_1229_4.html', (_q, s) => send(s, textReport('2024_shanghai_kewei_pdf2md-conversion.md', hwTitles[3])));

  // JSON list API (chinatax-style POST getFileListByCodeId).
  const jsonItems = [
    { titleHtml: '<em>平潭</em>地方税务局2013年政府信息公开工作年度报告', url: '/jsonsite/c1/content.html', file: '2013_pingtan_difangshuiwuju.txt' },
    { titleHtml: '平潭综合实验区2016年政府信息公开工作年度报告', url: '/jsonsite/c2/content.html', file: '2016_pingtan_zongheshiyanqu.txt' },
    { titleHtml: '平潭综合实验区2017年政府信息公开工作年度报告', url: '/jsonsite/c3/content.html', file: '2017_pingtan_zongheshiyanqu.txt' },
  ];
  r.set('/api/getFileListByCodeId', (q, s, body) => {
    const form = new URLSearchParams(body);
    const page = Number(form.get('page')), size = Number(form.get('size'));
    if (form.get('channelId') !== 'abc123') return send(s, '{"error":"channel"}', 'application/json', 400);
    const results = jsonItems.slice((page - 1) * size, page * size).map(({ titleHtml, url }) => ({ titleHtml, url, publishedTimeStr: '2024-01-20' }));
    send(s, JSON.stringify({ results: { data: { results, total: jsonItems.length } } }), 'application/json;charset=UTF-8');
  });
  for (const it of jsonItems) r.set(it.url, (_q, s) => send(s, textReport(it.file, it.titleHtml.replace(/<[^>]+>/g, ''))));

  // Faults, listed on a GBK-encoded list page (charset in the header only).
  const faultLinks = [['r429', '测试429'], ['r500', '测试500'], ['timeout', '测试超时'], ['reset', '测试重置'], ['truncated', '测试截断'], ['loop', '测试重定向循环'], ['blocked', '测试拦截页'], ['waf412', '测试412拦截'], ['waf521', '测试521挑战'], ['huge', '测试超大响应']]
    .map(([p, t]) => li(`/faults/${p}.html`, `${t}：2023年政府信息公开工作年度报告`)).join('') + li('/private/secret.html', '内部：2023年政府信息公开工作年度报告');
  r.set('/faults/index.html', (_q, s) => send(s, iconv.encode(html('年报', `<ul>${faultLinks}</ul>`), 'gbk'), 'text/html; charset=GBK'));
  const ok = (s: http.ServerResponse) => send(s, textReport('2017_pingtan_zongheshiyanqu.txt', '平潭综合实验区2017年政府信息公开工作年度报告'));
  r.set('/faults/r429.html', (_q, s, _b, hit) => (hit === 1 ? send(s, 'slow down', 'text/plain', 429, { 'retry-after': '1' }) : ok(s)));
  r.set('/faults/r500.html', (_q, s, _b, hit) => (hit <= 2 ? send(s, 'oops', 'text/plain', 500) : ok(s)));
  r.set('/faults/timeout.html', (_q, s, _b, hit) => (hit === 1 ? setTimeout(() => s.destroyed || ok(s), 3000) : ok(s)));
  r.set('/faults/reset.html', (q, s, _b, hit) => (hit === 1 ? q.socket.destroy() : ok(s)));
  r.set('/faults/truncated.html', (_q, s, _b, hit) => {
    if (hit > 1) return ok(s);
    s.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': '50000' });
    s.write('<html><body>政府信息公开工作年度报告'.repeat(20));
    setTimeout(() => s.socket?.destroy(), 50);
  });
  r.set('/faults/loop.html', (_q, s) => send(s, '', 'text/plain', 302, { location: '/faults/loop2.html' }));
  r.set('/faults/loop2.html', (_q, s) => send(s, '', 'text/plain', 301, { location: '/faults/loop.html' }));
  r.set('/faults/blocked.html', (_q, s) => send(s, html('访问受限', '<h1>访问受限</h1><p>您的访问频率过高，请稍后再试。</p>')));
  // Bot defences that refuse with an error status (test pages in the style of 瑞数's 412 bootstrap and a 521 cookie challenge; no real site's code).
  r.set('/faults/waf412.html', (_q, s) => send(s, `<html><head><meta charset="utf-8"><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=1;</script><script src="/test-challenge.js"></script></head><body></body></html>`, 'text/html', 412));
  r.set('/faults/waf521.html', (_q, s) => send(s, `<html><body><script>document.cookie='__test_clearance=1;path=/';location.href=location.pathname+location.search</script></body></html>`, 'text/html', 521));
  r.set('/faults/huge.html', (_q, s) => {
    s.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < 4 * 1024 * 1024 && !s.destroyed) {
        sent += chunk.length;
        if (!s.write(chunk)) return void s.once('drain', pump);
      }
      s.end();
    };
    pump();
  });
  r.set('/private/secret.html', (_q, s) => ok(s));
  r.set('/robots.txt', (_q, s) => send(s, 'User-agent: *\nDisallow: /private/\nCrawl-delay: 0.25\n', 'text/plain'));
  return r;
}

/**
 * A mirror of 平潭综合实验区's real TRS column (www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/)
 * with its real article URLs, served at the same paths, for --map tests.
 */
export const PINGTAN_ARTICLES: Array<[string, string, string]> = [
  ['202403/t20240308_87885.htm', '2023_pingtan_zongheshiyanqu.html', '平潭综合实验区2023年政府信息公开工作年度报告'],
  ['202202/t20220208_80613.htm', '2021_pingtan_zongheshiyanqu.html', '平潭综合实验区2021年政府信息公开工作年度报告'],
  ['202001/t20200120_80576.htm', '2019_pingtan_zongheshiyanqu.html', '平潭综合实验区2019年政府信息公开工作年度报告'],
  ['201801/t20180123_80506.htm', '2017_pingtan_zongheshiyanqu.txt', '平潭综合实验区2017年度政府信息公开工作年度报告'],
  ['201701/t20170118_80485.htm', '2016_pingtan_zongheshiyanqu.txt', '平潭综合实验区2016年度政府信息公开工作年度报告'],
  ['201402/t20140225_80774.htm', '2013_pingtan_difangshuiwuju.txt', '平潭综合实验区地方税务局2013年政府信息公开工作年度报告'],
  ['201301/t20130117_80725.htm', '2012_pingtan_xianrenminzhengfu.txt', '平潭县人民政府2012年政府信息公开工作年度报告'],
];

export function pingtanMirror(): Map<string, Handler> {
  const base = '/zwgk/zfxxgk/zfxxgknb/';
  const r = new Map<string, Handler>();
  const page = (n: number, items: Array<[string, string, string]>) =>
    html('政府信息公开年报_平潭综合实验区', `<div class="list"><ul>${items.map(([href, , t], i) =>
      // The real column mixes relative links and absolute links to its own host.
      li(i === 0 && n === 1 ? `https://www.pingtan.gov.cn${base}${href}` : `./${href}`, t)).join('')}</ul></div><script>var currentPage = ${n};var countPage = 2;createPageHTML(countPage, currentPage, "index", "htm");</script>`);
  r.set(base, (_q, s) => send(s, page(0, PINGTAN_ARTICLES.slice(0, 4))));
  r.set(`${base}index.htm`, r.get(base)!);
  r.set(`${base}index_1.htm`, (_q, s) => send(s, page(1, PINGTAN_ARTICLES.slice(4))));
  for (const [href, file, title] of PINGTAN_ARTICLES) {
    r.set(base + href, (_q, s) => send(s, file.endsWith('.txt') ? textReport(file, title) : corpus(file)));
  }
  return r;
}

export async function startTestSite(extra: Map<string, Handler> = new Map()): Promise<TestSite> {
  const table = routes();
  for (const [k, v] of extra) table.set(k, v);
  const hits = new Map<string, number>();
  const log: LoggedRequest[] = [];
  let inFlight = 0;
  const site: TestSite = { origin: '', port: 0, log, maxInFlight: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const entry: LoggedRequest = { method: req.method!, path: req.url!, host: req.headers.host ?? '', start: Date.now() };
    log.push(entry);
    inFlight++;
    site.maxInFlight = Math.max(site.maxInFlight, inFlight);
    res.on('close', () => {
      inFlight--;
      entry.end = Date.now();
      entry.status = res.statusCode;
      entry.aborted = !res.writableFinished;
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const p = new URL(req.url!, 'http://x').pathname;
      const h = table.get(p);
      const key = `${req.method} ${req.url}`;
      const hit = (hits.get(key) ?? 0) + 1;
      hits.set(key, hit);
      if (!h) return send(res, 'not found', 'text/plain', 404);
      h(req, res, Buffer.concat(chunks).toString('utf8'), hit);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.port = (server.address() as AddressInfo).port;
  site.origin = `http://127.0.0.1:${site.port}`;
  site.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return site;
}

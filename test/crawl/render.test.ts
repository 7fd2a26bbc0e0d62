// Zero-config crawls of JavaScript-rendered CMS imitations (js-site.ts) with
// the headless browser: every report found, parsed and stored as a document,
// non-reports skipped, and the per-host delay kept between every two requests
// the server saw — the browser's included. The browser is the one
// findBrowser gives (CHROMIUM_PATH, a system or Playwright Chromium, else the
// one shipped in @sparticuz/chromium), as for the server's end-to-end tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.ts';
import { crawlSite } from '../../src/crawl/crawler.ts';
import type { RunReport } from '../../src/crawl/run-report.ts';
import { MemorySink } from '../../src/crawl/sink.ts';
import { adHocConfig, type SiteConfig } from '../../src/crawl/site-config.ts';
import { suggestConfig } from '../../src/crawl/suggest-config.ts';
import { parseDocument } from '../../src/parse/index.ts';
import { tempData, testContext } from './helpers.ts';
import { JS_EXPECTED } from './js-site.ts';
import { jsSiteRoutes } from './js-site.ts';
import { startTestSite, type TestSite } from './test-site.ts';

let site: TestSite;
const data = tempData();
const jsqSink = new MemorySink();
const spaSink = new MemorySink();
let jsq: RunReport, spa: RunReport, trs: RunReport;
let logFrom = 0, logTo = 0;
let suggested: SiteConfig | undefined;
let direct: RunReport;
let directLog: string[] = [];

beforeAll(async () => {
  site = await startTestSite(jsSiteRoutes());
  const ctx = testContext(data, { render: true, delayMs: 150 });
  try {
    logFrom = site.log.length;
    jsq = await crawlSite(ctx, adHocConfig(`${site.origin}/jsq/zfxxgknb/index.html`), { sink: jsqSink });
    spa = await crawlSite(ctx, adHocConfig(`${site.origin}/spa/index.html#/xxgk/nb`), { sink: spaSink });
    logTo = site.log.length;
    trs = await crawlSite(ctx, { ...adHocConfig(`${site.origin}/trs/index.html`), id: 'static-trs' }, { sink: new MemorySink() });
  } finally {
    await ctx.close();
  }
  // The config --suggest-config writes from the run, crawled without a browser.
  suggested = suggestConfig({ ...adHocConfig(`${site.origin}/jsq/zfxxgknb/index.html`), id: 'jsq-direct' }, jsq);
  const plain = testContext(data, { delayMs: 0 });
  const before = site.log.length;
  try {
    direct = await crawlSite(plain, suggested!, { sink: new MemorySink() });
  } finally {
    await plain.close();
  }
  directLog = site.log.slice(before).map((r) => `${r.method} ${r.path}`);
}, 300_000);
afterAll(() => site?.close());

const paths = (urls: string[]) => urls.map((u) => u.slice(site.origin.length));

describe('zero-config crawl of JavaScript-rendered sites', () => {
  it('finds every report of the Epoint-style platform: POSTed JSON list, onclick paging, XHR bodies, a REST download', () => {
    const found = paths(jsq.reportUrls);
    for (const p of [...JS_EXPECTED.jsq, JS_EXPECTED.jsqAttachment]) expect(found, p).toContain(p);
    expect(jsq.errors).toEqual({});
    expect(jsq.rendered!.pages).toBeGreaterThanOrEqual(1 + JS_EXPECTED.jsq.length + 1);
  });

  it('finds every report of the hash-routed single-page app', () => {
    expect(paths(spa.reportUrls).sort()).toEqual([...JS_EXPECTED.spa].sort());
    expect(spa.errors).toEqual({});
  });

  it('skips the non-reports in the lists (a notice, news, a work plan)', () => {
    const asked = site.log.slice(logFrom, logTo).map((r) => r.path);
    for (const id of JS_EXPECTED.nonReports) expect(asked.filter((p) => p.includes(`infoid=${id}`) || p.includes(`id=${id}`))).toEqual([]);
  });

  it('parses each rendered report and the attachment as the report it is', async () => {
    const docs = [...jsqSink.docs, ...spaSink.docs];
    expect(docs.length).toBe(JS_EXPECTED.jsq.length + 1 + JS_EXPECTED.spa.length);
    for (const d of docs) {
      const r = await parseDocument(d.bytes, { url: d.finalUrl, contentType: d.contentType });
      expect(r.year, d.url).toBeGreaterThanOrEqual(2012);
      expect(r.values.length + r.narrative.length, d.url).toBeGreaterThan(0);
    }
    const pdf = jsqSink.docs.find((d) => d.kind === 'attachment')!;
    expect((await parseDocument(pdf.bytes, { url: pdf.finalUrl, contentType: pdf.contentType })).source.format).toBe('pdf');
  });

  it('archives the rendered DOM marked as rendered, beside the raw shell', () => {
    const recs = [...new Archive(`${data}/archive`).records()];
    const detail = `${site.origin}${JS_EXPECTED.jsq[0]}`;
    expect(recs.some((r) => r.url === detail && !r.rendered)).toBe(true);
    expect(recs.some((r) => r.url === detail && r.rendered && r.key.startsWith('RENDERED '))).toBe(true);
  });

  it('keeps the per-host delay between every two requests, the browser\'s included, one at a time, nothing but what the text needs', () => {
    const log = site.log.slice(logFrom, logTo).sort((a, b) => a.start - b.start);
    for (let i = 1; i < log.length; i++) {
      // robots.txt's Crawl-delay (0.25 s) is larger than the configured 150 ms.
      expect(log[i].start - log[i - 1].end!, `${log[i - 1].path} → ${log[i].path}`).toBeGreaterThanOrEqual(245);
    }
    expect(site.maxInFlight).toBe(1);
    expect(log.some((r) => /\.(css|png)$/.test(r.path))).toBe(false);
    // Scripts are asked for once per crawl, not once per rendered page.
    expect(log.filter((r) => r.path === '/jsq/js/detail.js').length).toBe(1);
  });

  it('names the JSON list endpoint and its paging parameter in the run report', () => {
    const api = jsq.listApis!.find((a) => a.url.endsWith('/getPageInfoListNew'))!;
    expect(api).toMatchObject({ method: 'POST', pageParam: 'params.pageIndex', pageValues: [0, 1, 2], sizeParam: 'params.pageSize', pageSize: 3, itemsPath: 'custom.infodata', titleField: 'title', urlField: 'infourl', totalPath: 'custom.count' });
  });

  it('never renders where the static path finds the reports', () => {
    expect(trs.reportUrls.length).toBeGreaterThan(3);
    expect(trs.rendered).toBeUndefined();
  });

  it('suggests a config that lists the reports from the JSON API directly, without a browser', () => {
    expect(suggested!.pagination).toMatchObject({ type: 'json-api', method: 'POST', pageParam: 'params.pageIndex', firstPage: 0, itemsPath: 'custom.infodata', urlField: 'infourl', totalPath: 'custom.count' });
    const found = paths(direct.reportUrls);
    for (const p of JS_EXPECTED.jsq) expect(found, p).toContain(p);
    expect(directLog.filter((l) => l.startsWith('POST /EpointWebBuilder/rest/frontAppCustomAction/getPageInfoListNew')).length).toBe(3);
    expect(directLog.some((l) => l.includes('/jsq/zfxxgknb/index.html') || l.endsWith('.js'))).toBe(false);
    expect(direct.rendered).toBeUndefined();
  });
});

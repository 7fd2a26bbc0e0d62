import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/common/charset.ts';
import { crawlSite } from '../../src/crawl/crawler.ts';
import type { RunReport } from '../../src/crawl/run-report.ts';
import { MemorySink } from '../../src/crawl/sink.ts';
import { parseSiteConfig } from '../../src/crawl/site-config.ts';
import { parseDocument } from '../../src/parse/index.ts';
import { tempData, testContext } from './helpers.ts';
import { EXPECTED_REPORTS, html, li, send, startTestSite, textReport, type Handler, type TestSite } from './test-site.ts';

let site: TestSite;
const data = tempData();
const sink = new MemorySink();
let first: RunReport;

const config = () => parseSiteConfig({
  id: 'local-test', publisher: { name: '测试' }, cms: 'other', verified: false,
  startUrls: [`${site.origin}/trs/index.html`, `${site.origin}/col/col1229/index.html`, `${site.origin}/faults/index.html`, `${site.origin}/changing/index.html`],
  politeness: { delayMs: 150 },
});

// A report the publisher edits between crawls (no validators): the re-crawl must see it as changed.
const changing = new Map<string, Handler>([
  ['/changing/index.html', (_q, s) => send(s, html('年报', `<ul>${li('/changing/report.html', '某局2024年政府信息公开工作年度报告')}</ul>`))],
  ['/changing/report.html', (_q, s, _b, hit) => send(s, textReport('2016_pingtan_zongheshiyanqu.txt', `某局2024年政府信息公开工作年度报告（第${hit}版）`))],
]);

beforeAll(async () => {
  site = await startTestSite(changing);
  const ctx = testContext(data);
  first = await crawlSite(ctx, config(), { sink });
  await ctx.close();
}, 60_000);
afterAll(() => site.close());

describe('crawl of the local CMS imitation', () => {
  it('finds every report across TRS countPage paging, shells, attachments, Hanweb dataproxy and faults', () => {
    const found = new Set(first.reportUrls.map((u) => new URL(u).pathname));
    for (const p of [...EXPECTED_REPORTS.trs, ...EXPECTED_REPORTS.hanweb, ...EXPECTED_REPORTS.faults]) expect(found, p).toContain(p);
    expect(found).not.toContain('/trs/news1.html');
    // The wrapper page around the PDF is not itself handed on as a report.
    expect(sink.docs.map((d) => new URL(d.url).pathname)).not.toContain('/trs/202501/t20250120_1.html');
    expect(first.reports.new).toBe(sink.docs.length);
  });

  it('survives every fault and counts it by kind', () => {
    expect(first.errors['redirect_loop']).toBe(1);
    expect(first.errors['too_large']).toBe(1);
    expect(first.errors['robots_disallowed']).toBe(1);
    // A 200 access notice, a 412 bot-defence bootstrap and a 521 cookie challenge: blocked, each asked once (never retried), never handed on.
    expect(first.blocked).toBe(3);
    expect(first.blockedUrls.map((u) => new URL(u).pathname).sort()).toEqual(['/faults/blocked.html', '/faults/waf412.html', '/faults/waf521.html']);
    expect(first.errors['http_4xx'] ?? 0).toBe(0);
    expect(first.errors['http_5xx'] ?? 0).toBe(0);
    expect(sink.docs.some((d) => /blocked|waf/.test(d.url))).toBe(false);
    const hits = (p: string) => site.log.filter((r) => r.path === p).length;
    expect(hits('/faults/waf412.html')).toBe(1);
    expect(hits('/faults/waf521.html')).toBe(1);
    expect(hits('/faults/r500.html')).toBe(3);
    expect(hits('/faults/r429.html')).toBe(2);
    expect(hits('/private/secret.html')).toBe(0);
  });

  it('honours Retry-After before retrying a 429', () => {
    const r = site.log.filter((x) => x.path === '/faults/r429.html');
    expect(r[1].start - r[0].end!).toBeGreaterThanOrEqual(990);
  });

  it('stays polite: one request at a time, Crawl-delay (0.25 s > 150 ms config) kept between requests', () => {
    expect(site.maxInFlight).toBe(1);
    const reqs = site.log.slice().sort((a, b) => a.start - b.start);
    // The gate waits 250 ms; the test site stamps start/end with Date.now(),
    // whose whole milliseconds and Node's timers (which may fire up to ~1 ms
    // early against Date.now()) can each shave off 1 ms. 2 ms of slack
    // absorbs that granularity and nothing more: a real violation (a skipped
    // or shortened delay) is far larger.
    // When the crawler hangs up on a response (the huge one), the server
    // stamps its end only when it notices the closed socket, some ms after
    // the crawler freed its slot and started the delay: that stamp is late
    // by the server's detection lag, so the gap after it is measured short by
    // as much. 25 ms covers that lag; the delay itself is still 250 ms.
    for (let i = 1; i < reqs.length; i++) {
      const slack = reqs[i - 1].aborted ? 25 : 2;
      expect(reqs[i].start - reqs[i - 1].end!, `${reqs[i - 1].path} → ${reqs[i].path}`).toBeGreaterThanOrEqual(250 - slack);
    }
    expect(first.robots[0].crawlDelaySec).toBe(0.25);
    expect(first.robots[0].disallowed).toHaveLength(1);
    expect(site.log[0].path).toBe('/robots.txt');
  });

  it('decodes GBK pages as GB18030 and records the charset', async () => {
    const gbk = sink.docs.find((d) => d.url.endsWith('t20130117_gbk.htm'))!;
    expect(gbk.charset).toBe('gb18030');
    expect(decodeBody(gbk.bytes, gbk.contentType).text).toContain('平潭县人民政府2012年政府信息公开工作年度报告');
  });

  it('keeps list titles and archives each document once by sha256', async () => {
    const pdf = sink.docs.find((d) => d.url.endsWith('.pdf'))!;
    expect(pdf.listTitle).toBe('淮安市人民政府2024年政府信息公开工作年度报告');
    const shas = sink.docs.map((d) => d.sha256);
    // The five fault routes serve the same report: one blob, five records.
    expect(new Set(shas).size).toBeLessThan(shas.length);
  });

  it('hands on a Word 97 .doc attachment that parses as the report it is', async () => {
    const doc = sink.docs.find((d) => d.url.endsWith('.doc'))!;
    expect(doc.kind).toBe('attachment');
    const r = await parseDocument(doc.bytes, { url: doc.finalUrl, contentType: doc.contentType });
    expect(r).toMatchObject({ source: { format: 'doc' }, agency: { name: '上海市人民政府办公厅' }, year: 2019 });
    expect(r.values.find((v) => v.table === 't3' && v.row === 'new_received' && v.col === 'total')?.value).toBe(859);
  });

  it('re-crawls an unchanged site with conditional requests, re-reading list pages', async () => {
    const before = site.log.length;
    const ctx = testContext(data);
    const again = new MemorySink();
    const second = await crawlSite(ctx, config(), { sink: again });
    await ctx.close();
    expect(second.reports.new).toBe(0);
    expect(second.reports.changed).toBe(1);
    expect(second.reports.unchanged).toBe(first.reports.new - 1);
    // Only the edited report is handed on again.
    expect(again.docs.map((d) => [new URL(d.url).pathname, d.change])).toEqual([['/changing/report.html', 'changed']]);
    const later = site.log.slice(before);
    expect(later.some((r) => r.path === '/trs/index_2.html')).toBe(true);
    expect(later.find((r) => r.path === '/trs/202501/P020250120.pdf')!.status).toBe(304);
  });
});

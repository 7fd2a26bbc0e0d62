// Configured list modes against the local test site: a chinatax-style JSON
// list API, Hanweb dataproxy.jsp with the ids given in the config, and the
// Shaanxi platform's numbered pages (probed until a page yields nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSite } from '../../src/crawl/crawler.ts';
import { MemorySink } from '../../src/crawl/sink.ts';
import { parseSiteConfig } from '../../src/crawl/site-config.ts';
import { tempData, testContext } from './helpers.ts';
import { EXPECTED_REPORTS, html, li, send, startTestSite, textReport, type Handler, type TestSite } from './test-site.ts';

let site: TestSite;
const SX = ['1619593655548706818', '1619593655548706819', '1906985018193408001'];

function shaanxi(): Map<string, Handler> {
  const r = new Map<string, Handler>();
  const list = (ids: string[]) => html('部门年报', `<ul>${ids.map((id, i) => li(`/sx/bmnb/${id}.html`, `杨凌示范区审计局${2021 + i}年政府信息公开工作年度报告`)).join('')}</ul>`);
  r.set('/sx/bmnb/', (_q, s) => send(s, list(SX.slice(0, 1))));
  r.set('/sx/bmnb/1.html', (_q, s) => send(s, list(SX.slice(0, 1))));
  r.set('/sx/bmnb/2.html', (_q, s) => send(s, list(SX.slice(1))));
  SX.forEach((id, i) => r.set(`/sx/bmnb/${id}.html`, (_q, s) => send(s, textReport(i ? '2017_pingtan_zongheshiyanqu.txt' : '2016_pingtan_zongheshiyanqu.txt', '年度报告'))));
  return r;
}

beforeAll(async () => {
  site = await startTestSite(shaanxi());
});
afterAll(() => site.close());

const base = { publisher: { name: '测试' }, verified: false, politeness: { delayMs: 20 } };

describe('configured list modes', () => {
  it('pages a JSON list API (POST, total from the response)', async () => {
    const cfg = parseSiteConfig({
      ...base, id: 'json', cms: 'json-api', startUrls: [`${site.origin}/chinatax/index.html`],
      pagination: { type: 'json-api', url: `${site.origin}/api/getFileListByCodeId`, method: 'POST', params: { channelId: 'abc123' }, pageParam: 'page', sizeParam: 'size', pageSize: 2, itemsPath: 'results.data.results', titleField: 'titleHtml', urlField: 'url', totalPath: 'results.data.total' },
    });
    const ctx = testContext(tempData(), { delayMs: 20 });
    const r = await crawlSite(ctx, cfg, { sink: new MemorySink() });
    await ctx.close();
    expect(r.reportUrls.map((u) => new URL(u).pathname).sort()).toEqual([...EXPECTED_REPORTS.json].sort());
    expect(r.listPages).toBe(2);
  });

  it('uses Hanweb dataproxy.jsp with the ids from the config', async () => {
    const cfg = parseSiteConfig({ ...base, id: 'hw', cms: 'hanweb', startUrls: [`${site.origin}/col/col1229/index.html`], pagination: { type: 'hanweb-dataproxy', columnid: '1229', unitid: '555', webid: '1', perPage: 2 } });
    const ctx = testContext(tempData(), { delayMs: 20 });
    const r = await crawlSite(ctx, cfg, { sink: new MemorySink() });
    await ctx.close();
    expect(r.reportUrls.map((u) => new URL(u).pathname).sort()).toEqual([...EXPECTED_REPORTS.hanweb].sort());
    expect(r.errors).toEqual({});
  });

  it('probes numbered pages until one yields nothing new (404 ends it)', async () => {
    const cfg = parseSiteConfig({ ...base, id: 'sx', cms: 'shaanxi', startUrls: [`${site.origin}/sx/bmnb/`], pagination: { type: 'numbered', first: 1 }, reports: { urlPattern: '/\\d{19}\\.html$' } });
    const ctx = testContext(tempData(), { delayMs: 20 });
    const r = await crawlSite(ctx, cfg, { sink: new MemorySink() });
    await ctx.close();
    expect(r.reportUrls.map((u) => u.match(/(\d{19})\.html$/)![1]).sort()).toEqual([...SX].sort());
    expect(r.errors).toEqual({}); // the 404 of 3.html ends the list; it is not an error
    // …and a 4xx is never retried.
    expect(site.log.filter((x) => x.path === '/sx/bmnb/3.html')).toHaveLength(1);
  });
});

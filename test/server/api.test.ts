// The API against a server on an ephemeral loopback port over a store built
// from the bundled samples in a temp --data directory.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dequeue, listQueued } from '../../src/archive/job-queue.ts';
import { runQuery } from '../../src/query/query.ts';
import { StoreReader } from '../../src/store/reader.ts';
import type { RunningServer } from '../../src/server/serve.ts';
import { buildSampleStore, startTestServer, type TestStore } from './helpers.ts';

let st: TestStore;
let srv: RunningServer;
const get = (path: string, init?: RequestInit) => fetch(srv.url + path, init);
const json = async (path: string) => {
  const r = await get(path);
  expect(r.status, path).toBe(200);
  return (await r.json()) as Record<string, unknown> & { rows: Record<string, unknown>[]; total: number };
};

async function expectError(path: string, status: number, code: string, mentions?: string, init?: RequestInit) {
  const r = await get(path, init);
  expect(r.status, path).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await r.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(body.error.code).toBe(code);
  if (mentions) expect(body.error.message).toContain(mentions);
  expect(body.error.message).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  return body.error;
}

beforeAll(async () => {
  st = await buildSampleStore();
  // A crawl run report as the crawler writes it, for the data-quality endpoint.
  mkdirSync(join(st.data, 'crawl', 'pingtan', 'runs'), { recursive: true });
  writeFileSync(join(st.data, 'crawl', 'pingtan', 'runs', 'r1.json'), JSON.stringify({
    runId: 'r1', site: 'pingtan', startedAt: '2025-01-02T00:00:00.000Z', finishedAt: '2025-01-02T00:05:00.000Z', resumed: false, requests: 12, pagesFetched: 10,
    listPages: 2, reports: { new: 3, changed: 0, unchanged: 5 }, recovered: 0, blocked: 2, blockedUrls: ['https://www.pingtan.gov.cn/a.htm'], errors: { blocked: 2 },
    errorSamples: [], robots: [], reportUrls: [], handedOn: 3,
  }));
  srv = await startTestServer(st.data, { token: 'sekret' });
}, 120_000);

afterAll(async () => {
  await srv?.close();
  st?.cleanup();
});

describe('values', () => {
  it('returns the query layer rows, and CSV byte for byte as `nianbao query --format csv`', async () => {
    const body = await json('/api/values?metric=t3.new_received.total&by=agency,year');
    const store = StoreReader.open(join(st.data, 'store'));
    const direct = await runQuery(store, { metric: 't3.new_received.total', by: ['agency', 'year'] });
    await store.close();
    expect(body.rows).toEqual(JSON.parse(JSON.stringify(direct.rows)));
    expect(body.total).toBe(direct.rows.length);
    expect(body.rows.length).toBeGreaterThan(3);
    // Bytes, not text(): the BOM is part of the format.
    const csv = Buffer.from(await (await get(`/api/values?metric=t3.new_received.total&by=agency,year&region=${encodeURIComponent('福建')}&format=csv`)).arrayBuffer()).toString('utf8');
    const cli = execFileSync(process.execPath, ['bin/nianbao', '--data', st.data, 'query', '--metric', 't3.new_received.total', '--by', 'agency,year', '--region', '福建', '--format', 'csv'], {
      cwd: join(import.meta.dirname, '../..'), encoding: 'utf8',
    });
    expect(csv).toBe(cli);
    expect(csv).toContain('平潭综合实验区');
  });

  it('negotiates CSV and Arrow by Accept and ?format=', async () => {
    const r = await get('/api/values?metric=disclosure_rate&by=year', { headers: { Accept: 'text/csv' } });
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const a = await get('/api/values?metric=disclosure_rate&by=agency,year&format=arrow');
    expect(a.headers.get('content-type')).toBe('application/vnd.apache.arrow.file');
    const t = tableFromIPC(new Uint8Array(await a.arrayBuffer()));
    const j = await json('/api/values?metric=disclosure_rate&by=agency,year');
    expect(t.numRows).toBe(j.total);
    expect(t.getChild('agency_id')!.toArray()).toEqual(j.rows.map((x) => x.agency_id));
    const values = t.getChild('value')!;
    expect(j.rows.map((_, i) => values.get(i) as number | null)).toEqual(j.rows.map((x) => x.value));
  });

  it('several metrics at once carry a metric column; include=source joins the report', async () => {
    const b = await json('/api/values?metric=t3.granted.total,t3.partially_granted.total&by=year');
    expect(new Set(b.rows.map((x) => x.metric))).toEqual(new Set(['t3.granted.total', 't3.partially_granted.total']));
    const s = await json('/api/values?metric=t3.new_received.total&by=agency,year&include=source&agency=310000:人民政府办公厅');
    expect(s.rows[0].source_title).toContain('上海市人民政府办公厅');
  });

  it('paginates with limit/offset, X-Total-Count and a next link', async () => {
    const all = await json('/api/agencies');
    const r = await get('/api/agencies?limit=2&offset=1');
    const page = (await r.json()) as { rows: unknown[] };
    expect(page.rows).toEqual(all.rows.slice(1, 3));
    expect(r.headers.get('x-total-count')).toBe(String(all.total));
    expect(r.headers.get('link')).toContain('offset=3');
  });

  it('sends ETag and Cache-Control and answers 304 to a matching If-None-Match', async () => {
    const r = await get('/api/values?metric=t3.new_received.total');
    const etag = r.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"g\d+-/);
    expect(r.headers.get('cache-control')).toContain('max-age=');
    // node:http, not fetch: fetch adds "Cache-Control: no-cache" to a request with If-None-Match, which rightly defeats the 304.
    const status = await new Promise<number>((resolve, reject) => {
      request(`${srv.url}/api/values?metric=t3.new_received.total`, { headers: { 'If-None-Match': etag } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on('error', reject).end();
    });
    expect(status).toBe(304);
  });
});

describe('errors: one shape, the parameter named, no stack', () => {
  it('400s name the bad parameter and why', async () => {
    expect((await expectError('/api/values', 400, 'bad_parameter', '"metric"')).message).toContain('required');
    await expectError('/api/values?metric=t9.nope', 400, 'bad_parameter', 'unknown metric');
    await expectError('/api/values?metric=t3.new_received.total&by=planet', 400, 'bad_parameter', '"by"');
    await expectError('/api/values?metric=t3.new_received.total&year=twenty', 400, 'bad_parameter', '"year"');
    await expectError('/api/values?metric=t3.new_received.total&region=%E7%81%AB%E6%98%9F', 400, 'bad_parameter', '"region"');
    await expectError('/api/values?metric=t3.new_received.total&level=galaxy', 400, 'bad_parameter', '"level"');
    await expectError('/api/values?metric=t3.new_received.total&format=xml', 400, 'bad_parameter', '"format"');
    await expectError('/api/agencies?limit=0', 400, 'bad_parameter', '"limit"');
    await expectError('/api/compare?metric=disclosure_rate&min_requests=-1', 400, 'bad_parameter', '"min_requests"');
  });

  it('404s for unknown paths, agencies, reports and dashboards', async () => {
    await expectError('/api/nothing', 404, 'not_found');
    await expectError('/api/agencies/000000:none', 404, 'not_found');
    await expectError(`/api/reports/${'0'.repeat(64)}`, 404, 'not_found');
    await expectError('/d/nope', 404, 'not_found');
  });
});

describe('resources', () => {
  it('metric catalog has Chinese labels and English names', async () => {
    const m = await json('/api/metrics?limit=100000');
    const byId = new Map(m.rows.map((x) => [x.id, x]));
    expect(byId.get('t3.granted.total')).toMatchObject({ label_zh: '予以公开 · 总计', label_en: 'granted · total' });
    expect(byId.get('disclosure_rate')).toMatchObject({ label_zh: '公开率', type: 'ratio' });
  });

  it('agencies search by name; an agency shows reports with source and archived copy, and failed checks', async () => {
    const s = await json(`/api/agencies?q=${encodeURIComponent('上海')}`);
    expect(s.rows.map((x) => x.name).sort()).toEqual(['上海市人民政府办公厅', '上海市科委']);
    const d = (await (await get(`/api/agencies/${encodeURIComponent('310000:人民政府办公厅')}`)).json()) as { reports: Record<string, string>[]; failed_checks: unknown[] };
    expect(d.reports.length).toBe(3);
    expect(d.failed_checks.length).toBeGreaterThan(0);
    const rep = d.reports.find((x) => x.status === 'current')!;
    const doc = await get(rep.archived_url);
    expect(doc.headers.get('content-security-policy')).toContain('sandbox');
    expect(createHash('sha256').update(Buffer.from(await doc.arrayBuffer())).digest('hex')).toBe(rep.sha256);
    const prof = await json(`/api/agencies/${encodeURIComponent('310000:人民政府办公厅')}/values`);
    expect(prof.rows.some((x) => x.metric === 't3.new_received.total' && x.value === 859)).toBe(true);
  });

  it('a report says which template cells its document does not print, and those cells have no value', async () => {
    const list = await json(`/api/reports?agency=${encodeURIComponent('中卫市审计局')}`);
    const rep = list.rows.find((x) => x.year === 2020)!;
    expect(rep.missing_cells).toBeGreaterThan(0);
    const d = (await (await get(`/api/reports/${rep.sha256}`)).json()) as { missing: string[] };
    expect(d.missing).toHaveLength(rep.missing_cells as number);
    for (const id of d.missing) expect(id).toMatch(/^t[234]\.[\w.]+$/);
    const prof = await json(`/api/agencies/${encodeURIComponent('640500:审计局')}/values`);
    const present = new Set(prof.rows.filter((x) => x.year === 2020).map((x) => x.metric));
    expect(present.size).toBeGreaterThan(0);
    for (const id of d.missing) expect(present.has(id), id).toBe(false);
    // The data-quality view lists exactly the current reports that lack cells.
    const incomplete = await json('/api/reports?status=current&missing=only');
    expect(incomplete.rows.map((x) => x.sha256)).toContain(rep.sha256);
    expect(incomplete.rows.every((x) => (x.missing_cells as number) > 0)).toBe(true);
    await expectError('/api/reports?missing=some', 400, 'bad_parameter', '"missing"');
  });

  it('shows where each figure of a report was printed, found again in its archived copy, next to the stored value', async () => {
    const list = await json(`/api/reports?agency=${encodeURIComponent('310000:人民政府办公厅')}&status=current`);
    const sha = list.rows[0].sha256 as string;
    const c = await json(`/api/reports/${sha}/cells`);
    expect(c.matches_store).toBe(true);
    expect(c.parser_version).toBe(c.stored_parser_version);
    const received = c.rows.find((x) => x.metric === 't3.new_received.total')!;
    expect(received).toMatchObject({ value: 859, stored_value: 859, in_store: true, cell: 'number', raw: '859', derived: false });
    expect(received.page).toBeGreaterThan(0); // the current Shanghai copy is the PDF: its page is known
    expect(c.rows.every((x) => x.in_store && x.stored_value === x.value)).toBe(true);
    // Derived totals are marked and have no printed position.
    expect(c.rows.find((x) => x.metric === 't3.denied.total')).toMatchObject({ derived: true, raw: null, page: null });
    const csv = await (await get(`/api/reports/${sha}/cells?format=csv`)).text();
    expect(csv.split('\n')[0]).toContain('metric,value,stored_value,in_store,cell,raw,unit,derived,page');
    await expectError(`/api/reports/${'0'.repeat(64)}/cells`, 404, 'not_found');
  });

  it('a series runs across the regimes: every row says its regime, the break is in meta (平潭 2016–2023)', async () => {
    const v = await json(`/api/values?metric=series.requests_received&by=agency,year&agency=${encodeURIComponent('350128:平潭综合实验区')}`);
    expect(v.rows.map((x) => [x.year, x.regime, x.value])).toEqual([[2016, 'legacy', 0], [2017, 'legacy', 0], [2019, 'national', 23], [2021, 'national', 70], [2023, 'national', 81]]);
    expect((v as unknown as { regime_break: { after: number } }).regime_break.after).toBe(2018);
    // By agency alone the regimes stay apart: never summed across the break.
    const all = await json(`/api/values?metric=series.requests_received&by=agency&agency=${encodeURIComponent('350128:平潭综合实验区')}`);
    expect(all.rows.map((x) => [x.regime, x.value])).toEqual([['legacy', 0], ['national', 174]]);
    const csv = await (await get('/api/values?metric=series.requests_received&by=agency,year&format=csv')).text();
    expect(csv.split('\n')[1]).toContain('regime');
    const cat = await json('/api/metrics');
    expect(cat.rows.find((m) => m.id === 'series.litigation')).toMatchObject({ type: 'series', legacy: ['l.litigation.total.year'], regime_break: 2018 });
    expect(cat.rows.find((m) => m.id === 'l.proactive.total.cumulative')).toMatchObject({ label_zh: '主动公开政府信息数 · 历年累计' });
    const cmp = await json('/api/compare?metric=series.granted&min_requests=0');
    expect(cmp).toMatchObject({ guard_metric: 'series.requests_received' });
    expect(cmp.rows.some((x) => x.regime === 'legacy' && x.eligible)).toBe(true);
  });

  it('legacy bodies keep their own series: 地方税务局 is not merged into 税务局', async () => {
    const a = await json('/api/agencies?q=' + encodeURIComponent('地方税务局'));
    expect(a.rows.map((x) => x.id)).toContain('350128:地方税务局');
  });

  it('a legacy value stated in the prose shows its sentence; a split cell says how it was proven', async () => {
    const list = await json(`/api/reports?agency=${encodeURIComponent('350128:地方税务局')}&status=current`);
    const c = await json(`/api/reports/${list.rows[0].sha256 as string}/cells`);
    expect(c.rows.find((x) => x.metric === 'l.review.total.year')).toMatchObject({ value: 0, in_store: true, sentence: expect.stringContaining('行政复议0件') });
    const z = await json(`/api/reports?agency=${encodeURIComponent('350128:平潭综合实验区')}&year=2017&status=current`);
    const c2 = await json(`/api/reports/${z.rows[0].sha256 as string}/cells`);
    expect(c2.rows.find((x) => x.metric === 'l.proactive.total.year')).toMatchObject({ value: 2122, note: expect.stringContaining('2122 | 10037') });
  });

  it('compare ranks only agencies with at least N new requests and gives P10–P90 among them', async () => {
    const c = await json('/api/compare?metric=t3.granted.total&min_requests=30');
    for (const x of c.rows) expect(x.eligible).toBe(x.value !== null && x.requests !== null && (x.requests as number) >= 30);
    const y2023 = c.rows.filter((x) => x.year === 2023 && x.eligible);
    expect(y2023.length).toBeGreaterThan(0);
    expect(y2023.every((x) => x.rank !== null && (x.p10 as number) <= (x.p90 as number))).toBe(true);
    const none = await json('/api/compare?metric=t3.granted.total&min_requests=100000');
    expect(none.rows.every((x) => !x.eligible && x.rank === null && x.p10 === null)).toBe(true);
  });

  it('checks filter by status; quality shows coverage and the last crawl per site', async () => {
    const f = await json('/api/checks?status=fail');
    expect(f.total).toBeGreaterThan(0);
    expect(f.rows.every((x) => x.status === 'fail' && typeof x.cells === 'string')).toBe(true);
    const cov = await json('/api/quality/coverage');
    expect(cov.rows.find((x) => x.region_code === '310000' && x.year === 2019)).toMatchObject({ reports: 1, parsed: 1, superseded: 2 });
    const sites = await json('/api/quality/sites');
    expect(sites.rows).toEqual([expect.objectContaining({ site: 'pingtan', blocked: 2, last_run: '2025-01-02T00:05:00.000Z', reports_new: 3 })]);
  });

  it('lists the dashboards and serves the pages and vega from node_modules', async () => {
    const d = (await (await get('/api/dashboards')).json()) as { dashboards: { id: string }[] };
    expect(d.dashboards.map((x) => x.id)).toEqual(['overview', 'compare', 'outcomes', 'litigation', 'narrative', 'agency', 'quality']);
    for (const x of d.dashboards) expect((await get(`/d/${x.id}`)).status).toBe(200);
    for (const f of ['vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js', 'vega-interpreter.js']) expect((await get(`/vendor/${f}`)).status).toBe(200);
    expect(await (await get('/vendor/vega-interpreter.js')).text()).toContain("from '/vendor/vega-util/index.js'");
  });

  it('serves a favicon (a 404 there is a console error in every browser tab)', async () => {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const r = await get(path);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('image/svg+xml');
      expect(await r.text()).toMatch(/^<svg /);
    }
  });
});

describe('security', () => {
  it('sends a CSP allowing same-origin scripts only, no eval', async () => {
    const csp = (await get('/')).headers.get('content-security-policy')!;
    const script = /script-src ([^;]*)/.exec(csp)![1];
    expect(script.trim()).toBe("'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
  });

  it('refuses writes without the configured token', async () => {
    await expectError('/api/crawl/pingtan', 401, 'unauthorised', undefined, { method: 'POST' });
    await expectError('/api/crawl/pingtan', 401, 'unauthorised', undefined, { method: 'POST', headers: { Authorization: 'Bearer wrong' } });
    await expectError('/api/crawl/no-such-site', 404, 'not_found', undefined, { method: 'POST', headers: { Authorization: 'Bearer sekret' } });
    const open = await startTestServer(st.data, { token: '' });
    try {
      const r = await fetch(`${open.url}/api/crawl/pingtan`, { method: 'POST', headers: { Authorization: 'Bearer anything' } });
      expect(r.status).toBe(403);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('writes_disabled');
    } finally {
      await open.close();
    }
  });

  it('queues an authorised crawl request for `nianbao schedule` instead of crawling in the server', async () => {
    const post = () => fetch(`${srv.url}/api/crawl/pingtan-zfxxgknb`, { method: 'POST', headers: { Authorization: 'Bearer sekret' } });
    const r = await post();
    expect(r.status).toBe(202);
    const body = (await r.json()) as { status: string; scheduler: unknown; note: string };
    expect(body).toMatchObject({ status: 'queued', scheduler: null });
    expect(body.note).toContain('no `nianbao schedule` is running');
    expect(await listQueued(st.data)).toEqual([expect.objectContaining({ site: 'pingtan-zfxxgknb', by: 'api' })]);
    expect(((await (await post()).json()) as { status: string }).status).toBe('already_queued');
    await dequeue(st.data, 'pingtan-zfxxgknb');
  });

  it('rate-limits the API with the same error shape', async () => {
    const limited = await startTestServer(st.data, { rateLimitPerMinute: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await fetch(`${limited.url}/api/metrics`)).status);
      expect(codes.slice(0, 3)).toEqual([200, 200, 200]);
      const r = await fetch(`${limited.url}/api/metrics`);
      expect(r.status).toBe(429);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});

// A report page whose tables are pictures (a variant of a corpus report, see
// test/parse/table-images.ts), crawled zero-config from a local site: the
// body's pictures are fetched through the polite client and archived beside
// the page, the parse reads them, a re-crawl asks for them conditionally and
// hands nothing on, and an offline ingest of the archive reads them again.
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/archive.ts';
import { runSites } from '../../src/crawl/run-sites.ts';
import { adHocConfig } from '../../src/crawl/site-config.ts';
import { bodyImageUrls, parseDocument, PARSER_VERSION } from '../../src/parse/index.ts';
import type { ParseMeta, ReportRecord } from '../../src/parse/types.ts';
import { archiveSources, ingestSources } from '../../src/pipeline/ingest.ts';
import { storeSinkFactory } from '../../src/pipeline/store-sink.ts';
import { tablesAsImages } from '../parse/table-images.ts';
import { StoreReader } from '../../src/store/reader.ts';
import { startTestServer } from '../server/helpers.ts';
import { CORPUS } from './test-site.ts';
import { tempData, testContext } from './helpers.ts';

const REPORT = '/nb/202001/t20200130_1.html';
let origin = '';
let server: http.Server;
const log: { path: string; status: number; conditional: boolean }[] = [];
let data = '';

const files = new Map<string, { body: Buffer; type: string }>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const f = files.get(p);
    const etag = f && `"${f.body.length}"`;
    const conditional = req.headers['if-none-match'] !== undefined;
    const status = !f ? 404 : conditional && req.headers['if-none-match'] === etag ? 304 : 200;
    log.push({ path: p, status, conditional });
    res.writeHead(status, f ? { 'content-type': f.type, etag: etag!, 'content-length': status === 200 ? String(f.body.length) : '0' } : {});
    res.end(status === 200 ? f!.body : undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = tablesAsImages(readFileSync(path.join(CORPUS, '2019_shanghai_shizhengfubangongting.html'), 'utf8'), `${origin}${REPORT}`);
  // A CMS article page: site chrome with pictures of its own (a logo, a share button, navigation) around the article container.
  const nav = ['首页', '政务公开', '政府信息公开年报', '政策文件', '新闻发布会', '互动交流', '办事服务'].map((t) => `<li><a href="/${t.length}.html">${t}栏目导航链接</a></li>`).join('');
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>2019年年报</title></head><body><div class="header"><img src="/img/logo.png"><ul>${nav}</ul></div>`
    + `<div class="TRS_Editor">${load(page.html)('body').html()}</div><div class="footer"><a href="/img/share.png">分享</a><img src="/img/qr.png"></div></body></html>`;
  files.set(REPORT, { body: Buffer.from(html), type: 'text/html; charset=utf-8' });
  for (const img of page.images) files.set(new URL(img.url).pathname, { body: Buffer.from(img.bytes), type: 'image/png' });
  files.set('/img/logo.png', { body: Buffer.from(page.images[2].bytes), type: 'image/png' });
  files.set('/nb/index.html', {
    body: Buffer.from(`<html><body><ul><li><a href="202001/t20200130_1.html">2019年上海市人民政府办公厅政府信息公开工作年度报告</a></li></ul></body></html>`),
    type: 'text/html; charset=utf-8',
  });
  data = tempData();
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function crawl() {
  const ctx = testContext(data, { bodyImages: bodyImageUrls, delayMs: 20 });
  try {
    const [run] = await runSites([adHocConfig(`${origin}/nb/index.html`)], { dataDir: data, ctx, sink: storeSinkFactory(data) });
    return run;
  } finally {
    await ctx.close();
  }
}

function cachedRecords(): ReportRecord[] {
  const dir = path.join(data, 'cache', 'parse');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(`.${PARSER_VERSION}.json`)).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as ReportRecord);
}

describe('crawling a report page whose tables are pictures', () => {
  it('fetches the body pictures (not the site chrome\'s), archives them with their page and stores the values read from them', async () => {
    const run = await crawl();
    expect(run.error).toBeUndefined();
    expect(run.report!.images).toEqual({ new: 3, changed: 0, unchanged: 0, failed: 0 });
    expect(log.filter((r) => r.path.includes('/images/')).map((r) => r.path)).toEqual(['/nb/202001/images/table-1.png', '/nb/202001/images/table-2.png', '/nb/202001/images/table-3.png']);
    expect(log.some((r) => r.path.startsWith('/img/'))).toBe(false);
    expect(run.ingest).toEqual({ added: 1, unchanged: 0, failed: 0 });
    const archived = [...openArchive(path.join(data, 'archive')).records()].filter((r) => r.kind === 'image');
    expect(archived.map((r) => [r.page, r.order, r.outcome])).toEqual([0, 1, 2].map((i) => [`${origin}${REPORT}`, i, 'new']));
    const [rec] = cachedRecords();
    const total = rec.values.find((v) => v.table === 't3' && v.row === 'new_received' && v.col === 'total');
    expect(total?.value).toBe(859);
    expect(total?.ocr?.confidence).toBeGreaterThan(0.9);
    expect(rec.warnings.some((w) => w.code === 'ocr_used')).toBe(true);
    // The record names the pictures it depends on beside the page's own bytes.
    expect(rec.source.images?.map((i) => new URL(i.url).pathname)).toEqual(['/nb/202001/images/table-1.png', '/nb/202001/images/table-2.png', '/nb/202001/images/table-3.png']);
  });

  it('re-crawls quietly: the pictures are asked for conditionally (304) and nothing is handed on', async () => {
    const before = log.length;
    const run = await crawl();
    expect(run.report!.images).toEqual({ new: 0, changed: 0, unchanged: 3, failed: 0 });
    expect(run.report!.handedOn).toBe(0);
    const again = log.slice(before).filter((r) => r.path.includes('/images/'));
    expect(again.map((r) => [r.status, r.conditional])).toEqual([[304, true], [304, true], [304, true]]);
  });

  it('hands the page on again when one of its pictures changed, though the page did not', async () => {
    const f = files.get('/nb/202001/images/table-3.png')!;
    files.set('/nb/202001/images/table-3.png', { ...f, body: Buffer.concat([f.body, Buffer.alloc(16)]) }); // same picture, other bytes (and ETag)
    const run = await crawl();
    expect(run.report!.images).toEqual({ new: 0, changed: 1, unchanged: 2, failed: 0 });
    expect(run.report!.handedOn).toBe(1);
    expect(cachedRecords()).toHaveLength(2);
    // The same page bytes read with another picture is a new version of the report, not "unchanged".
    expect(run.ingest).toEqual({ added: 1, unchanged: 0, failed: 0 });
    const reports = StoreReader.open(path.join(data, 'store')).reports;
    expect(reports.map((r) => [r.status, r.status_reason])).toEqual([['superseded', 'the page was read again with changed pictures'], ['current', null]]);
    expect((JSON.parse(reports[1].source_images!) as { url: string }[]).map((i) => new URL(i.url).pathname)).toEqual(['/nb/202001/images/table-1.png', '/nb/202001/images/table-2.png', '/nb/202001/images/table-3.png']);
    // The server finds where each figure was printed by parsing the archived page with the archived pictures it was read with.
    const srv = await startTestServer(data);
    try {
      const res = await fetch(`${srv.url}/api/reports/${reports[1].sha256}/cells`);
      const body = (await res.json()) as { matches_store: boolean; rows: { metric: string; ocr_confidence: number | null }[] };
      expect(res.status).toBe(200);
      expect(body.matches_store).toBe(true);
      expect(body.rows.find((r) => r.metric === 't3.new_received.total')?.ocr_confidence).toBeGreaterThan(0.9);
    } finally {
      await srv.close();
    }
  });

  it('re-parses offline from the archive with the page\'s pictures (nianbao ingest)', async () => {
    const seen: ParseMeta[] = [];
    const parser = { PARSER_VERSION, parseDocument: (b: Uint8Array, m: ParseMeta) => (seen.push(m), parseDocument(b, m)) };
    const sources = archiveSources(path.join(data, 'archive'));
    const s = await ingestSources(sources, { storeDir: path.join(data, 'store-offline'), parser });
    expect(s.failed).toEqual([]);
    expect(s.added).toBe(1);
    expect(seen[0].images?.map((i) => new URL(i.url).pathname)).toEqual(['/nb/202001/images/table-1.png', '/nb/202001/images/table-2.png', '/nb/202001/images/table-3.png']);
  });
});

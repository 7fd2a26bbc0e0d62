// The fetcher's guards, one exchange at a time against a local server.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/fetch/errors.ts';
import { acquireSiteLock, SiteBusyError } from '../../src/crawl/site-lock.ts';
import { tempData, testContext } from '../crawl/helpers.ts';
import { send, startTestSite, type Handler, type TestSite } from '../crawl/test-site.ts';

let site: TestSite;
const extra = new Map<string, Handler>([
  ['/offsite', (_q, s) => send(s, '', 'text/plain', 302, { location: `http://localhost:${site.port}/trs/index.html` })],
  ['/gz', (_q, s) => send(s, gzipSync(Buffer.from('<p>2023年政府信息公开工作年度报告</p>')), 'text/html; charset=utf-8', 200, { 'content-encoding': 'gzip' })],
  ['/slow429', (_q, s) => send(s, 'later', 'text/plain', 429, { 'retry-after': '3600' })],
]);

beforeAll(async () => {
  site = await startTestSite(extra);
});
afterAll(() => site.close());

async function fetchErr(url: string): Promise<FetchError> {
  const ctx = testContext(tempData(), { delayMs: 0 });
  ctx.allowedHosts.add('127.0.0.1');
  try {
    await ctx.fetcher.fetch({ url });
  } catch (e) {
    return e as FetchError;
  } finally {
    await ctx.close();
  }
  throw new Error('fetch succeeded');
}

describe('fetcher guards', () => {
  it('refuses a redirect to a host no config named', async () => {
    const e = await fetchErr(`${site.origin}/offsite`);
    expect(e.kind).toBe('host_not_allowed');
    expect(e.advice).toBe('skip');
  });

  it('gives up at once, advising a later retry, when Retry-After is beyond the limit', async () => {
    const before = site.log.filter((r) => r.path === '/slow429').length;
    const e = await fetchErr(`${site.origin}/slow429`);
    expect(e.kind).toBe('http_429');
    expect(e.advice).toBe('retry');
    expect(site.log.filter((r) => r.path === '/slow429').length - before).toBe(1);
  });

  it('decompresses gzip bodies', async () => {
    const ctx = testContext(tempData(), { delayMs: 0 });
    ctx.allowedHosts.add('127.0.0.1');
    const r = await ctx.fetcher.fetch({ url: `${site.origin}/gz`, skipRobots: true });
    await ctx.close();
    expect(r.body.toString('utf8')).toContain('年度报告');
  });

  it('lets one run of a site hold its lock, and takes over a dead owner\'s lock', async () => {
    const dir = tempData();
    const release = await acquireSiteLock(dir, 's');
    await expect(acquireSiteLock(dir, 's')).rejects.toBeInstanceOf(SiteBusyError);
    await release();
    writeFileSync(path.join(dir, 'lock'), '999999999'); // no such process
    const again = await acquireSiteLock(dir, 's');
    await again();
  });
});

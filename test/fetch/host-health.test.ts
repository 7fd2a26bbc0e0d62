// Hosts that keep failing are not asked again for a while (host-breaker.ts),
// and robots.txt is re-read after a day, or after ten minutes when it could
// not be reached (robots.ts): a long-lived scheduler neither hammers a site
// that is down nor keeps stale rules.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { FetchError } from '../../src/fetch/errors.ts';
import type { Fetcher } from '../../src/fetch/fetcher.ts';
import { HostBreaker } from '../../src/fetch/host-breaker.ts';
import { PolitenessGate } from '../../src/fetch/politeness.ts';
import { RobotsCache, RULES_TTL_MS, UNREACHABLE_TTL_MS } from '../../src/fetch/robots.ts';
import { tempData, testContext } from '../crawl/helpers.ts';

async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('host breaker', () => {
  it('opens after a run of host failures, not for broken links; lets one request through after the cool-down', () => {
    let now = 0;
    const b = new HostBreaker({ threshold: 3, cooldownMs: 60_000, now: () => now });
    b.failed('a.gov.cn', 'timeout');
    b.failed('a.gov.cn', 'http_4xx'); // the host answered: the run starts again
    b.failed('a.gov.cn', 'http_5xx');
    b.failed('a.gov.cn', 'reset');
    expect(b.refusal('a.gov.cn')).toBeUndefined();
    b.failed('a.gov.cn', 'blocked');
    expect(b.refusal('a.gov.cn')).toMatch(/failed 3 fetches in a row \(last: blocked\).*retry the site later/);
    expect(b.refusal('b.gov.cn')).toBeUndefined();
    now += 60_001;
    expect(b.refusal('a.gov.cn')).toBeUndefined(); // one request may try
    b.failed('a.gov.cn', 'timeout');
    expect(b.refusal('a.gov.cn')).toBeDefined(); // it failed: shut again at once
    now += 60_001;
    b.succeeded('a.gov.cn');
    b.failed('a.gov.cn', 'timeout');
    expect(b.refusal('a.gov.cn')).toBeUndefined();
    // A name that does not resolve or a certificate that does not verify will not change by retrying.
    b.failed('c.gov.cn', 'dns');
    expect(b.refusal('c.gov.cn')).toMatch(/last: dns/);
  });

  it('stops connecting to a host that refuses five fetches in a row', async () => {
    const port = await deadPort();
    const ctx = testContext(tempData(), { delayMs: 0, robots: false, retries: 1, backoffBaseMs: 10, backoffMaxMs: 20 });
    ctx.allowedHosts.add('127.0.0.1');
    const kinds: string[] = [];
    const attempts: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = ctx.requests.count;
      const e = await ctx.fetcher.fetch({ url: `http://127.0.0.1:${port}/p${i}.html` }).then(() => undefined, (x: unknown) => x as FetchError);
      kinds.push(e!.kind);
      attempts.push(ctx.requests.count - before);
    }
    await ctx.close();
    expect(kinds).toEqual(['refused', 'refused', 'refused', 'refused', 'refused', 'host_unavailable', 'host_unavailable']);
    expect(attempts).toEqual([2, 2, 2, 2, 2, 0, 0]);
  });

  it('also stops the requests already queued behind the failing ones (as a crawl queues a list page\'s links)', async () => {
    const port = await deadPort();
    const ctx = testContext(tempData(), { delayMs: 0, robots: false, retries: 1, backoffBaseMs: 10, backoffMaxMs: 20 });
    ctx.allowedHosts.add('127.0.0.1');
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => ctx.fetcher.fetch({ url: `http://127.0.0.1:${port}/q${i}.html` }).then(() => 'ok', (x: FetchError) => x.kind)));
    const requests = ctx.requests.count;
    await ctx.close();
    expect(all.filter((k) => k === 'refused')).toHaveLength(5);
    expect(all.filter((k) => k === 'host_unavailable')).toHaveLength(7);
    // Without the breaker: 12 fetches × 2 attempts. Others' first attempts slip in while the failing ones back off, then none.
    expect(requests).toBeLessThan(24);
    expect(requests).toBeGreaterThanOrEqual(10);
  });
});

describe('robots.txt freshness', () => {
  function cache(answers: Array<string | FetchError>) {
    let now = 0;
    let calls = 0;
    const robots = new RobotsCache(new PolitenessGate({ concurrency: 1, delayMs: 0 }, 4), 'nianbao', undefined, () => now);
    robots.bind({
      fetch: async ({ url }: { url: string }) => {
        const a = answers[Math.min(calls++, answers.length - 1)];
        if (a instanceof FetchError) throw a;
        return { status: 200, headers: {}, body: Buffer.from(a), finalUrl: url };
      },
    } as unknown as Fetcher);
    const allowed = (u: string) => robots.check(new URL(u)).then(() => true, () => false);
    return { allowed, calls: () => calls, advance: (ms: number) => (now += ms) };
  }

  it('keeps rules for a day, then reads them again', async () => {
    const c = cache(['User-agent: *\nDisallow: /a/\n', 'User-agent: *\nDisallow: /b/\n']);
    expect(await c.allowed('https://x.gov.cn/a/1.html')).toBe(false);
    c.advance(RULES_TTL_MS - 1);
    expect(await c.allowed('https://x.gov.cn/b/1.html')).toBe(true);
    expect(c.calls()).toBe(1);
    c.advance(2);
    expect(await c.allowed('https://x.gov.cn/b/1.html')).toBe(false);
    expect(await c.allowed('https://x.gov.cn/a/1.html')).toBe(true);
    expect(c.calls()).toBe(2);
  });

  it('shuts an origin whose robots.txt is unreachable, and asks again ten minutes later', async () => {
    const c = cache([new FetchError('http_5xx', 'https://x.gov.cn/robots.txt', 'down'), 'User-agent: *\nDisallow:\n']);
    expect(await c.allowed('https://x.gov.cn/a.html')).toBe(false);
    c.advance(UNREACHABLE_TTL_MS - 1);
    expect(await c.allowed('https://x.gov.cn/a.html')).toBe(false);
    c.advance(2);
    expect(await c.allowed('https://x.gov.cn/a.html')).toBe(true);
    expect(c.calls()).toBe(2);
  });
});

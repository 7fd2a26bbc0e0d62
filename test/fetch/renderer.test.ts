// The renderer's own guarantees: robots.txt and the host allow-list apply to
// the browser's requests, a page over its time limit fails alone, and a
// browser killed mid-render fails that render (kind "render") while the next
// one starts a new browser. The browser is whichever findBrowser finds (a
// system Chromium, CHROMIUM_PATH, or the one shipped in @sparticuz/chromium).
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/fetch/errors.ts';
import { Renderer } from '../../src/fetch/renderer.ts';
import { tempData, testContext } from '../crawl/helpers.ts';
import { html, send, startTestSite, type Handler, type TestSite } from '../crawl/test-site.ts';

const pages = new Map<string, Handler>([
  ['/r/fetches.html', (_q, s) => send(s, html('t', `<div id="out"></div><script>
    Promise.allSettled([fetch('/private/data.json'), fetch('http://other.example.org/x.js'), fetch('/r/ok.json')]).then(function (rs) {
      document.getElementById('out').textContent = rs.map(function (r) { return r.status; }).join(',');
    });</script>`))],
  ['/r/ok.json', (_q, s) => send(s, '{"ok":true}', 'application/json')],
  ['/private/data.json', (_q, s) => send(s, '{"secret":true}', 'application/json')],
  // A script that never returns: the page can neither settle nor be read.
  ['/r/hang.html', (_q, s) => send(s, html('t', `<script>setTimeout(function () { for (;;) {} }, 0)</script>`))],
  // A page that polls forever never goes quiet; its DOM is still read before the limit.
  ['/r/poll.html', (_q, s) => send(s, html('t', `<p id="p">polling</p><script>setInterval(function () { fetch('/r/ok.json'); }, 100)</script>`))],
  ['/r/slow.html', (_q, s) => send(s, html('t', `<div id="x"></div><script>fetch('/r/slow.json').then(function (r) { return r.text(); }).then(function (t) { document.getElementById('x').textContent = t; })</script>`))],
  ['/r/slow.json', (_q, s, _b, hit) => setTimeout(() => s.destroyed || send(s, '{"v":1}', 'application/json'), hit === 1 ? 5000 : 0)],
]);

let site: TestSite;
const ctx = testContext(tempData(), { delayMs: 0, readTimeoutMs: 10_000 });
let renderer: Renderer;

beforeAll(async () => {
  site = await startTestSite(pages);
  ctx.allowedHosts.add('127.0.0.1');
  renderer = new Renderer({ fetcher: ctx.fetcher, allowedHosts: ctx.allowedHosts, timeoutMs: 8000, settleMs: 2500 });
});
afterAll(async () => {
  await renderer.close();
  await ctx.close();
  await site.close();
});

/** Chromium processes this test process started, children or deeper (found through /proc by parent pid; killed by pid). */
function browserPids(): number[] {
  const parent = new Map<number, number>();
  const isChromium = new Set<number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (/chrom/i.test(readFileSync(`/proc/${d}/cmdline`, 'utf8'))) isChromium.add(Number(d));
    } catch {
      /* gone */
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid), n = 0; p !== undefined && n < 10; p = parent.get(p), n++) if (p === process.pid) return true;
    return false;
  };
  return [...isChromium].filter(mine);
}

describe('renderer', () => {
  it('sends the browser\'s requests through robots.txt and the host allow-list', async () => {
    const r = await renderer.render({ url: `${site.origin}/r/fetches.html` });
    const reasons = Object.fromEntries(r.refused.map((x) => [new URL(x.url).pathname, x.reason]));
    expect(reasons['/private/data.json']).toBe('robots_disallowed');
    expect(reasons['/x.js']).toBe('another host');
    expect(site.log.some((l) => l.path === '/private/data.json')).toBe(false);
    expect(r.responses.map((x) => new URL(x.url).pathname)).toEqual(['/r/ok.json']);
  }, 60_000);

  it('fails a page over its time limit with kind "render", and only that page', async () => {
    const err = await renderer.render({ url: `${site.origin}/r/hang.html` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).kind).toBe('render');
    expect((err as FetchError).message).toMatch(/8000 ms render limit/);
    const poll = await renderer.render({ url: `${site.origin}/r/poll.html` });
    expect(poll.pages[0].html).toContain('polling');
  }, 60_000);

  it('fails the render a browser crash interrupts, and starts a new browser for the next', async () => {
    // A renderer of its own, so only its browser is killed.
    await renderer.close();
    const before = new Set(browserPids());
    const own = new Renderer({ fetcher: ctx.fetcher, allowedHosts: ctx.allowedHosts, timeoutMs: 20_000, settleMs: 2500 });
    try {
      const p = own.render({ url: `${site.origin}/r/slow.html` }).catch((e: unknown) => e);
      // Kill the browser while the page waits for its XHR.
      for (let i = 0; i < 300 && !site.log.some((l) => l.path === '/r/slow.json'); i++) await new Promise((r) => setTimeout(r, 100));
      const pids = browserPids().filter((pid) => !before.has(pid));
      expect(pids.length).toBeGreaterThan(0);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      const err = await p;
      expect(err).toBeInstanceOf(FetchError);
      expect((err as FetchError).kind).toBe('render');
      const again = await own.render({ url: `${site.origin}/r/slow.html` });
      expect(again.pages[0].html, JSON.stringify(again.refused)).toContain('{"v":1}');
    } finally {
      await own.close();
    }
  }, 90_000);
});

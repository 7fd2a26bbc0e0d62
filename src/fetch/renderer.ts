// Rendering pages in headless Chromium (playwright-core) without giving up
// any politeness rule. The browser never touches the network itself: every
// request a page makes is intercepted and either refused (images, fonts,
// media, stylesheets and everything else a page's text does not need; hosts
// the crawl is not allowed to contact) or fetched by the crawl's own Fetcher
// and fulfilled from its answer. So each browser request passes robots.txt,
// the per-host gate (delay, per-host limit, global limit), the host breaker,
// the address guard and --map exactly like a plain fetch. The browser is also
// started behind a proxy that does not exist, so a request that somehow
// escaped interception fails instead of reaching a site.
//
// One browser per renderer (started on first use), a few pages at a time,
// each render under a time limit. A crash or a timeout fails that render
// with kind `render` (retried in a later run); the next render starts a new
// browser. Knows nothing of reports: it returns the rendered DOM (after each
// JS page turn) and the XHR/fetch responses, and src/crawl reads them.
import type { Browser, BrowserContext, Route } from 'playwright-core';
import { FetchError } from './errors.ts';
import type { Fetcher } from './fetcher.ts';
import { findBrowser } from './find-browser.ts';

export interface Preloaded {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RenderRequest {
  /** May carry a route fragment (`…/index.html#/xxgk/nb`): the page's script reads it. */
  url: string;
  /** Responses the caller already has (the raw page it just fetched): served without asking the host again. */
  preloaded?: Map<string, Preloaded>;
  /** Follow JS paging for at most this many further pages (0: none). */
  maxMorePages?: number;
  /** Text of the element to click for the next page (a RegExp source, matched against the whole trimmed text). */
  nextPageText?: string;
}

export interface RenderedLink {
  url: string;
  text: string;
  title?: string;
}

export interface RenderedPage {
  url: string;
  html: string;
  /** Every a[href], resolved by the browser (fragments kept). */
  links: RenderedLink[];
}

export interface CapturedResponse {
  url: string;
  method: string;
  requestBody?: string;
  requestContentType?: string;
  status: number;
  contentType?: string;
  body: string;
}

export interface RenderResult {
  pages: RenderedPage[];
  /** The page's own document as the host sent it (absent when it was preloaded). */
  document?: Preloaded & { url: string; finalUrl: string };
  /** XHR/fetch responses with a textual body (JSON, XML, HTML fragments). */
  responses: CapturedResponse[];
  /** Requests sent to hosts for this render (cached scripts and preloaded pages not counted). */
  requests: number;
  /** Requests not sent: refused types, other hosts, fetch failures. */
  refused: Array<{ url: string; reason: string }>;
  ms: number;
}

export interface RendererOptions {
  fetcher: Fetcher;
  /** Hostnames the crawl may contact; a page's requests to other hosts are refused. */
  allowedHosts: Set<string>;
  browserPath?: string;
  /** Pages rendered at once (default 2). */
  pages?: number;
  /** Time limit per render, politeness waits included (default 120 s). */
  timeoutMs?: number;
  /** The network counts as settled after this long without a request in flight (default 1000 ms). */
  settleMs?: number;
}

/** What a page's text can depend on. Everything else (image, font, media, stylesheet, websocket, manifest, …) is refused. */
const FETCHED_TYPES = new Set(['document', 'script', 'xhr', 'fetch']);
const CAPTURE_MAX = 4 * 1024 * 1024;
const SCRIPT_CACHE_MAX = 256;
const DEFAULT_NEXT = '下一?页|下页|next|>|›|»|>>';

// Browser-side code is passed as source text: functions compiled by tsx may
// reference helpers that do not exist in the page.
const SNAPSHOT_JS = `(() => ({
  html: '<!DOCTYPE html>' + document.documentElement.outerHTML,
  links: Array.from(document.querySelectorAll('a[href], area[href]')).map((a) => ({ url: a.href, text: (a.innerText || a.textContent || '').replace(/\\s+/g, ' ').trim(), title: a.getAttribute('title') || undefined })),
}))()`;

/** Clicks the innermost visible, enabled element whose whole text is a "next page" label; true if one was clicked. */
const clickNextJs = (pattern: string) => `((src) => {
  const re = new RegExp('^(?:' + src + ')$', 'i');
  const all = Array.from(document.querySelectorAll('a, button, input[type=button], input[type=submit], span, li, div, em, i, font'));
  const hits = all.filter((el) => {
    const label = ((el.value !== undefined && el.tagName === 'INPUT' ? el.value : el.innerText) || '').replace(/[\\s\\[\\]【】]/g, '');
    if (!re.test(label)) return false;
    if (el.disabled || el.getAttribute('aria-disabled') === 'true' || /(^|\\s)(disabled?|unable|no-?more)(\\s|$)/i.test(el.className || '')) return false;
    return el.getClientRects().length > 0;
  });
  const inner = hits.filter((el) => !hits.some((o) => o !== el && el.contains(o)));
  const el = inner[inner.length - 1];
  if (!el) return false;
  el.click();
  return true;
})(${JSON.stringify(pattern)})`;

interface RenderState {
  preloaded: Map<string, Preloaded>;
  pending: number;
  lastActivity: number;
  requests: number;
  refused: Array<{ url: string; reason: string }>;
  responses: CapturedResponse[];
  document?: Preloaded & { url: string; finalUrl: string };
  closed: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const withoutHash = (u: string) => u.replace(/#.*$/, '');

export class Renderer {
  private launching?: Promise<Browser>;
  /** Why no browser can be started (set once, so every page does not try again). */
  private unavailable?: string;
  private active = 0;
  private readonly queue: Array<() => void> = [];
  /** Scripts are the same for every page of a site: fetched once per renderer. */
  private readonly scriptCache = new Map<string, Preloaded>();
  /** Script fetches in flight, so two pages rendered at once ask for a script once. */
  private readonly scriptFetches = new Map<string, Promise<Preloaded>>();
  /** What rendering cost so far (for the run report). */
  readonly stats = { renders: 0, failures: 0, ms: 0, requests: 0, browser: '' };

  constructor(private readonly opts: RendererOptions) {}

  async render(req: RenderRequest): Promise<RenderResult> {
    await this.slot();
    const t0 = Date.now();
    try {
      const r = await this.renderOnce(req, t0);
      this.stats.renders++;
      return r;
    } catch (e) {
      this.stats.failures++;
      throw e;
    } finally {
      this.stats.ms += Date.now() - t0;
      this.active--;
      this.queue.shift()?.();
    }
  }

  async close(): Promise<void> {
    const b = this.launching;
    this.launching = undefined;
    if (b) await (await b.catch(() => undefined))?.close().catch(() => undefined);
  }

  private async slot(): Promise<void> {
    if (this.active < (this.opts.pages ?? 2)) {
      this.active++;
      return;
    }
    await new Promise<void>((r) => this.queue.push(r));
    this.active++;
  }

  private drop(browser: Browser): void {
    const p = this.launching;
    if (!p) return;
    void p.then((b) => {
      if (b !== browser) return;
      if (this.launching === p) this.launching = undefined;
      void b.close().catch(() => undefined);
    }, () => undefined);
    // Synchronously too, when it is the current one (the check above settles a tick later).
    this.launching = undefined;
  }

  private browser(url: string): Promise<Browser> {
    if (this.unavailable) return Promise.reject(new FetchError('render', url, this.unavailable));
    if (this.launching) return this.launching;
    const p = (async () => {
      let found;
      try {
        found = await findBrowser({ explicitPath: this.opts.browserPath });
      } catch (e) {
        this.unavailable = `no browser to render with (${(e as Error).message}); pages that need JavaScript are skipped`;
        throw new FetchError('render', url, this.unavailable);
      }
      const { chromium } = await import('playwright-core');
      const args = [...found.args, '--disable-dev-shm-usage'];
      // Chromium refuses to start its sandbox as root (containers, CI).
      if (process.getuid?.() === 0 && !args.includes('--no-sandbox')) args.push('--no-sandbox');
      const b = await chromium.launch({ executablePath: found.executablePath, args, headless: true, proxy: { server: 'http://127.0.0.1:9' } });
      this.stats.browser = `${found.executablePath} (${found.source})`;
      b.on('disconnected', () => {
        if (this.launching === p) this.launching = undefined;
      });
      return b;
    })();
    this.launching = p;
    p.catch(() => {
      if (this.launching === p) this.launching = undefined;
    });
    return p;
  }

  private async renderOnce(req: RenderRequest, t0: number): Promise<RenderResult> {
    const timeoutMs = this.opts.timeoutMs ?? 120_000;
    // Waiting for the network stops a little before the limit, so a page that never goes quiet (polling) still yields its DOM.
    const deadline = t0 + timeoutMs * 0.8;
    const browser = await this.browser(req.url);
    const state: RenderState = { preloaded: new Map(req.preloaded ?? []), pending: 0, lastActivity: Date.now(), requests: 0, refused: [], responses: [], closed: false };
    const holder: { context?: BrowserContext } = {};
    let timer: NodeJS.Timeout | undefined;
    // The limit is a race, not a close() of the context: under load, closing a
    // context while a page is being created can leave playwright waiting forever.
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FetchError('render', req.url, `over the ${timeoutMs} ms render limit; the page is tried again in a later run`)), timeoutMs);
    });
    try {
      return await Promise.race([this.work(browser, req, state, holder, t0, deadline, timeoutMs), limit]);
    } catch (e) {
      // A page over its limit may be a script that never yields; its renderer
      // process can hold up other pages of the same site, so the browser goes too.
      if (e instanceof FetchError && e.kind === 'render') this.drop(browser);
      if (e instanceof FetchError) throw e;
      const msg = (e as Error).message.split('\n')[0];
      const crashed = !browser.isConnected() || /has been closed|crash|Target closed/i.test(msg);
      // A dead browser is dropped at once (its "disconnected" event may come later): the next render starts a new one.
      if (crashed) this.drop(browser);
      const why = crashed ? 'the browser crashed or was closed' : msg;
      throw new FetchError('render', req.url, `${why}; the page is tried again in a later run`, { cause: e });
    } finally {
      clearTimeout(timer);
      state.closed = true;
      const ctx = holder.context;
      // Bounded: a wedged browser must not hold the crawl; it is closed with the renderer.
      if (ctx) await Promise.race([ctx.close().catch(() => undefined), sleep(5000)]);
    }
  }

  private async work(browser: Browser, req: RenderRequest, state: RenderState, holder: { context?: BrowserContext }, t0: number, deadline: number, timeoutMs: number): Promise<RenderResult> {
    const context = await browser.newContext({ serviceWorkers: 'block', acceptDownloads: false, locale: 'zh-CN' });
    holder.context = context;
    if (state.closed) throw new Error('render abandoned');
    await context.route('**/*', (route) => this.handle(route, state));
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    await page.goto(req.url, { waitUntil: 'load', timeout: timeoutMs });
    await this.settle(state, deadline);
    const snap = async (): Promise<RenderedPage> => ({ url: page.url(), ...(await page.evaluate(SNAPSHOT_JS) as Omit<RenderedPage, 'url'>) });
    const pages = [await snap()];
    const signature = (p: RenderedPage) => p.links.map((l) => l.url + '\u0000' + l.text).join('\n');
    const seen = new Set([signature(pages[0])]);
    for (let i = 0; i < (req.maxMorePages ?? 0) && Date.now() < deadline; i++) {
      let clicked = false;
      try {
        clicked = await page.evaluate(clickNextJs(req.nextPageText ?? DEFAULT_NEXT)) as boolean;
      } catch {
        clicked = true; // the click navigated away mid-evaluate: a real link; read the page it led to
      }
      if (!clicked) break;
      await page.waitForLoadState('domcontentloaded').catch(() => undefined);
      state.lastActivity = Date.now();
      await this.settle(state, deadline);
      const next = await snap();
      const sig = signature(next);
      // The same links again: the last page (its 下一页 does nothing, or cycles).
      if (seen.has(sig)) break;
      seen.add(sig);
      pages.push(next);
    }
    this.stats.requests += state.requests;
    return { pages, document: state.document, responses: state.responses, requests: state.requests, refused: state.refused, ms: Date.now() - t0 };
  }

  /** Network quiet for settleMs (no intercepted request in flight), or the deadline. */
  private async settle(state: RenderState, deadline: number): Promise<void> {
    const quiet = this.opts.settleMs ?? 1000;
    while (Date.now() < deadline) {
      await sleep(Math.min(100, quiet));
      if (state.pending === 0 && Date.now() - state.lastActivity >= quiet) return;
    }
  }

  private async handle(route: Route, state: RenderState): Promise<void> {
    const req = route.request();
    const type = req.resourceType();
    const url = req.url();
    const refuse = async (reason: string) => {
      state.refused.push({ url, reason });
      await route.abort('blockedbyclient').catch(() => undefined);
    };
    if (!FETCHED_TYPES.has(type)) return refuse(`${type} not fetched`);
    let host: string;
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return refuse('not http(s)');
      host = u.hostname;
    } catch {
      return refuse('invalid URL');
    }
    if (!this.opts.allowedHosts.has(host)) return refuse('another host');
    const method = req.method();
    if (method !== 'GET' && method !== 'POST') return refuse(`method ${method}`);
    state.pending++;
    state.lastActivity = Date.now();
    try {
      const key = withoutHash(url);
      let res = method === 'GET' ? (state.preloaded.get(key) ?? (type === 'script' ? this.scriptCache.get(key) : undefined)) : undefined;
      const inFlight = !res && type === 'script' && method === 'GET' ? this.scriptFetches.get(key) : undefined;
      if (inFlight) res = await inFlight;
      if (!res) {
        const body = req.postData() ?? undefined;
        const contentType = req.headers()['content-type'];
        const fetching = this.opts.fetcher.fetch({ url: key, method, body, contentType });
        if (type === 'script' && method === 'GET') {
          const p = fetching.then((x) => ({ status: x.status, headers: x.headers, body: x.body }));
          p.catch(() => undefined);
          this.scriptFetches.set(key, p);
          void p.finally(() => this.scriptFetches.delete(key)).catch(() => undefined);
        }
        const r = await fetching;
        state.requests++;
        res = { status: r.status, headers: r.headers, body: r.body };
        if (type === 'document' && !state.document) state.document = { ...res, url: key, finalUrl: r.finalUrl };
        if (r.redirects.length && type === 'document') {
          // Let the browser see the redirect, so relative links resolve against the final URL; the final page is already here.
          state.preloaded.set(withoutHash(r.finalUrl), res);
          res = { status: 302, headers: { location: r.finalUrl }, body: Buffer.alloc(0) };
        } else if (type === 'script' && r.status === 200 && this.scriptCache.size < SCRIPT_CACHE_MAX) this.scriptCache.set(key, res);
        if ((type === 'xhr' || type === 'fetch') && res.body.length <= CAPTURE_MAX) {
          state.responses.push({ url: key, method, requestBody: body, requestContentType: contentType, status: r.status, contentType: r.headers['content-type'], body: res.body.toString('utf8') });
        }
      }
      if (state.closed) return;
      await route.fulfill({ status: res.status, headers: fulfilHeaders(res.headers), body: res.body });
    } catch (e) {
      await refuse(e instanceof FetchError ? e.kind : (e as Error).message.split('\n')[0]);
    } finally {
      state.pending--;
      state.lastActivity = Date.now();
    }
  }
}

/** The body is already decoded and complete: drop the headers that describe the wire form. */
function fulfilHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'set-cookie'].includes(k)) out[k] = v;
  return out;
}

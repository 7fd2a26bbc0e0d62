// src/fetch: one polite HTTP client (politeness gate, robots.txt, charset, TLS trust, address guard, host breaker, URL map, errors); it knows nothing of sites or reports.
//
// The HTTP layer: one method, fetch(), that applies every rule a polite and
// safe crawler needs before, during and after an exchange — host allow-list,
// private-address guard, --map transport rewriting, robots.txt, the
// politeness gate, timeouts, a body-size cap, bounded manual redirects (each
// hop re-checked), and retries with exponential backoff and jitter.
import zlib from 'node:zlib';
import { Agent } from 'undici';
import { AddressGuard } from './address-guard.ts';
import { decodeBody } from '../common/charset.ts';
import { detectBlockPage } from './block-page.ts';
import { FetchError, classifySocketError } from './errors.ts';
import { HostBreaker } from './host-breaker.ts';
import { PolitenessGate } from './politeness.ts';
import { OriginMap } from './url-map.ts';

export interface FetchRequest {
  url: string;
  method?: 'GET' | 'POST';
  /** Form body for POST list APIs (Hanweb dataproxy.jsp, JSON list endpoints). */
  body?: string;
  contentType?: string;
  /** Validators from the previous fetch: sent as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  /** robots.txt itself must not be checked against robots.txt. */
  skipRobots?: boolean;
  /** A lower size limit than the client's for this request (a page's images: 10 MB each). */
  maxBytes?: number;
}

export interface FetchResponse {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  redirects: string[];
  attempts: number;
  notModified: boolean;
}

export interface FetcherOptions {
  userAgent: string;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  /** Retries after the first attempt. */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this is not waited for: the URL fails with advice to retry later. */
  maxRetryAfterMs: number;
  gate: PolitenessGate;
  guard: AddressGuard;
  map: OriginMap;
  /** Hostnames the crawl may contact. */
  allowedHosts: Set<string>;
  /** Consulted before each request unless skipRobots; throws robots_disallowed. */
  robots?: { check(url: URL): Promise<void> };
  /** Certificate authorities to trust (PEM), when more than Node's own are needed (see tls-trust.ts). */
  ca?: string[];
  /** Stops asking hosts that keep failing (default: a HostBreaker with its defaults). */
  breaker?: HostBreaker;
  /** Called once per HTTP attempt; the run report counts them. */
  onAttempt?: (url: string, outcome: number | string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(0, when - now);
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export class Fetcher {
  readonly agent: Agent;
  private readonly breaker: HostBreaker;

  constructor(readonly opts: FetcherOptions) {
    this.breaker = opts.breaker ?? new HostBreaker();
    this.agent = new Agent({
      connectTimeout: opts.connectTimeoutMs,
      headersTimeout: opts.readTimeoutMs,
      bodyTimeout: opts.readTimeoutMs,
      connect: { lookup: opts.guard.lookup(), ...(opts.ca ? { ca: opts.ca } : {}) },
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Fetch one URL, following redirects. Throws FetchError (see its `advice`). */
  async fetch(req: FetchRequest): Promise<FetchResponse> {
    const redirects: string[] = [];
    const seen = new Set<string>();
    let current = this.parse(req.url);
    let method = req.method ?? 'GET';
    let body = req.body;
    let attempts = 0;
    for (;;) {
      seen.add(current.href);
      let r;
      try {
        r = await this.withRetries(current, { ...req, method, body }, (n) => (attempts += n));
      } catch (e) {
        if (e instanceof FetchError) this.breaker.failed(current.host, e.kind);
        throw e;
      }
      this.breaker.succeeded(current.host);
      const location = r.headers['location'];
      if (r.status >= 300 && r.status < 400 && r.status !== 304 && location) {
        const next = this.opts.map.fromTransport(new URL(location, current));
        if (seen.has(next.href)) throw new FetchError('redirect_loop', req.url, `redirect from ${current.href} back to ${next.href}; the site is misconfigured, skip it`);
        if (redirects.length >= this.opts.maxRedirects) throw new FetchError('too_many_redirects', req.url, `more than ${this.opts.maxRedirects} redirects; skip`);
        redirects.push(next.href);
        current = next;
        // 301/302/303 turn a POST into a GET, as browsers do.
        if (r.status !== 307 && r.status !== 308) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return { url: req.url, finalUrl: current.href, status: r.status, headers: r.headers, body: r.body, redirects, attempts, notModified: r.status === 304 };
    }
  }

  private parse(url: string): URL {
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`unsupported protocol ${u.protocol}`);
      return u;
    } catch (e) {
      throw new FetchError('invalid_url', url, `${(e as Error).message}; fix the link or config`);
    }
  }

  private async withRetries(url: URL, req: FetchRequest, count: (n: number) => void): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    if (!this.opts.allowedHosts.has(url.hostname)) {
      throw new FetchError('host_not_allowed', url.href, `host ${url.hostname} is not named by a site config or the command line; add it to the config's "hosts" to allow it`);
    }
    for (let attempt = 0; ; attempt++) {
      if (!req.skipRobots && this.opts.robots) await this.opts.robots.check(url);
      const release = await this.opts.gate.acquire(url.host);
      // Checked with the host's slot in hand, not when the request was queued: the
      // requests waiting behind a failing one see the breaker it opened.
      const refusal = this.breaker.refusal(url.host);
      if (refusal) {
        release();
        throw new FetchError('host_unavailable', url.href, refusal);
      }
      count(1);
      try {
        const r = await this.exchange(url, req);
        this.opts.onAttempt?.(url.href, r.status);
        return r;
      } catch (e) {
        const err = e instanceof FetchError ? e : classifySocketError(e, url.href, 'connect');
        this.opts.onAttempt?.(url.href, err.kind);
        if (!err.retriable || attempt >= this.opts.retries) throw err;
        let wait = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** attempt) * (0.5 + Math.random());
        if (err.retryAfterMs !== undefined) {
          if (err.retryAfterMs > this.opts.maxRetryAfterMs) throw err;
          // The server named its own pause: honour it for the whole host, plus a little jitter.
          wait = err.retryAfterMs + Math.random() * 100;
          this.opts.gate.deferHost(url.host, Date.now() + wait);
        }
        await sleep(wait);
      } finally {
        release();
      }
    }
  }

  /** One HTTP exchange against the (possibly mapped) transport URL. */
  private async exchange(url: URL, req: FetchRequest): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const transport = this.opts.map.toTransport(url);
    this.opts.guard.checkUrl(transport);
    const headers: Record<string, string> = {
      'user-agent': this.opts.userAgent,
      accept: 'text/html,application/xhtml+xml,application/xml,application/json,application/pdf,*/*;q=0.8',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'zh-CN,zh;q=0.9',
    };
    // A mirror serving several sites (one address for many hosts, as --map allows) tells them apart by Host, as the real servers do.
    if (transport.host !== url.host) headers.host = url.host;
    if (req.etag) headers['if-none-match'] = req.etag;
    if (req.lastModified) headers['if-modified-since'] = req.lastModified;
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/x-www-form-urlencoded; charset=UTF-8';
    let res;
    try {
      res = await this.agent.request({ origin: transport.origin, path: transport.pathname + transport.search, method: req.method ?? 'GET', headers, body: req.body });
    } catch (e) {
      throw classifySocketError(e, url.href, 'headers');
    }
    const h = flattenHeaders(res.headers as Record<string, string | string[] | undefined>);
    const status = res.statusCode;
    if (status === 429 || status >= 500 || (status >= 400 && status < 500)) {
      // A firewall or bot defence often refuses with 403, 412 or 5xx and a challenge page:
      // that is a block (recorded, never retried, never bypassed), not a broken link or a server error.
      const why = status === 429 || status === 404 || status === 410 ? undefined : await blockReason(res.body, h['content-type']);
      if (why) throw new FetchError('blocked', url.href, `HTTP ${status} with an anti-bot or firewall page (${why}); recorded as blocked, not bypassed: crawl the site later, more slowly, or from a network it allows`, { status });
      await res.body.dump().catch(() => undefined);
      const retryAfterMs = parseRetryAfter(h['retry-after']);
      if (status === 429) throw new FetchError('http_429', url.href, `rate limited; retry later`, { status, retryAfterMs });
      if (status >= 500) throw new FetchError('http_5xx', url.href, `server error ${status}; retry later`, { status, retryAfterMs });
      throw new FetchError('http_4xx', url.href, `HTTP ${status}; the link is wrong or gone, skip it`, { status });
    }
    const limit = Math.min(this.opts.maxBodyBytes, req.maxBytes ?? Infinity);
    const declared = Number(h['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      res.body.destroy();
      throw new FetchError('too_large', url.href, `Content-Length ${declared} over the ${limit}-byte limit; skip or raise --max-body`);
    }
    let read: Buffer | undefined;
    try {
      read = await readUpTo(res.body, limit);
    } catch (e) {
      throw classifySocketError(e, url.href, 'body');
    }
    if (!read) throw new FetchError('too_large', url.href, `body over the ${limit}-byte limit; skip or raise --max-body`);
    let body: Buffer = read;
    if (Number.isFinite(declared) && h['content-length'] !== undefined && body.length < declared && !h['content-encoding']) {
      throw new FetchError('truncated', url.href, `got ${body.length} of ${declared} bytes; retry`);
    }
    body = this.decompress(body, h['content-encoding'], url.href);
    return { status, headers: h, body };
  }

  private decompress(body: Buffer, encoding: string | undefined, url: string): Buffer {
    if (!encoding || encoding === 'identity' || body.length === 0) return body;
    const opts = { maxOutputLength: this.opts.maxBodyBytes };
    try {
      if (encoding.includes('gzip')) return zlib.gunzipSync(body, opts);
      if (encoding.includes('deflate')) return zlib.inflateSync(body, opts);
      if (encoding.includes('br')) return zlib.brotliDecompressSync(body, opts);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new FetchError('too_large', url, `decompressed body over the limit; skip`);
      throw new FetchError('truncated', url, `could not decompress ${encoding} body (${(e as Error).message}); retry`);
    }
    return body;
  }
}

/** Challenge and firewall pages are small; an error body larger than this is not read. */
const BLOCK_PAGE_MAX = 256 * 1024;

/** The body, or undefined once it passes `max` bytes (the rest is not read: the stream is destroyed). */
async function readUpTo(body: AsyncIterable<unknown> & { destroy(): unknown }, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Why an error response's body is a block page, if it is one (the body is consumed either way). */
async function blockReason(body: AsyncIterable<unknown> & { destroy(): unknown }, contentType: string | undefined): Promise<string | undefined> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readUpTo(body, BLOCK_PAGE_MAX);
  } catch {
    return undefined; // a broken error body: the status decides
  }
  if (!bytes?.length) return undefined;
  return detectBlockPage(decodeBody(bytes, contentType).text);
}

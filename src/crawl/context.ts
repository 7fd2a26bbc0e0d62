// One crawl context per command: the politeness gate, robots cache, fetcher
// and archive are shared by every site crawled in it, so the global limit and
// per-host delays hold across sites that share a host.
import path from 'node:path';
import { AddressGuard } from '../fetch/address-guard.ts';
import { Archive } from '../archive/archive.ts';
import { Fetcher } from '../fetch/fetcher.ts';
import { PolitenessGate } from '../fetch/politeness.ts';
import { Renderer } from '../fetch/renderer.ts';
import { RobotsCache } from '../fetch/robots.ts';
import { trustedCas } from '../fetch/tls-trust.ts';
import { OriginMap, type OriginMapping } from '../fetch/url-map.ts';

// HTTP headers are ASCII: the UA names the project and says what it collects,
// without Chinese. It names no URL: there is no project site to send a site's
// operator to, and a made-up one would be worse than none. Operators of a
// crawl add their own contact (--user-agent / NIANBAO_USER_AGENT); a crawl
// without one warns once (contactWarning).
export const DEFAULT_USER_AGENT = 'nianbao/0.1 (collects government information-disclosure annual reports for research)';

/** A warning when the User-Agent gives site operators no way to reach whoever runs the crawl (no URL, no email). */
export function contactWarning(userAgent: string): string | undefined {
  if (/https?:\/\/[^\s;)]+|[\w.+-]+@[\w-]+\.[\w.-]+/.test(userAgent)) return undefined;
  return `the User-Agent "${userAgent}" names no contact: site operators cannot reach you. Add a URL or email, e.g. --user-agent "nianbao/0.1 (+mailto:you@example.org)" or NIANBAO_USER_AGENT`;
}

export interface ContextOptions {
  dataDir: string;
  userAgent?: string;
  /** Per-host delay between requests (ms); robots.txt Crawl-delay can raise it. */
  delayMs?: number;
  perHostConcurrency?: number;
  globalConcurrency?: number;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  maxBodyBytes?: number;
  maxRedirects?: number;
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  maxRetryAfterMs?: number;
  map?: OriginMapping[];
  /** Private addresses (exact IPs) that may be contacted anyway. --map targets are added automatically. */
  allowPrivate?: string[];
  /** Obey robots.txt (default true). */
  robots?: boolean;
  /** Extra certificates (PEM) to trust besides Node's roots: --ca files (see tls-trust.ts). */
  extraCa?: string[];
  /**
   * Render pages that need JavaScript in headless Chromium (default false here;
   * the CLI turns it on unless --no-render). The browser starts on first use.
   */
  render?: boolean;
  /** Chromium to use (else CHROMIUM_PATH, then the system's: see fetch/find-browser.ts). */
  browserPath?: string;
  /** Pages rendered at once (default 2) and the time limit per page (default 120 s). */
  renderPages?: number;
  renderTimeoutMs?: number;
  /** Quiet network for this long counts as settled (default 1000 ms). */
  renderSettleMs?: number;
  bodyImages?: BodyImageFinder;
}

/**
 * The URLs of the pictures in a report page's article body, in document
 * order: the parser's judgement of where the body is, passed in by the
 * caller (src/crawl may not import src/parse). Absent: no images are fetched.
 */
export type BodyImageFinder = (bytes: Uint8Array, url: string, charset?: string) => string[];

export interface CrawlContext {
  archive: Archive;
  gate: PolitenessGate;
  fetcher: Fetcher;
  robots: RobotsCache | null;
  allowedHosts: Set<string>;
  dataDir: string;
  userAgent: string;
  requests: { count: number };
  /** Absent when rendering is off. */
  renderer?: Renderer;
  bodyImages?: BodyImageFinder;
  close(): Promise<void>;
}

export function createContext(o: ContextOptions): CrawlContext {
  const userAgent = o.userAgent ?? DEFAULT_USER_AGENT;
  if (!/^[\x20-\x7e]+$/.test(userAgent)) throw new Error(`User-Agent must be printable ASCII (HTTP headers cannot carry other characters): "${userAgent}"`);
  const archive = new Archive(path.join(o.dataDir, 'archive'));
  const gate = new PolitenessGate({ concurrency: o.perHostConcurrency ?? 1, delayMs: o.delayMs ?? 1000 }, o.globalConcurrency ?? 16);
  const map = new OriginMap(o.map ?? []);
  const guard = new AddressGuard(o.allowPrivate ?? []);
  // Naming a mirror with --map is the explicit permission to contact it.
  for (const t of map.targets) guard.allow(new URL(t).hostname.replace(/^\[|\]$/g, ''));
  const allowedHosts = new Set<string>();
  const requests = { count: 0 };
  // robots.txt is fetched per context, not per site run: its records carry the context's id.
  const session = `robots-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${process.pid}`;
  const token = userAgent.split('/')[0].trim() || 'nianbao';
  const robots = o.robots === false ? null : new RobotsCache(gate, token, async (_origin, res) => {
    if (!res) return;
    const hash = await archive.putBlob(res.body);
    await archive.putRecord({
      key: res.finalUrl, url: res.finalUrl, finalUrl: res.finalUrl, method: 'GET', status: res.status, headers: res.headers,
      fetchedAt: new Date().toISOString(), site: '(robots)', sha256: hash, size: res.body.length, kind: 'robots', outcome: 'list',
      redirects: [], runId: session,
    });
  });
  const fetcher = new Fetcher({
    userAgent,
    connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
    readTimeoutMs: o.readTimeoutMs ?? 30_000,
    maxBodyBytes: o.maxBodyBytes ?? 50 * 1024 * 1024,
    maxRedirects: o.maxRedirects ?? 5,
    retries: o.retries ?? 3,
    backoffBaseMs: o.backoffBaseMs ?? 1000,
    backoffMaxMs: o.backoffMaxMs ?? 30_000,
    maxRetryAfterMs: o.maxRetryAfterMs ?? 120_000,
    gate,
    guard,
    map,
    allowedHosts,
    robots: robots ?? undefined,
    ca: trustedCas(o.extraCa ?? []),
    onAttempt: () => {
      requests.count++;
    },
  });
  robots?.bind(fetcher);
  const renderer = o.render
    ? new Renderer({ fetcher, allowedHosts, browserPath: o.browserPath, pages: o.renderPages, timeoutMs: o.renderTimeoutMs, settleMs: o.renderSettleMs })
    : undefined;
  return {
    archive, gate, fetcher, robots, allowedHosts, dataDir: o.dataDir, userAgent, requests, renderer, bodyImages: o.bodyImages,
    close: async () => {
      await renderer?.close();
      await fetcher.close();
      await archive.close();
    },
  };
}

// robots.txt, fetched per origin through the same polite path as everything
// else, and kept for at most a day (RFC 9309's limit), so the scheduler's
// long-lived process sees a site's new rules. Disallow rules block URLs;
// Crawl-delay raises the host's delay in the politeness gate. What was found
// is kept for the run report.
//
// Missing robots.txt (4xx) means no rules. An unreachable one (5xx, network
// errors after retries, a host the breaker has shut) means "disallow
// everything", as RFC 9309 asks: the run report says so, and it is asked
// again after UNREACHABLE_TTL_MS (the next scheduled run, at the latest).
import robotsParserModule from 'robots-parser';
import { FetchError } from './errors.ts';
import type { Fetcher } from './fetcher.ts';
import type { PolitenessGate } from './politeness.ts';

export interface RobotsRecord {
  origin: string;
  status: number | string;
  crawlDelaySec?: number;
  /** URLs this run did not fetch because of a Disallow rule. */
  disallowed: string[];
  /** The delay the gate actually applies to this host, after Crawl-delay. */
  effectiveDelayMs: number;
}

interface Robot {
  isDisallowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS whose typings declare an ES default export; at
// runtime the default import is the parser function itself.
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => Robot;

/** How long rules (or their absence) are kept: RFC 9309 asks for no more than 24 hours. */
export const RULES_TTL_MS = 24 * 3600_000;
/** How long an unreachable robots.txt keeps its origin shut before it is asked again. */
export const UNREACHABLE_TTL_MS = 10 * 60_000;

type Rules = Robot | 'deny-all' | null;

export class RobotsCache {
  private readonly entries = new Map<string, { rules: Promise<Rules>; expires: number }>();
  readonly records = new Map<string, RobotsRecord>();
  private fetcher?: Fetcher;

  constructor(
    private readonly gate: PolitenessGate,
    /** Product token matched against User-agent lines, e.g. "nianbao". */
    private readonly agentToken: string,
    private readonly onFetched?: (origin: string, res: { status: number; headers: Record<string, string>; body: Buffer; finalUrl: string } | null) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  bind(fetcher: Fetcher): void {
    this.fetcher = fetcher;
  }

  async check(url: URL): Promise<void> {
    const robot = await this.load(url);
    const rec = this.records.get(url.origin)!;
    if (robot === 'deny-all' || (robot && robot.isDisallowed(url.href, this.agentToken))) {
      rec.disallowed.push(url.href);
      throw new FetchError('robots_disallowed', url.href, `robots.txt of ${url.origin} disallows it; skipped (not an error of the site)`);
    }
  }

  private load(url: URL): Promise<Rules> {
    const cached = this.entries.get(url.origin);
    if (cached && cached.expires > this.now()) return cached.rules;
    const entry = { rules: this.fetchRobots(url), expires: Infinity };
    this.entries.set(url.origin, entry);
    void entry.rules.then((r) => (entry.expires = this.now() + (r === 'deny-all' ? UNREACHABLE_TTL_MS : RULES_TTL_MS)));
    return entry.rules;
  }

  private async fetchRobots(url: URL): Promise<Rules> {
    const robotsUrl = new URL('/robots.txt', url.origin).href;
    const rec: RobotsRecord = { origin: url.origin, status: 'pending', disallowed: [], effectiveDelayMs: this.gate.policy(url.host).delayMs };
    this.records.set(url.origin, rec);
    if (!this.fetcher) throw new Error('RobotsCache.bind(fetcher) was not called');
    try {
      const res = await this.fetcher.fetch({ url: robotsUrl, skipRobots: true });
      rec.status = res.status;
      await this.onFetched?.(url.origin, res);
      const text = res.body.toString('utf8');
      // Many sites answer /robots.txt with their home page: that is no rules.
      if (/^\s*</.test(text)) return null;
      const robot = robotsParser(robotsUrl, text);
      const delay = robot.getCrawlDelay(this.agentToken);
      if (delay !== undefined && Number.isFinite(delay) && delay > 0) {
        rec.crawlDelaySec = delay;
        const current = this.gate.policy(url.host).delayMs;
        if (delay * 1000 > current) this.gate.setPolicy(url.host, { delayMs: delay * 1000 });
      }
      rec.effectiveDelayMs = this.gate.policy(url.host).delayMs;
      return robot;
    } catch (e) {
      const err = e as FetchError;
      rec.status = err.kind ?? 'error';
      // Only an unreachable robots.txt (server trouble) denies; a missing,
      // oversized or off-site one is read as "no rules".
      return err.advice === 'retry' ? 'deny-all' : null;
    }
  }
}

// Stop asking a host that keeps failing. After a run of failed fetches (each
// already retried with backoff) — or at once when the failure cannot pass by
// itself (the name does not resolve, the certificate does not verify) — the
// rest of the host's requests fail at once, without a connection, for a
// cool-down; then one request is let through to see whether it is back. A
// site that is down or has started blocking is not hammered for the hundreds
// of pages left in its frontier, and the run report says why they were skipped.
import type { FetchErrorKind } from './errors.ts';

/** Failures that say something about the host, not about one URL. */
const HOST_FAILURES: ReadonlySet<FetchErrorKind> = new Set(['timeout', 'reset', 'refused', 'network', 'http_5xx', 'http_429', 'blocked', 'dns', 'tls']);
/** Failures that show the host answered (a broken link, an oversized file): its run of failures ends. */
const ANSWERED: ReadonlySet<FetchErrorKind> = new Set(['http_4xx', 'too_large', 'truncated', 'redirect_loop', 'too_many_redirects']);
/** Failures no retry or wait will change within a run. */
const DEFINITIVE: ReadonlySet<FetchErrorKind> = new Set(['dns', 'tls']);

interface HostHealth {
  failures: number;
  openUntil: number;
  last?: FetchErrorKind;
}

export interface BreakerOptions {
  /** Failed fetches in a row that open the breaker (default 5). */
  threshold?: number;
  /** How long an open breaker refuses the host's requests (default 15 min). */
  cooldownMs?: number;
  now?: () => number;
}

export class HostBreaker {
  private readonly hosts = new Map<string, HostHealth>();
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(o: BreakerOptions = {}) {
    this.threshold = o.threshold ?? 5;
    this.cooldownMs = o.cooldownMs ?? 15 * 60_000;
    this.now = o.now ?? Date.now;
  }

  /** Why the host's requests are being refused now, or undefined if they may go. */
  refusal(host: string): string | undefined {
    const h = this.hosts.get(host);
    if (!h || h.openUntil <= this.now()) return undefined;
    const mins = Math.ceil((h.openUntil - this.now()) / 60_000);
    return `${host} failed ${h.failures} fetch${h.failures === 1 ? '' : 'es'} in a row (last: ${h.last}); not asked again for ${mins} min — retry the site later`;
  }

  succeeded(host: string): void {
    this.hosts.delete(host);
  }

  failed(host: string, kind: FetchErrorKind): void {
    if (ANSWERED.has(kind)) return this.succeeded(host);
    if (!HOST_FAILURES.has(kind)) return;
    const h = this.hosts.get(host) ?? { failures: 0, openUntil: 0 };
    h.failures++;
    h.last = kind;
    // Also after a cool-down: the one request let through failed, so the host stays shut.
    if (h.failures >= this.threshold || DEFINITIVE.has(kind)) h.openUntil = this.now() + this.cooldownMs;
    this.hosts.set(host, h);
  }
}

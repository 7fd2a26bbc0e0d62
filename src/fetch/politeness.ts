// Politeness: every request to a host waits for a slot on that host (default
// one at a time) and for the host's delay since its previous request finished
// (default 1 s, raised to the robots.txt Crawl-delay when that is larger), and
// for a slot under the global limit. Retries and robots.txt fetches go through
// the same gate, so a failing site is never hit faster than a healthy one.

export interface HostPolicy {
  concurrency: number;
  delayMs: number;
}

interface HostState {
  policy: HostPolicy;
  inFlight: number;
  /** Earliest time the next request may start. */
  nextStart: number;
  waiters: Array<() => void>;
  timer?: NodeJS.Timeout;
}

export type Release = () => void;

export class PolitenessGate {
  private readonly hosts = new Map<string, HostState>();
  private globalInFlight = 0;
  private readonly globalWaiters: Array<() => void> = [];

  constructor(
    private readonly defaults: HostPolicy,
    private readonly globalLimit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Override the policy for one host (config politeness block or robots Crawl-delay). */
  setPolicy(host: string, policy: Partial<HostPolicy>): void {
    const st = this.state(host);
    // Absent fields keep their current value (an explicit undefined must not erase a default).
    if (policy.concurrency !== undefined) st.policy.concurrency = policy.concurrency;
    if (policy.delayMs !== undefined) {
      // A longer delay learnt mid-way (robots Crawl-delay) applies to the pause already running.
      if (st.nextStart > 0 && policy.delayMs > st.policy.delayMs) st.nextStart += policy.delayMs - st.policy.delayMs;
      st.policy.delayMs = policy.delayMs;
    }
    this.pump(host, st);
  }

  /** Keep a host idle until `until` (epoch ms), e.g. after a 429 with Retry-After. */
  deferHost(host: string, until: number): void {
    const st = this.state(host);
    st.nextStart = Math.max(st.nextStart, until);
  }

  policy(host: string): HostPolicy {
    return this.state(host).policy;
  }

  /** Wait for a host slot, then a global slot. The returned function must be called when the exchange ends. */
  async acquire(host: string): Promise<Release> {
    const st = this.state(host);
    await new Promise<void>((resolve) => {
      st.waiters.push(resolve);
      this.pump(host, st);
    });
    await this.acquireGlobal();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.releaseGlobal();
      st.inFlight--;
      // Delay counts from the end of the previous exchange: a slow server gets
      // the full pause after it finished, not a burst as soon as it answers.
      st.nextStart = Math.max(st.nextStart, this.now() + st.policy.delayMs);
      this.pump(host, st);
    };
  }

  private state(host: string): HostState {
    let st = this.hosts.get(host);
    if (!st) {
      st = { policy: { ...this.defaults }, inFlight: 0, nextStart: 0, waiters: [] };
      this.hosts.set(host, st);
    }
    return st;
  }

  private pump(host: string, st: HostState): void {
    if (st.timer) return;
    while (st.waiters.length > 0 && st.inFlight < st.policy.concurrency) {
      const wait = st.nextStart - this.now();
      if (wait > 0) {
        st.timer = setTimeout(() => {
          st.timer = undefined;
          this.pump(host, st);
        }, wait);
        return;
      }
      st.inFlight++;
      st.nextStart = this.now() + st.policy.delayMs;
      st.waiters.shift()!();
    }
  }

  private acquireGlobal(): Promise<void> {
    if (this.globalInFlight < this.globalLimit) {
      this.globalInFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.globalWaiters.push(resolve));
  }

  private releaseGlobal(): void {
    const next = this.globalWaiters.shift();
    if (next) next();
    else this.globalInFlight--;
  }
}

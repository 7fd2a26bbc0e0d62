// `nianbao schedule`: runs each site on its cron expression (croner) in one
// long-lived process. A site never runs twice at once (an overlapping tick is
// recorded as skipped, and a run held by another process's lock likewise); a
// run missed while the scheduler was down runs once at start; crawls asked for
// through the API wait in <data>/jobs/queue and run on the next poll; every
// run is appended to <data>/jobs/history.jsonl, which `nianbao jobs` lists.
import { Cron } from 'croner';
import { JobHistory, type Trigger } from '../archive/job-history.ts';
import { clearHeartbeat, dequeue, listQueued, writeHeartbeat } from '../archive/job-queue.ts';
import type { RunReport } from '../archive/run-records.ts';
import type { SiteConfig } from './site-config.ts';
import { SiteBusyError } from './site-lock.ts';

export interface SchedulerOptions {
  sites: SiteConfig[];
  history: JobHistory;
  run: (site: SiteConfig) => Promise<RunReport>;
  /** Run every site once at start, whatever its schedule says. */
  runAtStart?: boolean;
  log?: (line: string) => void;
  now?: () => Date;
  /** Take crawl requests from <dataDir>/jobs/queue (the API's) and leave a heartbeat there. */
  queue?: { dataDir: string; pollMs?: number };
}

export class Scheduler {
  private readonly crons: Cron[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private poller?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly o: SchedulerOptions) {}

  /** Start the cron jobs; returns after the at-start (missed or requested) runs have been launched. */
  async start(): Promise<void> {
    const now = this.o.now?.() ?? new Date();
    for (const site of this.o.sites) {
      if (!site.schedule) {
        this.o.log?.(`${site.id}: no "schedule" in its config; not scheduled`);
        continue;
      }
      const cron = new Cron(site.schedule, { name: site.id }, () => void this.trigger(site, 'cron'));
      this.crons.push(cron);
      const last = await this.o.history.lastRun(site.id);
      const previousSlot = new Cron(site.schedule, { paused: true }).previousRuns(1, now)[0];
      const missed = last !== undefined && previousSlot !== undefined && previousSlot.getTime() > Date.parse(last.startedAt);
      if (missed) void this.trigger(site, 'missed');
      else if (this.o.runAtStart) void this.trigger(site, 'start');
      this.o.log?.(`${site.id}: "${site.schedule}", next run ${cron.nextRun()?.toISOString() ?? 'never'}${missed ? '; running the missed run now' : ''}`);
    }
    if (this.o.queue) {
      const pollMs = this.o.queue.pollMs ?? 5000;
      await this.pollQueue(pollMs);
      this.poller = setInterval(() => {
        this.polling ??= this.pollQueue(pollMs).finally(() => (this.polling = undefined));
      }, pollMs);
      this.poller.unref();
    }
  }

  /** Beat, then start every queued crawl of a site this scheduler knows (one it does not know is recorded as an error). */
  private async pollQueue(pollMs: number): Promise<void> {
    const dataDir = this.o.queue!.dataDir;
    try {
      await writeHeartbeat(dataDir, { pid: process.pid, startedAt: this.startedAt, beatAt: new Date().toISOString(), pollMs });
      for (const job of await listQueued(dataDir)) {
        await dequeue(dataDir, job.site);
        const site = this.o.sites.find((s) => s.id === job.site);
        if (!site) {
          const at = new Date().toISOString();
          await this.o.history.append({ site: job.site, trigger: 'api', status: 'error', startedAt: at, finishedAt: at, message: `queued at ${job.queuedAt}, but this scheduler has no site ${job.site}: start it with that site's config` });
          continue;
        }
        void this.trigger(site, 'api');
      }
    } catch (e) {
      this.o.log?.(`queue: ${(e as Error).message}; trying again in ${pollMs} ms`);
    }
  }

  /** Run a site unless it is already running (here or in another process). */
  async trigger(site: SiteConfig, trigger: Trigger): Promise<void> {
    const startedAt = new Date().toISOString();
    if (this.running.has(site.id)) {
      await this.o.history.append({ site: site.id, trigger, status: 'skipped', startedAt, finishedAt: startedAt, message: 'previous run still in progress' });
      this.o.log?.(`${site.id}: ${trigger} tick skipped, previous run still in progress`);
      return;
    }
    const job = (async () => {
      this.o.log?.(`${site.id}: ${trigger} run started`);
      try {
        const r = await this.o.run(site);
        await this.o.history.append({ site: site.id, trigger, status: 'ok', startedAt, finishedAt: new Date().toISOString(), runId: r.runId, reports: r.reports, errors: r.errors });
        this.o.log?.(`${site.id}: done, reports new ${r.reports.new} changed ${r.reports.changed} unchanged ${r.reports.unchanged}`);
      } catch (e) {
        const status = e instanceof SiteBusyError ? 'skipped' : 'error';
        await this.o.history.append({ site: site.id, trigger, status, startedAt, finishedAt: new Date().toISOString(), message: (e as Error).message });
        this.o.log?.(`${site.id}: ${status}: ${(e as Error).message}`);
      }
    })();
    this.running.set(site.id, job);
    try {
      await job;
    } finally {
      this.running.delete(site.id);
    }
  }

  /** Stop scheduling; wait for runs in progress (they are resumable if the process is killed instead). */
  async stop(): Promise<void> {
    for (const c of this.crons) c.stop();
    if (this.poller) clearInterval(this.poller);
    await this.polling;
    if (this.o.queue) await clearHeartbeat(this.o.queue.dataDir);
    await Promise.all(this.running.values());
  }
}

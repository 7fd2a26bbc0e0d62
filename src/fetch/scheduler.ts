// `nianbao schedule`: runs each site on its cron expression (croner) in one
// long-lived process. A site never runs twice at once (an overlapping tick is
// recorded as skipped, and a run held by another process's lock likewise); a
// run missed while the scheduler was down runs once at start; every run is
// appended to <data>/jobs/history.jsonl, which `nianbao jobs` lists.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import type { RunReport } from './run-report.ts';
import type { SiteConfig } from './site-config.ts';
import { SiteBusyError } from './site-lock.ts';

export type Trigger = 'cron' | 'missed' | 'start';

export interface JobEntry {
  site: string;
  trigger: Trigger;
  status: 'ok' | 'error' | 'skipped';
  startedAt: string;
  finishedAt: string;
  runId?: string;
  reports?: RunReport['reports'];
  errors?: Record<string, number>;
  message?: string;
}

export class JobHistory {
  constructor(readonly file: string) {}

  static of(dataDir: string): JobHistory {
    return new JobHistory(path.join(dataDir, 'jobs', 'history.jsonl'));
  }

  /** One line per job, fsynced: the history survives the crash of the scheduler. */
  async append(e: JobEntry): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const fh = await fs.open(this.file, 'a');
    try {
      await fh.write(JSON.stringify(e) + '\n');
      await fh.datasync();
    } finally {
      await fh.close();
    }
  }

  async list(): Promise<JobEntry[]> {
    let text = '';
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: JobEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as JobEntry);
      } catch {
        /* torn last line of a killed scheduler */
      }
    }
    return out;
  }

  async lastRun(site: string): Promise<JobEntry | undefined> {
    return (await this.list()).filter((e) => e.site === site && e.status !== 'skipped').at(-1);
  }
}

export interface SchedulerOptions {
  sites: SiteConfig[];
  history: JobHistory;
  run: (site: SiteConfig) => Promise<RunReport>;
  /** Run every site once at start, whatever its schedule says. */
  runAtStart?: boolean;
  log?: (line: string) => void;
  now?: () => Date;
}

export class Scheduler {
  private readonly crons: Cron[] = [];
  private readonly running = new Map<string, Promise<void>>();

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
    await Promise.all(this.running.values());
  }
}

// The scheduler's job history: one line per job in <data>/jobs/history.jsonl,
// appended by `nianbao schedule`, listed by `nianbao jobs` and the
// data-quality API.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RunReport } from './run-records.ts';

/** What started a job: its cron slot, a run missed while down, --run-now, or a request through the API's queue. */
export type Trigger = 'cron' | 'missed' | 'start' | 'api';

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


// Crawl jobs asked for through the API (POST /api/crawl/:site), waiting for
// `nianbao schedule` to run them. The server never crawls in its own process:
// it only writes a request file, <data>/jobs/queue/<site>.json, which the
// scheduler picks up on its next poll and runs like a cron tick (so a site
// still never runs twice at once). The scheduler leaves a heartbeat file, so
// the API can say whether anything is there to pick the job up.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { processAlive } from '../common/process-alive.ts';
import { readJsonIfExists, writeFileAtomic } from './atomic-file.ts';

export interface QueuedJob {
  site: string;
  queuedAt: string;
  /** Who asked, e.g. "api". */
  by: string;
}

export interface SchedulerHeartbeat {
  pid: number;
  startedAt: string;
  beatAt: string;
  /** How often the scheduler looks at the queue. */
  pollMs: number;
}

const queueDir = (dataDir: string): string => path.join(dataDir, 'jobs', 'queue');
const heartbeatFile = (dataDir: string): string => path.join(dataDir, 'jobs', 'scheduler.json');

/** Queue a crawl of `site`; a site already queued keeps its first request (`queued: false`). */
export async function enqueueCrawl(dataDir: string, site: string, by: string): Promise<{ job: QueuedJob; queued: boolean }> {
  const file = path.join(queueDir(dataDir), `${site}.json`);
  const existing = await readJsonIfExists<QueuedJob>(file);
  if (existing) return { job: existing, queued: false };
  const job: QueuedJob = { site, queuedAt: new Date().toISOString(), by };
  await writeFileAtomic(file, JSON.stringify(job));
  return { job, queued: true };
}

/** The jobs waiting, oldest first. */
export async function listQueued(dataDir: string): Promise<QueuedJob[]> {
  let names: string[];
  try {
    names = (await fs.readdir(queueDir(dataDir))).filter((n) => n.endsWith('.json'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: QueuedJob[] = [];
  for (const n of names) {
    try {
      const j = await readJsonIfExists<QueuedJob>(path.join(queueDir(dataDir), n));
      if (j) out.push(j);
    } catch {
      /* a request being written right now */
    }
  }
  return out.sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : a.queuedAt > b.queuedAt ? 1 : 0));
}

/** Remove a job from the queue once a scheduler has taken it. */
export async function dequeue(dataDir: string, site: string): Promise<void> {
  await fs.rm(path.join(queueDir(dataDir), `${site}.json`), { force: true });
}

export async function writeHeartbeat(dataDir: string, hb: SchedulerHeartbeat): Promise<void> {
  await writeFileAtomic(heartbeatFile(dataDir), JSON.stringify(hb));
}

export async function clearHeartbeat(dataDir: string): Promise<void> {
  await fs.rm(heartbeatFile(dataDir), { force: true });
}

/** The heartbeat of a scheduler that is alive (its process exists and it beat within three polls), if any. */
export async function liveScheduler(dataDir: string, now = Date.now()): Promise<SchedulerHeartbeat | undefined> {
  let hb: SchedulerHeartbeat | undefined;
  try {
    hb = await readJsonIfExists<SchedulerHeartbeat>(heartbeatFile(dataDir));
  } catch {
    return undefined;
  }
  if (!hb || now - Date.parse(hb.beatAt) > 3 * hb.pollMs + 1000 || !processAlive(hb.pid)) return undefined;
  return hb;
}

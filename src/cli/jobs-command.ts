// `nianbao jobs`: the scheduler's job history, newest last, then the crawls
// queued through the API that no scheduler has taken yet.
import type { Command } from 'commander';
import { JobHistory } from '../archive/job-history.ts';
import { listQueued, liveScheduler } from '../archive/job-queue.ts';

export function registerJobs(program: Command): void {
  program
    .command('jobs')
    .description('list scheduled crawl runs (history kept by `nianbao schedule`)')
    .option('--site <id>', 'only this site')
    .option('--limit <n>', 'show the last n entries', (v) => Number(v), 50)
    .option('--json', 'one JSON object per line')
    .action(async (o: { site?: string; limit: number; json?: boolean }, cmd: Command) => {
      const data = (cmd.optsWithGlobals() as { data: string }).data;
      const all = (await JobHistory.of(data).list()).filter((e) => !o.site || e.site === o.site);
      const shown = all.slice(-o.limit);
      const queued = (await listQueued(data)).filter((q) => !o.site || q.site === o.site);
      if (o.json) {
        for (const e of shown) console.log(JSON.stringify(e));
        for (const q of queued) console.log(JSON.stringify({ ...q, status: 'queued' }));
        return;
      }
      if (queued.length) {
        const live = await liveScheduler(data);
        for (const q of queued) console.log(`${q.queuedAt}  ${q.site.padEnd(24)} ${q.by.padEnd(6)} queued  ${live ? `(scheduler pid ${live.pid} takes it on its next poll)` : '(no `nianbao schedule` running: it waits for one)'}`);
      }
      if (!shown.length) {
        if (queued.length) return;
        console.log('no jobs yet: start `nianbao schedule` (or check --data)');
        return;
      }
      for (const e of shown) {
        const secs = ((Date.parse(e.finishedAt) - Date.parse(e.startedAt)) / 1000).toFixed(1);
        const rep = e.reports ? ` new ${e.reports.new} changed ${e.reports.changed} unchanged ${e.reports.unchanged}` : '';
        const errs = e.errors && Object.keys(e.errors).length ? ` errors ${Object.entries(e.errors).map(([k, n]) => `${k}=${n}`).join(',')}` : '';
        console.log(`${e.startedAt}  ${e.site.padEnd(24)} ${e.trigger.padEnd(6)} ${e.status.padEnd(7)} ${secs}s${rep}${errs}${e.message ? ` — ${e.message}` : ''}`);
      }
    });
}

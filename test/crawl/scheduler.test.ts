import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyReport } from '../../src/crawl/run-report.ts';
import { JobHistory } from '../../src/archive/job-history.ts';
import { enqueueCrawl, listQueued, liveScheduler } from '../../src/archive/job-queue.ts';
import { Scheduler } from '../../src/crawl/scheduler.ts';
import { parseSiteConfig, type SiteConfig } from '../../src/crawl/site-config.ts';
import { tempData } from './helpers.ts';

const site = (id: string, schedule: string): SiteConfig =>
  parseSiteConfig({ id, publisher: { name: id }, cms: 'trs', verified: false, startUrls: ['https://www.example.gov.cn/nb/'], schedule });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scheduler', () => {
  it('never runs one site twice at once: an overlapping tick is recorded as skipped', async () => {
    const history = new JobHistory(path.join(tempData(), 'h.jsonl'));
    let active = 0, maxActive = 0, runs = 0;
    const s = new Scheduler({
      sites: [site('a', '* * * * * *')], // every second
      history,
      run: async (cfg) => {
        active++;
        runs++;
        maxActive = Math.max(maxActive, active);
        await sleep(2200);
        active--;
        return emptyReport(cfg.id, `r${runs}`, new Date().toISOString(), false);
      },
    });
    await s.start();
    await sleep(3300);
    await s.stop();
    expect(maxActive).toBe(1);
    const h = await history.list();
    expect(h.filter((e) => e.status === 'ok').length).toBeGreaterThanOrEqual(1);
    expect(h.filter((e) => e.status === 'skipped').length).toBeGreaterThanOrEqual(1);
  }, 10_000);

  it('runs a run missed while down exactly once at start, and not when nothing was missed', async () => {
    const history = new JobHistory(path.join(tempData(), 'h.jsonl'));
    const twoDaysAgo = new Date(Date.now() - 2 * 86400_000).toISOString();
    await history.append({ site: 'late', trigger: 'cron', status: 'ok', startedAt: twoDaysAgo, finishedAt: twoDaysAgo });
    await history.append({ site: 'fresh', trigger: 'cron', status: 'ok', startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() });
    const ran: string[] = [];
    const s = new Scheduler({
      sites: [site('late', '0 3 * * *'), site('fresh', '0 0 1 1 *')],
      history,
      run: async (cfg) => {
        ran.push(cfg.id);
        return emptyReport(cfg.id, 'r', new Date().toISOString(), false);
      },
    });
    await s.start();
    await sleep(100);
    await s.stop();
    expect(ran).toEqual(['late']);
    const last = (await history.list()).at(-1)!;
    expect(last).toMatchObject({ site: 'late', trigger: 'missed', status: 'ok' });
  });

  it('runs a crawl queued through the API on its next poll, once, and beats while it runs', async () => {
    const data = tempData();
    const history = new JobHistory(path.join(data, 'jobs', 'history.jsonl'));
    const ran: string[] = [];
    const s = new Scheduler({
      sites: [site('q', '0 0 1 1 *')],
      history,
      queue: { dataDir: data, pollMs: 100 },
      run: async (cfg) => {
        ran.push(cfg.id);
        return emptyReport(cfg.id, 'r', new Date().toISOString(), false);
      },
    });
    await s.start();
    expect(await liveScheduler(data)).toMatchObject({ pid: process.pid, pollMs: 100 });
    await enqueueCrawl(data, 'q', 'api');
    await enqueueCrawl(data, 'unknown-site', 'api');
    await sleep(400);
    await s.stop();
    expect(ran).toEqual(['q']);
    expect(await listQueued(data)).toEqual([]);
    expect(await liveScheduler(data)).toBeUndefined();
    const h = await history.list();
    expect(h.find((e) => e.site === 'q')).toMatchObject({ trigger: 'api', status: 'ok' });
    expect(h.find((e) => e.site === 'unknown-site')).toMatchObject({ trigger: 'api', status: 'error' });
  });
});

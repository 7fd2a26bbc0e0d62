// `nianbao schedule` as a real long-lived child process: it runs a site on
// its cron (every 2 s here), stops cleanly on SIGTERM, and `nianbao jobs`
// lists what it did.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobHistory } from '../../src/archive/job-history.ts';
import { tempData } from './helpers.ts';
import { startTestSite, type TestSite } from './test-site.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/nianbao');
let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site.close());

it('runs sites on their cron, records the jobs, stops on SIGTERM', async () => {
  const data = tempData();
  const scrapers = path.join(data, 'scrapers');
  mkdirSync(scrapers);
  writeFileSync(path.join(scrapers, 'local-hanweb.json'), JSON.stringify({
    id: 'local-hanweb', publisher: { name: '测试' }, cms: 'hanweb', verified: false,
    startUrls: [`${site.origin}/col/col1229/index.html`], politeness: { delayMs: 20 }, schedule: '*/2 * * * * *',
  }));
  const child = spawn(process.execPath, [BIN, '--data', data, 'schedule', '--scrapers', scrapers, '--allow-private', '127.0.0.1', '--delay', '20', '--no-parse'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const history = JobHistory.of(data);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !(await history.list()).some((e) => e.status === 'ok')) await new Promise((r) => setTimeout(r, 200));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  expect(await exited, out).toBe(0);

  const ok = (await history.list()).find((e) => e.status === 'ok')!;
  expect(ok, out).toMatchObject({ site: 'local-hanweb', trigger: 'cron' });
  expect(ok.reports!.new).toBe(4);
  const listed = execFileSync(process.execPath, [BIN, '--data', data, 'jobs', '--json'], { encoding: 'utf8' });
  expect(listed.trim().split('\n').map((l) => JSON.parse(l).site)).toContain('local-hanweb');
}, 40_000);

// `nianbao schedule`: the long-lived process that crawls each configured site
// on its cron expression. Meant to run under systemd (see docs/crawling.md).
import type { Command } from 'commander';
import { createContext } from '../crawl/context.ts';
import { resolveTargets, runSites } from '../crawl/run-sites.ts';
import { JobHistory } from '../archive/job-history.ts';
import { Scheduler } from '../crawl/scheduler.ts';
import { ConfigError } from '../crawl/site-config.ts';
import { CaFileError } from '../fetch/tls-trust.ts';
import { addFetchOptions, runOptions, type CrawlCliOptions } from './crawl-command.ts';

export function registerSchedule(program: Command): void {
  addFetchOptions(
    program
      .command('schedule')
      .description('run each site on its config\'s "schedule" (cron) until stopped; missed runs run once at start')
      .argument('[sites...]', 'site ids (default: every config in the scrapers directory)')
      .option('--run-now', 'also run every site once at start'),
  ).action(async (sites: string[], o: CrawlCliOptions & { runNow?: boolean }, cmd: Command) => {
    const data = (cmd.optsWithGlobals() as { data: string }).data;
    let configs, base;
    try {
      configs = await resolveTargets(sites, o.scrapers, sites.length === 0);
      base = runOptions(data, o);
    } catch (e) {
      console.error((e as Error).message);
      process.exitCode = e instanceof ConfigError || e instanceof CaFileError ? 2 : 1;
      return;
    }
    // One context for the whole process: the global limit and per-host delays hold across concurrent site runs.
    const ctx = createContext(base);
    const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
    const scheduler = new Scheduler({
      sites: configs,
      history: JobHistory.of(data),
      runAtStart: o.runNow,
      log,
      queue: { dataDir: data },
      run: async (site) => {
        const [r] = await runSites([site], { ...base, ctx });
        if (!r.report) throw r.error ?? new Error(`site ${site.id} did not run`);
        return r.report;
      },
    });
    await scheduler.start();
    const stop = async (signal: string) => {
      log(`${signal}: stopping; runs in progress finish first (a second signal exits at once, they resume next time)`);
      process.once(signal, () => process.exit(130));
      await scheduler.stop();
      await ctx.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}

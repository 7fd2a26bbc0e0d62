// The crawler side of the national-scale bench, in its own process so it can
// be measured alone and killed with SIGKILL mid-run: one zero-config-style
// site of `n` simulated hosts (bench/sim/hosts.ts) mapped onto one local
// port, default politeness (1 s per host, one request in flight per host,
// robots.txt obeyed), global concurrency raised as an operator would, the
// archive and journal on. Reports time, CPU, peak RSS and the run report's
// counts to the parent over IPC.
import { createContext } from '../../src/crawl/context.ts';
import { crawlSite } from '../../src/crawl/crawler.ts';
import { parseSiteConfig } from '../../src/crawl/site-config.ts';
import { simHosts } from './hosts.ts';

if (process.send) {
  const [dataDir, port, n, , globalConcurrency] = process.argv.slice(2);
  const hosts = simHosts(Number(n));
  const target = `http://127.0.0.1:${port}`;
  const ctx = createContext({
    dataDir, globalConcurrency: Number(globalConcurrency), allowPrivate: ['127.0.0.1'], userAgent: 'nianbao-bench/0.1 (+mailto:bench@localhost)',
    map: hosts.map((h) => ({ from: `http://${h.name}`, to: target })),
  });
  const cfg = parseSiteConfig({
    id: 'sim', publisher: { name: 'simulation' }, cms: 'other', verified: false, pagination: { type: 'none' }, maxListPages: 100_000,
    startUrls: hosts.map((h) => `http://${h.name}/nb/`), render: false,
  });
  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let docs = 0;
  let first = true;
  const report = await crawlSite(ctx, cfg, {
    sink: { accept: async () => void docs++ },
    onEvent: (ev) => {
      if (first && ev.type === 'done') {
        first = false;
        process.send!({ type: 'first-done', at: Date.now() });
      }
    },
  });
  await ctx.close();
  clearInterval(sample);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const cpu = process.cpuUsage(cpu0);
  process.send({
    type: 'done', ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, peakRss, docs,
    reports: report.reports, errors: report.errors, recovered: report.recovered, requests: report.requests, resumed: report.resumed,
  }, () => process.exit(0));
}

// National-scale crawl simulation: ≥ 2,000 hosts × 20 documents on 127.0.0.1
// (one server telling hosts apart by Host, in its own process: bench/sim/hosts.ts),
// crawled with default politeness (1 s per host, one request in flight per
// host, robots.txt Crawl-delay obeyed) and a raised global concurrency, by a
// crawler in its own process (bench/sim/crawler.ts). On a real crawl the
// politeness delays set the pace, so the time is measured against the
// politeness floor: the busiest host's requests × its delay plus its
// response times, taken from the server's own log of the same run. A second
// run is killed with SIGKILL half-way and started again: how long until it
// asks for pages again, and how many documents it archived twice.
import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Archive } from '../src/archive/archive.ts';
import type { BenchFigure } from './figure.ts';
import { simHosts, type LogLine } from './sim/hosts.ts';

const HOSTS = Number(process.env.NIANBAO_SIM_HOSTS ?? 2000);
const PER_HOST = 20;
/** An operator crawling thousands of hosts at 1 s each raises the global limit well above the default 16. */
const GLOBAL = Number(process.env.NIANBAO_SIM_CONCURRENCY ?? 512);

const child = (file: string, args: string[]) => fork(join(import.meta.dirname, 'sim', file), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const once = <T>(p: ChildProcess, pred: (m: T) => boolean) => new Promise<T>((resolve, reject) => {
  const on = (m: unknown) => {
    if (pred(m as T)) {
      p.off('message', on);
      resolve(m as T);
    }
  };
  p.on('message', on);
  p.once('exit', (code, sig) => reject(new Error(`bench child exited (${code ?? sig}) before answering`)));
});

async function startServer(): Promise<{ port: number; log(): Promise<LogLine[]>; close(): Promise<void> }> {
  const p = child('hosts.ts', [String(HOSTS), String(PER_HOST)]);
  const { port } = await once<{ port?: number }>(p, (m) => m.port !== undefined);
  return {
    port: port!,
    log: async () => {
      const r = once<{ log?: LogLine[] }>(p, (m) => m.log !== undefined);
      p.send({ type: 'log' });
      return (await r).log!;
    },
    close: async () => {
      const exited = new Promise((r) => p.once('exit', r));
      p.send({ type: 'close' });
      await exited;
    },
  };
}

interface CrawlDone { type: 'done'; ms: number; cpuMs: number; peakRss: number; docs: number; reports: { new: number; changed: number; unchanged: number }; errors: Record<string, number>; recovered: number; requests: number }

function startCrawler(data: string, port: number): { proc: ChildProcess; done: Promise<CrawlDone> } {
  const proc = child('crawler.ts', [data, String(port), String(HOSTS), String(PER_HOST), String(GLOBAL)]);
  return { proc, done: once<CrawlDone>(proc, (m) => (m as { type?: string }).type === 'done') };
}

/** Per host: its requests' response times plus its delay between each two; the floor is the largest. */
function politenessFloor(log: LogLine[]): { ms: number; host: string; requests: number } {
  const hosts = simHosts(HOSTS);
  const per = new Map<number, { n: number; lat: number }>();
  for (const [h, , start, end] of log) {
    const s = per.get(h) ?? { n: 0, lat: 0 };
    s.n++;
    s.lat += end - start;
    per.set(h, s);
  }
  let best = { ms: 0, host: '', requests: 0 };
  for (const [h, s] of per) {
    if (h < 0) continue;
    const delay = (hosts[h].crawlDelaySec ?? 1) * 1000;
    const ms = s.lat + (s.n - 1) * delay;
    if (ms > best.ms) best = { ms, host: hosts[h].name, requests: s.n };
  }
  return best;
}

const FRONTIER_URLS = Number(process.env.NIANBAO_SIM_FRONTIER ?? 1_000_000);
const FRONTIER_HOSTS = 50_000;

/** A journal of FRONTIER_URLS requests over FRONTIER_HOSTS hosts, half of them done (synthetic URLs). */
async function writeJournal(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? undefined : new Promise<void>((r) => out.once('drain', () => r())));
  await write(JSON.stringify({ e: 'run', runId: 'frontier-bench', site: 'frontier-bench', startedAt: new Date().toISOString() }) + '\n');
  for (let i = 0; i < FRONTIER_URLS; i++) {
    const url = `https://h${i % FRONTIER_HOSTS}.sim.test/zwgk/zfxxgk/zfxxgknb/${Math.floor(i / FRONTIER_HOSTS)}/t20240120_${i}.html`;
    await write(JSON.stringify({ e: 'add', item: { key: url, url, kind: 'report', listTitle: `单位${i} 2023年政府信息公开工作年度报告`, from: `https://h${i % FRONTIER_HOSTS}.sim.test/nb/` } }) + '\n');
    if (i % 2 === 0) await write(JSON.stringify({ e: 'done', key: url, outcome: 'new', doc: true }) + '\n');
  }
  await new Promise<void>((r) => out.end(r));
}

/** Resume a 1 M-request journal in a fresh process: time and peak RSS. */
async function frontierFigures(dir: string): Promise<BenchFigure[]> {
  await writeJournal(join(dir, 'frontier.jsonl'));
  const p = child('frontier-load.ts', [dir]);
  const r = await once<{ ms: number; peakRss: number; items: number; pending: number; resumed: boolean }>(p, () => true);
  if (!r.resumed || r.items !== FRONTIER_URLS || r.pending !== FRONTIER_URLS / 2) throw new Error(`frontier bench: resumed ${r.resumed}, ${r.items} items, ${r.pending} pending`);
  const mb = r.peakRss / 2 ** 20;
  return [
    { name: `crawl.frontier.resume_ms (${FRONTIER_URLS} requests over ${FRONTIER_HOSTS} hosts, half done, replayed from the journal in a fresh process; information; baseline: 1 s)`, value: Math.round(r.ms), unit: 'ms', baseline: 1000, ratio: r.ms / 1000, target: null },
    { name: `crawl.frontier.peak_rss_mb (the same; baseline: 1 GB)`, value: Math.round(mb), unit: 'MB', baseline: 1024, ratio: mb / 1024, target: 1 },
  ];
}

export async function benchCrawlSim(): Promise<BenchFigure[]> {
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'nianbao-sim-'));
    dirs.push(d);
    return d;
  };
  try {
    // Run 1: the whole crawl.
    const server = await startServer();
    const full = await startCrawler(temp(), server.port).done;
    const floor = politenessFloor(await server.log());
    await server.close();
    const docs = HOSTS * PER_HOST;
    if (full.docs !== docs) throw new Error(`simulation: ${full.docs} documents handed on, expected ${docs} (errors ${JSON.stringify(full.errors)})`);

    // Run 2: killed with SIGKILL half-way, then started again.
    const server2 = await startServer();
    const data = temp();
    const first = startCrawler(data, server2.port);
    first.done.catch(() => undefined);
    await new Promise((r) => setTimeout(r, full.ms / 2));
    const killedAt = Date.now();
    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));
    const restartAt = Date.now();
    const second = await startCrawler(data, server2.port).done;
    const log2 = await server2.log();
    await server2.close();
    const firstAfter = Math.min(...log2.filter((l) => l[2] >= restartAt).map((l) => l[2]));
    const resumeS = (firstAfter - restartAt) / 1000;
    // Archived twice: a document with more than one record (the killed process's and the resumed one's).
    const perKey = new Map<string, number>();
    for (const r of new Archive(join(data, 'archive')).records()) if (r.kind === 'report') perKey.set(r.key, (perKey.get(r.key) ?? 0) + 1);
    const twice = [...perKey.values()].filter((n) => n > 1).length;
    const archived = perKey.size;
    const inFlightAtKill = log2.filter((l) => l[2] < killedAt && l[3] >= killedAt - 50).length;
    if (archived !== docs) throw new Error(`simulation with kill -9: ${archived} documents archived, expected ${docs}`);

    const mb = full.peakRss / 2 ** 20;
    const frontier = await frontierFigures(temp());
    return [
      ...frontier,
      { name: `crawl.sim.time_vs_politeness_floor (${HOSTS} hosts × ${PER_HOST} docs, 20–300 ms answers, 1 s per host, global ${GLOBAL}; floor: ${floor.host}, ${floor.requests} requests)`, value: Math.round(full.ms), unit: 'ms', baseline: Math.round(floor.ms), ratio: full.ms / floor.ms, target: 1.1 },
      { name: 'crawl.sim.cpu_ms_per_doc (crawler process, user + system, information; baseline: 1 ms)', value: +(full.cpuMs / docs).toFixed(3), unit: 'ms', baseline: 1, ratio: full.cpuMs / docs, target: null },
      { name: `crawl.sim.peak_rss_mb (crawler process, ${docs} documents; baseline: 1 GB)`, value: Math.round(mb), unit: 'MB', baseline: 1024, ratio: mb / 1024, target: 1 },
      { name: `crawl.sim.resume_seconds (kill -9 half-way; from restart to its first request, process start included; information; baseline: 1 s)`, value: +resumeS.toFixed(2), unit: 's', baseline: 1, ratio: resumeS, target: null },
      { name: `crawl.sim.docs_fetched_twice (documents archived twice after kill -9 and resume, of ${docs}; ${second.recovered} recovered from the archive, ${inFlightAtKill} requests in flight at the kill asked again)`, value: twice, unit: 'docs', baseline: docs, ratio: twice / docs, target: 0 },
    ];
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv[2] === 'frontier';
  const dir = only ? mkdtempSync(join(tmpdir(), 'nianbao-sim-')) : '';
  try {
    for (const f of only ? await frontierFigures(dir) : await benchCrawlSim()) console.log(JSON.stringify(f));
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

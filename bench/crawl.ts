// Crawl throughput: 1,000 report pages over 50 local hosts (50 ports on
// 127.0.0.1, one list page of 20 reports each, plus robots.txt), politeness
// delays off, one request per host at a time. The baseline is a bare undici
// loop doing the same transfers (robots.txt, list, 20 pages per host) at the
// same concurrency, so the ratio is the cost of everything the crawler adds:
// robots parsing, link discovery, charset decoding, block detection, sha256,
// the durable archive and the durable frontier journal. The crawler runs as
// `crawl --no-parse` does (a sink that keeps nothing); archiving stays on.
//
// For information, a third loop is timed: the bare loop plus the archive
// writes the pack layout requires per document (sha256; blob, index line and
// record line appended to open files; the three files fsynced at the end). It is not the
// baseline; it shows how much of the ratio the archive alone costs on this
// machine, and crawl / floor what the crawler adds beyond that. A fourth
// figure times sha256 of the same bodies alone: the issue's content address,
// on loopback, takes more than the whole 25% budget by itself. (Hashing on a
// worker thread was tried: transferring the bodies there and back cost the
// crawl thread more than the hashing it saved, on this 2-core machine.)
import { promises as fs, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { createContext } from '../src/crawl/context.ts';
import { crawlSite } from '../src/crawl/crawler.ts';
import { parseSiteConfig } from '../src/crawl/site-config.ts';
import { benchCrawlSim } from './crawl-sim.ts';
import type { BenchFigure } from './figure.ts';

const HOSTS = 50;
const PER_HOST = 20;
const REPORT = readFileSync(join(import.meta.dirname, '../../shared/corpus/reports/2019_shanghai_shizhengfubangongting.html'), 'utf8');

function page(host: number, i: number): string {
  // Distinct bytes per document so each is archived as its own blob.
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>单位${host}-${i} 2019年政府信息公开工作年度报告</title></head><body><h1>单位${host}-${i}</h1>${REPORT}</body></html>`;
}

function list(host: number): string {
  let items = '';
  for (let i = 0; i < PER_HOST; i++) items += `<li><a href="/nb/${i}.html" title="单位${host}-${i} 2019年政府信息公开工作年度报告">单位${host}-${i}…</a></li>`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><ul>${items}</ul></body></html>`;
}

/** `latencyMs`: server think time per response (0 = loopback speed). */
async function startHosts(latencyMs: number): Promise<{ origins: string[]; close: () => Promise<void> }> {
  const servers: http.Server[] = [];
  const origins: string[] = [];
  for (let h = 0; h < HOSTS; h++) {
    const listBody = Buffer.from(list(h));
    const pages = Array.from({ length: PER_HOST }, (_, i) => Buffer.from(page(h, i)));
    const s = http.createServer((req, res) => {
      const p = req.url ?? '/';
      let body: Buffer;
      let type = 'text/html; charset=utf-8';
      if (p === '/robots.txt') [body, type] = [Buffer.from('User-agent: *\nDisallow: /admin/\n'), 'text/plain'];
      else if (p === '/nb/' || p === '/nb/index.html') body = listBody;
      else {
        const m = p.match(/^\/nb\/(\d+)\.html$/);
        if (!m) return void res.writeHead(404).end();
        body = pages[Number(m[1])];
      }
      const respond = () => {
        res.writeHead(200, { 'content-type': type, 'content-length': String(body.length) });
        res.end(body);
      };
      if (latencyMs > 0) setTimeout(respond, latencyMs);
      else respond();
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    servers.push(s);
    origins.push(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
  }
  return { origins, close: async () => void (await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))) };
}

/** The baseline: per host, robots.txt, the list, then its 20 pages, one at a time; all hosts in parallel. */
async function bareLoop(origins: string[]): Promise<number> {
  const agent = new Agent({ connectTimeout: 10_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  let docs = 0;
  await Promise.all(origins.map(async (origin) => {
    for (const path of ['/robots.txt', '/nb/', ...Array.from({ length: PER_HOST }, (_, i) => `/nb/${i}.html`)]) {
      const r = await agent.request({ origin, path, method: 'GET' });
      const chunks: Buffer[] = [];
      for await (const c of r.body) chunks.push(c as Buffer);
      if (path.endsWith('.html')) docs++;
    }
  }));
  await agent.close();
  return docs;
}

/**
 * The floor: the bare loop plus what the pack layout writes per document —
 * sha256, the blob appended to an open pack file, its index line and its
 * record line appended to open logs — made durable once at the end by
 * fsyncing the three files, as the crawler's barrier does. Appends are issued
 * one by one here; the crawler coalesces those that queue up into one writev.
 */
async function archiveFloor(origins: string[]): Promise<number> {
  const data = mkdtempSync(join(tmpdir(), 'nianbao-bench-floor-'));
  cleanup.push(data);
  const agent = new Agent({ connectTimeout: 10_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  await fs.mkdir(join(data, 'packs'));
  const [pack, idx, rec] = await Promise.all(['pack', 'idx', 'rec'].map((e) => fs.open(join(data, 'packs', `seg.${e}`), 'wx')));
  const off = { pack: 0, idx: 0, rec: 0 };
  const append = async (fh: typeof pack, which: keyof typeof off, bytes: Buffer) => {
    const at = off[which];
    off[which] += bytes.length;
    await fh.write(bytes, 0, bytes.length, at);
  };
  let docs = 0;
  await Promise.all(origins.map(async (origin) => {
    for (const path of ['/robots.txt', '/nb/', ...Array.from({ length: PER_HOST }, (_, i) => `/nb/${i}.html`)]) {
      const r = await agent.request({ origin, path, method: 'GET' });
      const chunks: Buffer[] = [];
      for await (const c of r.body) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      const hash = createHash('sha256').update(body).digest('hex');
      const at = off.pack;
      await append(pack, 'pack', body);
      await append(idx, 'idx', Buffer.from(JSON.stringify({ sha256: hash, off: at, len: body.length }) + '\n'));
      await append(rec, 'rec', Buffer.from(JSON.stringify({ url: origin + path, sha256: hash, headers: r.headers }) + '\n'));
      if (path.endsWith('.html')) docs++;
    }
  }));
  await agent.close();
  await Promise.all([pack.datasync(), idx.datasync(), rec.datasync()]);
  await Promise.all([pack.close(), idx.close(), rec.close()]);
  return docs;
}

/** Archive directories are removed after timing, not inside it. */
const cleanup: string[] = [];

async function crawlOnce(origins: string[]): Promise<number> {
  const data = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
  const ctx = createContext({ dataDir: data, delayMs: 0, perHostConcurrency: 1, globalConcurrency: HOSTS, allowPrivate: ['127.0.0.1'], userAgent: 'nianbao-bench/1.0' });
  const cfg = parseSiteConfig({ id: 'bench', publisher: { name: 'bench' }, cms: 'other', verified: false, startUrls: origins.map((o) => `${o}/nb/`), pagination: { type: 'none' } });
  // Count documents handed on without keeping them: the bench measures the crawl, not a sink's memory.
  let handed = 0;
  try {
    await crawlSite(ctx, cfg, { sink: { accept: async () => void handed++ } });
  } finally {
    await ctx.close();
    cleanup.push(data);
  }
  return handed;
}

/** sha256 of the same bodies (built beforehand), one after another on this thread: the part of the archive's cost no layout avoids. */
function hashOnly(bodies: Buffer[]): () => Promise<number> {
  return async () => {
    let docs = 0;
    for (const b of bodies) {
      createHash('sha256').update(b).digest('hex');
      docs++;
    }
    return docs - HOSTS; // the list pages are hashed too, but are not documents
  };
}

function allBodies(): Buffer[] {
  const out: Buffer[] = [];
  for (let h = 0; h < HOSTS; h++) {
    out.push(Buffer.from(list(h)));
    for (let i = 0; i < PER_HOST; i++) out.push(Buffer.from(page(h, i)));
  }
  return out;
}

async function time(fn: () => Promise<number>, expect: number): Promise<number> {
  const t0 = performance.now();
  const n = await fn();
  const ms = performance.now() - t0;
  if (n !== expect) throw new Error(`bench: got ${n} documents, expected ${expect}`);
  return ms;
}

async function measure(latencyMs: number, rounds: number, withFloor = false): Promise<{ bare: number; crawl: number; floor: number; hash: number }> {
  const { origins, close } = await startHosts(latencyMs);
  const total = HOSTS * PER_HOST;
  try {
    // Warm-up (JIT, sockets), then alternate the two and keep the best of each.
    await bareLoop(origins);
    await crawlOnce(origins);
    const bodies = withFloor ? allBodies() : [];
    const bare: number[] = [], crawl: number[] = [], floor: number[] = [], hash: number[] = [];
    for (let i = 0; i < rounds; i++) {
      bare.push(await time(() => bareLoop(origins), total));
      crawl.push(await time(() => crawlOnce(origins), total));
      if (withFloor) {
        floor.push(await time(() => archiveFloor(origins), total));
        hash.push(await time(hashOnly(bodies), total));
      }
    }
    const best = (xs: number[]) => (xs.length ? Math.min(...xs) : NaN);
    return { bare: best(bare), crawl: best(crawl), floor: best(floor), hash: best(hash) };
  } finally {
    await close();
    for (const d of cleanup.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

export async function benchCrawl(): Promise<BenchFigure[]> {
  const total = HOSTS * PER_HOST;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const local = await measure(0, rounds, true);
  // Government sites answer in tens to hundreds of ms; 20 ms of server time
  // shows how much of the crawler's own cost is hidden behind the network.
  const wan = await measure(20, Math.max(1, rounds - 1));
  return [
    { name: 'crawl: documents per second (1,000 docs, 50 local hosts, delays off)', value: Math.round((total / local.crawl) * 1000), unit: 'docs/s', baseline: Math.round((total / local.bare) * 1000), ratio: local.bare / local.crawl, target: null },
    // Information only: on loopback with delays off this measures the machine's CPU, not the crawler; on a real crawl the politeness delays set the pace (crawl.sim.* below).
    { name: 'crawl: time vs bare undici loop (same transfers, same concurrency, loopback; information)', value: Math.round(local.crawl), unit: 'ms', baseline: Math.round(local.bare), ratio: local.crawl / local.bare, target: null },
    { name: 'crawl: archive floor (bare loop + sha256, pack, index and record appends + fsync at the end) vs bare loop, loopback (information)', value: Math.round(local.floor), unit: 'ms', baseline: Math.round(local.bare), ratio: local.floor / local.bare, target: null },
    { name: 'crawl: sha256 of the same bodies alone, on the crawl thread, vs bare loop (information: the share of the 1.25 budget hashing takes)', value: Math.round(local.hash), unit: 'ms', baseline: Math.round(local.bare), ratio: local.hash / local.bare, target: null },
    { name: 'crawl: time vs the archive floor, loopback (information: what the crawler adds beyond the files it must write)', value: Math.round(local.crawl), unit: 'ms', baseline: Math.round(local.floor), ratio: local.crawl / local.floor, target: null },
    { name: 'crawl: time vs bare undici loop with 20 ms server latency (information)', value: Math.round(wan.crawl), unit: 'ms', baseline: Math.round(wan.bare), ratio: wan.crawl / wan.bare, target: null },
    // The national-scale simulation (NIANBAO_SIM=0 skips it; NIANBAO_SIM_HOSTS sets the number of hosts).
    ...(process.env.NIANBAO_SIM === '0' ? [] : await benchCrawlSim()),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchCrawl()) console.log(`${f.name}: ${f.value} ${f.unit} (baseline ${f.baseline}, ratio ${f.ratio.toFixed(2)}${f.target ? `, target ≤ ${f.target}` : ''})`);
}

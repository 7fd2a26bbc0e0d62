// `npm run bench -- server`: autocannon on loopback against typical API
// queries at 50 connections for a bounded time each, over a store built from
// the bundled samples. Each figure's baseline is the same autocannon run
// against a bare Express route returning a static JSON body of the same size,
// measured in the same run, so the ratio is the cost of our work per request.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import express from 'express';
import { discoverSources, ingestSources } from '../src/pipeline/ingest.ts';
import { startServer } from '../src/server/serve.ts';
import type { BenchFigure } from './figure.ts';

const SECONDS = Number(process.env.BENCH_SERVER_SECONDS ?? 5);
const CONNECTIONS = 50;
const QUERIES: { name: string; path: string }[] = [
  { name: 'values_by_agency_year', path: '/api/values?metric=t3.new_received.total&by=agency,year' },
  { name: 'values_rate_by_year_region', path: `/api/values?metric=disclosure_rate&by=year&region=${encodeURIComponent('福建')}` },
  { name: 'compare', path: '/api/compare?metric=t3.granted.total&min_requests=30' },
  { name: 'values_csv', path: '/api/values?metric=t3.granted.total,t3.partially_granted.total&by=agency,year&format=csv' },
];

async function load(url: string): Promise<{ rps: number; p99: number; errors: number }> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  const errors = r.errors + r.timeouts + r.non2xx;
  return { rps: r.requests.average, p99: r.latency.p99, errors };
}

/** A bare Express route answering a fixed body: what any JSON over HTTP costs on this machine. */
async function baselineServer(body: Buffer, type: string): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.get('/static', (_req, res) => void res.type(type).send(body));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  server.keepAliveTimeout = 65_000;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/static`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export async function benchServer(): Promise<BenchFigure[]> {
  const data = mkdtempSync(join(tmpdir(), 'nianbao-bench-server-'));
  const out: BenchFigure[] = [];
  try {
    await ingestSources(discoverSources([join(import.meta.dirname, '../data/samples')]), { storeDir: join(data, 'store'), cacheDir: join(tmpdir(), 'nianbao-test-parse-cache') });
    // The real app, rate limiter included (set high: this is one client hammering on purpose).
    const srv = await startServer({ dataDir: data, host: '127.0.0.1', port: 0, rateLimitPerMinute: 100_000_000, token: '' });
    try {
      for (const q of QUERIES) {
        const sample = await fetch(srv.url + q.path);
        if (!sample.ok) throw new Error(`${q.path}: HTTP ${sample.status}`);
        const body = Buffer.from(await sample.arrayBuffer());
        const base = await baselineServer(body, sample.headers.get('content-type') ?? 'application/json');
        try {
          const b = await load(base.url);
          const m = await load(srv.url + q.path);
          if (m.errors || b.errors) throw new Error(`${q.name}: ${m.errors} errors (baseline ${b.errors}) under load`);
          // Throughput as time per request, so that lower is better like every other figure.
          out.push({ name: `server.${q.name}.us_per_request`, value: round(1e6 / m.rps), unit: 'µs/request', baseline: round(1e6 / b.rps), ratio: round(b.rps / m.rps), target: 5 });
          out.push({ name: `server.${q.name}.rps`, value: round(m.rps), unit: 'requests/s', baseline: round(b.rps), ratio: round(m.rps / b.rps), target: null });
          out.push({ name: `server.${q.name}.p99`, value: m.p99, unit: 'ms', baseline: b.p99, ratio: round(m.p99 / Math.max(b.p99, 1)), target: 10 });
        } finally {
          await base.close();
        }
      }
    } finally {
      await srv.close();
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
  return out;
}

const round = (x: number) => Math.round(x * 100) / 100;

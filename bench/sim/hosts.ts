// The simulated hosts of the national-scale crawl bench (bench/crawl-sim.ts),
// in a child process so the crawler's CPU and memory are measured alone: one
// HTTP server on 127.0.0.1 that tells `HOSTS` sites apart by the Host header
// (h0000.sim.test …). Each host has robots.txt, one list page of PER_HOST
// links and PER_HOST documents; answers take 20–300 ms (fixed per host by a
// seeded generator); some hosts are slow (250–300 ms), some ask for a
// Crawl-delay of 2 s in robots.txt, and some fail one document once with a
// 503 (retried). The bodies are synthetic bench documents, labelled as such.
// Every request is logged (host, path, start, end, status) and the parent
// asks for the log over IPC.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimHost {
  name: string;
  latencyMs: number;
  crawlDelaySec?: number;
  failOnce?: number;
}

export function simHosts(n: number, seed = 12): SimHost[] {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, (_, i) => {
    const name = `h${String(i).padStart(4, '0')}.sim.test`;
    const slow = i % 40 === 3;
    const latencyMs = slow ? 250 + Math.floor(rnd() * 51) : 20 + Math.floor(rnd() * 231);
    return { name, latencyMs, ...(i % 50 === 7 ? { crawlDelaySec: 2 } : {}), ...(i % 100 === 11 ? { failOnce: 5 } : {}) };
  });
}

const SYNTHETIC = '本文件为基准测试生成的合成文档（synthetic bench document），不是政府发布的数据。'.repeat(40);

function doc(host: string, i: number): Buffer {
  return Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${host} 文档${i} 2019年政府信息公开工作年度报告（合成）</title></head><body><h1>${host} 文档${i}</h1><p>${SYNTHETIC}</p></body></html>`);
}

function list(host: string, perHost: number): Buffer {
  let items = '';
  for (let i = 0; i < perHost; i++) items += `<li><a href="/nb/${i}.html" title="${host} 文档${i} 2019年政府信息公开工作年度报告（合成）">文档${i}</a></li>`;
  return Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><ul>${items}</ul></body></html>`);
}

export type LogLine = [host: number, path: string, start: number, end: number, status: number];

if (process.send) {
  const n = Number(process.argv[2]);
  const perHost = Number(process.argv[3]);
  const hosts = simHosts(n);
  const byName = new Map(hosts.map((h, i) => [h.name, i]));
  const log: LogLine[] = [];
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const start = Date.now();
    const hostName = (req.headers.host ?? '').split(':')[0];
    const hi = byName.get(hostName);
    const p = req.url ?? '/';
    let status = 200;
    let body: Buffer;
    let type = 'text/html; charset=utf-8';
    const h = hi === undefined ? undefined : hosts[hi];
    if (!h) [status, body] = [404, Buffer.from('no such host')];
    else if (p === '/robots.txt') [body, type] = [Buffer.from(`User-agent: *\nDisallow: /admin/\n${h.crawlDelaySec ? `Crawl-delay: ${h.crawlDelaySec}\n` : ''}`), 'text/plain'];
    else if (p === '/nb/') body = list(h.name, perHost);
    else {
      const m = p.match(/^\/nb\/(\d+)\.html$/);
      if (!m || Number(m[1]) >= perHost) [status, body] = [404, Buffer.from('not found')];
      else {
        const k = `${hi} ${p}`;
        const hit = (hits.get(k) ?? 0) + 1;
        hits.set(k, hit);
        body = h.failOnce === Number(m[1]) && hit === 1 ? ((status = 503), Buffer.from('busy')) : doc(h.name, Number(m[1]));
      }
    }
    setTimeout(() => {
      res.writeHead(status, { 'content-type': type, 'content-length': String(body.length) });
      res.end(body);
      log.push([hi ?? -1, p, start, Date.now(), status]);
    }, h?.latencyMs ?? 0);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', (m: { type: string }) => {
    if (m.type === 'log') process.send!({ log });
    if (m.type === 'close') server.close(() => process.exit(0));
  });
}

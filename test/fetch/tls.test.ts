// HTTPS sites whose certificate Node cannot verify (a missing intermediate,
// a root Node does not ship): one attempt, a `tls` failure that tells the
// operator what to do, and --ca to trust the missing certificate. The server
// is on 127.0.0.1 with a test-only CA (fixtures/tls/README.md).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySocketError, FetchError } from '../../src/fetch/errors.ts';
import { CaFileError, readCaFiles, trustedCas } from '../../src/fetch/tls-trust.ts';
import { tempData, testContext } from '../crawl/helpers.ts';

const TLS = path.join(import.meta.dirname, 'fixtures/tls');
const CA = path.join(TLS, 'ca.pem');
const BIN = path.join(import.meta.dirname, '../../bin/nianbao');
const REPORT = readFileSync(path.join(import.meta.dirname, '../../../shared/corpus/reports/2023_shuyang_fagaiju.html'));
const run = promisify(execFile);

let server: https.Server;
let origin = '';
let connections = 0;

beforeAll(async () => {
  server = https.createServer({ cert: readFileSync(path.join(TLS, 'server.pem')), key: readFileSync(path.join(TLS, 'server.key')) }, (req, res) => {
    if (req.url === '/robots.txt') return void res.writeHead(404).end();
    if (req.url === '/nb/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end('<html><body><ul><li><a href="/nb/1.html">沭阳县发展和改革局2023年政府信息公开工作年度报告</a></li></ul></body></html>');
    }
    if (req.url === '/nb/1.html') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(REPORT);
    res.writeHead(404).end();
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('TLS trust', () => {
  it('fails an unverifiable certificate once, as a tls error that says to add the certificate with --ca', async () => {
    const ctx = testContext(tempData(), { delayMs: 0 });
    ctx.allowedHosts.add('127.0.0.1');
    const before = connections;
    const e = await ctx.fetcher.fetch({ url: `${origin}/nb/`, skipRobots: true }).then(() => undefined, (x: unknown) => x);
    await ctx.close();
    expect(e).toBeInstanceOf(FetchError);
    expect((e as FetchError).kind).toBe('tls');
    expect((e as FetchError).advice).toBe('skip');
    expect((e as FetchError).message).toMatch(/--ca/);
    expect((e as FetchError).message).toMatch(/never turned off/);
    // Not retried: the server saw one connection (retries would open more).
    expect(connections - before).toBe(1);
  });

  it('trusts the certificate given with --ca, and still verifies everything else', async () => {
    const ctx = testContext(tempData(), { delayMs: 0, extraCa: readCaFiles([CA]) });
    ctx.allowedHosts.add('127.0.0.1');
    const r = await ctx.fetcher.fetch({ url: `${origin}/nb/1.html`, skipRobots: true });
    await ctx.close();
    expect(r.status).toBe(200);
    expect(r.body.equals(REPORT)).toBe(true);
    // Node's own roots stay trusted next to the extra certificate (an explicit `ca` would otherwise replace them).
    const cas = trustedCas(readCaFiles([CA]))!;
    expect(cas.slice(0, tls.rootCertificates.length)).toEqual(tls.rootCertificates);
    expect(cas.at(-1)).toContain('BEGIN CERTIFICATE');
    expect(trustedCas([])).toBeUndefined();
  });

  it('nianbao crawl --ca collects the report; a bad --ca file stops the command before any request', async () => {
    const data = tempData();
    const { stdout } = await run(process.execPath, [BIN, '--data', data, 'crawl', `${origin}/nb/`, '--allow-private', '127.0.0.1', '--ca', CA, '--delay', '0', '--no-parse', '--json']);
    const report = JSON.parse(stdout) as { report: { reportUrls: string[]; errors: Record<string, number> } };
    expect(report.report.reportUrls).toEqual([`${origin}/nb/1.html`]);
    expect(report.report.errors).toEqual({});

    const bad = await run(process.execPath, [BIN, '--data', data, 'crawl', `${origin}/nb/`, '--ca', path.join(TLS, 'nope.pem')]).then(() => undefined, (x: { code: number; stderr: string }) => x);
    expect(bad?.code).toBe(2);
    expect(bad?.stderr).toMatch(/--ca .*nope\.pem: no such file/);
    expect(() => readCaFiles([path.join(TLS, 'README.md')])).toThrow(CaFileError);
  }, 60_000);

  it('classifies an unknown host name as dns, not retried', () => {
    const e = classifySocketError(Object.assign(new Error('getaddrinfo ENOTFOUND www.nowhere.gov.cn'), { code: 'ENOTFOUND' }), 'https://www.nowhere.gov.cn/', 'connect');
    expect(e.kind).toBe('dns');
    expect(e.retriable).toBe(false);
    expect(e.message).toMatch(/does not resolve/);
  });
});

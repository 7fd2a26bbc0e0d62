// Shared setup for the fetch tests: a crawl context tuned for a local test
// site (small delays and timeouts, 127.0.0.1 explicitly allowed).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext, type ContextOptions, type CrawlContext } from '../../src/crawl/context.ts';

export function tempData(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'nianbao-fetch-'));
}

export function testContext(dataDir: string, over: Partial<ContextOptions> = {}): CrawlContext {
  return createContext({
    dataDir,
    delayMs: 150,
    connectTimeoutMs: 1000,
    readTimeoutMs: 500,
    maxBodyBytes: 1024 * 1024,
    retries: 3,
    backoffBaseMs: 50,
    backoffMaxMs: 400,
    maxRetryAfterMs: 5000,
    allowPrivate: ['127.0.0.1'],
    userAgent: 'nianbao-test/1.0 (+tests)',
    ...over,
  });
}

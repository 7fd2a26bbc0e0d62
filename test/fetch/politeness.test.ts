import { describe, expect, it } from 'vitest';
import { PolitenessGate } from '../../src/fetch/politeness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('politeness gate', () => {
  it('holds per-host concurrency and the global limit at once', async () => {
    const gate = new PolitenessGate({ concurrency: 2, delayMs: 0 }, 3);
    const inFlight = new Map<string, number>();
    let total = 0, maxTotal = 0;
    const maxPer = new Map<string, number>();
    const job = async (host: string) => {
      const release = await gate.acquire(host);
      inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
      total++;
      maxTotal = Math.max(maxTotal, total);
      maxPer.set(host, Math.max(maxPer.get(host) ?? 0, inFlight.get(host)!));
      await sleep(10);
      inFlight.set(host, inFlight.get(host)! - 1);
      total--;
      release();
    };
    await Promise.all(['a', 'b', 'c'].flatMap((h) => Array.from({ length: 6 }, () => job(h))));
    expect(maxTotal).toBe(3);
    for (const h of ['a', 'b', 'c']) expect(maxPer.get(h)).toBeLessThanOrEqual(2);
  });

  it('keeps the delay from the end of one request to the start of the next, and defers a host on request', async () => {
    const gate = new PolitenessGate({ concurrency: 1, delayMs: 60 }, 10);
    const starts: number[] = [], ends: number[] = [];
    for (let i = 0; i < 3; i++) {
      const release = await gate.acquire('h');
      starts.push(Date.now());
      await sleep(20);
      ends.push(Date.now());
      release();
    }
    expect(starts[1] - ends[0]).toBeGreaterThanOrEqual(59);
    expect(starts[2] - ends[1]).toBeGreaterThanOrEqual(59);
    gate.deferHost('h', Date.now() + 200);
    const t = Date.now();
    (await gate.acquire('h'))();
    expect(Date.now() - t).toBeGreaterThanOrEqual(195);
  });
});

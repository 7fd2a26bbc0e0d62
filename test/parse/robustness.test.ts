// Damaged and hostile input: every document either parses or fails with an
// UnreadableDocumentError naming it; nothing hangs, nothing takes the batch down.
import { readFileSync } from 'node:fs';
import CFB from 'cfb';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES, parseDocument } from '../../src/parse/index.ts';
import { UnreadableDocumentError } from '../../src/parse/errors.ts';
import { ParsePool } from '../../src/parse/pool.ts';
import { REPORTS } from './helpers.ts';

const DOC = join(import.meta.dirname, '../fixtures/doc/2019_shanghai_shizhengfubangongting.rerendered.doc');
const SAMPLES = ['2023_shuyang_fagaiju.html', '2024_huaian_hongzequ.pdf', '2019_shanghai_shizhengfubangongting.rerendered.docx', '2020_zhongwei_shenjiju.md', DOC];

/** A small deterministic PRNG so a failing mutation can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function parseOrUnreadable(bytes: Uint8Array, path: string): Promise<'parsed' | string> {
  try {
    const r = await parseDocument(bytes, { path });
    expect(r.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    return 'parsed';
  } catch (e) {
    expect(e).toBeInstanceOf(UnreadableDocumentError);
    expect((e as Error).message).toContain(path);
    return (e as UnreadableDocumentError).reason;
  }
}

describe('damaged real documents', () => {
  for (const f of SAMPLES) {
    const bytes = new Uint8Array(readFileSync(f.startsWith('/') ? f : join(REPORTS, f)));
    it(`${f}: truncated at 5%, 30%, 60%, 95%`, async () => {
      for (const frac of [0.05, 0.3, 0.6, 0.95]) {
        await parseOrUnreadable(bytes.slice(0, Math.floor(bytes.length * frac)), `${f}@${frac}`);
      }
    });
    it(`${f}: 12 randomly mutated copies`, async () => {
      const rand = rng(f.length * 7919);
      for (let i = 0; i < 12; i++) {
        const copy = bytes.slice();
        const n = 1 + Math.floor(rand() * 40);
        for (let j = 0; j < n; j++) copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
        await parseOrUnreadable(copy, `${f}#mutation${i}`);
      }
    });
  }
});

describe('input that is not a report', () => {
  it('an empty file', async () => {
    expect(await parseOrUnreadable(new Uint8Array(), 'empty.html')).toBe('corrupt');
  });
  it('random bytes', async () => {
    const rand = rng(42);
    const bytes = Uint8Array.from({ length: 5000 }, () => Math.floor(rand() * 256));
    expect(await parseOrUnreadable(bytes, 'noise.bin')).not.toBe('parsed');
  });
  it('a web page about something else', async () => {
    const html = '<html><head><title>天气预报</title></head><body><p>今天晴，最高气温二十度。</p><table><tr><td>周一</td><td>晴</td></tr></table></body></html>';
    expect(await parseOrUnreadable(new TextEncoder().encode(html), 'weather.html')).toBe('not_a_report');
  });
  it('a compound file that is not a Word document is refused as unsupported, a broken one as corrupt, not misread', async () => {
    const c = CFB.utils.cfb_new();
    CFB.utils.cfb_add(c, 'Workbook', Buffer.from('not a Word document'));
    const xls = new Uint8Array(CFB.write(c, { type: 'buffer' }) as Buffer);
    expect(await parseOrUnreadable(xls, 'report.doc')).toBe('unsupported_format');
    const broken = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(600).fill(0)]);
    expect(await parseOrUnreadable(broken, 'report.doc')).toBe('corrupt');
  });
  it('a document over the size limit is refused before parsing', async () => {
    const huge = new Uint8Array(MAX_DOCUMENT_BYTES + 1);
    const t0 = Date.now();
    expect(await parseOrUnreadable(huge, 'huge.pdf')).toBe('too_large');
    expect(Date.now() - t0).toBeLessThan(1000);
  });
  it('a huge but legal HTML page parses within the time limit', async () => {
    const row = '<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr>';
    const html = `<html><body><p>某市审计局2023年政府信息公开工作年度报告</p><table>${row.repeat(20000)}</table>${'<p>正文内容。</p>'.repeat(20000)}</body></html>`;
    const t0 = Date.now();
    const r = await parseDocument(new TextEncoder().encode(html), { path: 'big.html' });
    expect(r.year).toBe(2023);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});

describe('a batch on the worker pool', () => {
  const pool = new ParsePool({ workers: 2, timeoutMs: 30_000 });
  afterAll(() => pool.close());

  it('keeps every good document when others are bad, and times out a slow one', async () => {
    const strict = new ParsePool({ workers: 1, timeoutMs: 1 });
    const slow = strict.parseFile(join(REPORTS, '2024_huaian_shizhengfu.pdf')).then(
      () => 'parsed',
      (e: UnreadableDocumentError) => e.reason,
    );
    expect(await slow).toBe('timeout');
    await strict.close();

    const files = ['2023_pingtan_zongheshiyanqu.html', 'does-not-exist.pdf', '2024_huaian_hongzequ.pdf', '2020_zhongwei_shenjiju.md'];
    const results = await Promise.allSettled(files.map((f) => pool.parseFile(join(REPORTS, f))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof pool.parseFile>>> => r.status === 'fulfilled');
    expect(ok.map((r) => r.value.year)).toEqual([2023, 2024, 2020]);
  });
});

// kill -9 during `nianbao ingest` must leave the previous store complete and
// readable. Uses SYNTHETIC records only.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ingestSources } from '../../src/pipeline/ingest.ts';
import { StoreReader } from '../../src/store/reader.ts';
import { runQuery } from '../../src/query/query.ts';
import { syntheticRecord } from './synthetic.ts';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

it('survives SIGKILL mid-ingest with the previous generation intact', async () => {
  const data = mkdtempSync(join(tmpdir(), 'nianbao-crash-'));
  const storeDir = join(data, 'store');
  const base = Array.from({ length: 20 }, (_, i) => syntheticRecord({ agency: `合成测试机关${String(i).padStart(3, '0')}`, year: 2021, seed: i }));
  await ingestSources(base.map((record) => ({ kind: 'record' as const, record, origin: 't' })), { storeDir, parser: null });
  const before = StoreReader.open(storeDir);
  const expected = await runQuery(before, { metric: 't3.new_received.total', by: ['agency', 'year'] });
  const generation = before.manifest.generation;
  await before.close();

  const big = Array.from({ length: 6000 }, (_, i) => JSON.stringify(syntheticRecord({ agency: `合成测试机关${String(100 + i).padStart(5, '0')}`, year: 2015 + (i % 8), seed: i })));
  const input = join(data, 'big.jsonl');
  writeFileSync(input, big.join('\n'));
  const child = spawn(join(process.cwd(), 'bin/nianbao'), ['--data', data, 'ingest', input, '--part-rows', '2000'], { stdio: 'ignore' });
  // Kill once the run has started writing part files of its new generation.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !filesUnder(join(storeDir, 'values')).some((f) => f.includes(`g${String(generation + 1).padStart(6, '0')}`))) {
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  expect(filesUnder(join(storeDir, 'values')).some((f) => f.includes(`g${String(generation + 1).padStart(6, '0')}`))).toBe(true);

  const after = StoreReader.open(storeDir);
  expect(after.manifest.generation).toBe(generation);
  expect(await runQuery(after, { metric: 't3.new_received.total', by: ['agency', 'year'] })).toEqual(expected);
  await after.close();

  // The next ingest takes over the stale lock, deletes the orphans and completes.
  const s = await ingestSources(big.slice(0, 50).map((l) => ({ kind: 'record' as const, record: JSON.parse(l), origin: 't' })), { storeDir, parser: null });
  expect(s.added).toBe(50);
  const final = StoreReader.open(storeDir);
  expect(final.reports).toHaveLength(70);
  expect(filesUnder(join(storeDir, 'values')).length).toBe(final.manifest.values.length);
  await final.close();
}, 120_000);

// Opening a reader reads the small report index (manifest.reportIndex), not
// the full report rows; a store written before the index existed opens from
// the full rows and answers the same.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runQuery } from '../../src/query/query.ts';
import { ingestSources, type Source } from '../../src/pipeline/ingest.ts';
import { StoreReader } from '../../src/store/reader.ts';
import { syntheticRecord } from './synthetic.ts';

const rec = (r: ReturnType<typeof syntheticRecord>): Source => ({ kind: 'record', record: r, origin: 'synthetic' });

it('answers from the report index, and from the full rows in a store without one', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'nianbao-report-index-')), 'store');
  const records = [2021, 2022].flatMap((year) => [0, 1, 2].map((a) => syntheticRecord({ agency: `合成测试机关${a}`, year, seed: a + year })));
  records.push(syntheticRecord({ agency: '合成测试机关1', year: 2022, seed: 77 })); // supersedes one
  records[0].missing = [{ table: 't3', row: 'granted', col: 'total' }];
  await ingestSources(records.map(rec), { storeDir: dir, parser: null });
  const ask = async () => {
    const s = StoreReader.open(dir);
    try {
      return { active: Array.from(s.active), gaps: s.gaps, rows: (await runQuery(s, { metric: 't3.granted.total', by: ['agency', 'year'] })).rows };
    } finally {
      await s.close();
    }
  };
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { reportIndex?: string; reports: string };
  expect(manifest.reportIndex).toMatch(/^reports\/index-g\d+\.arrow$/);
  const withIndex = await ask();
  expect(withIndex.active.filter((x) => x === 1)).toHaveLength(6);
  expect(withIndex.gaps).toEqual([expect.objectContaining({ cells: ['t3.granted.total'] })]);
  expect(withIndex.rows.find((r) => r.missing === 1)).toBeDefined();
  // As an older store: no index in the manifest, no index file.
  rmSync(join(dir, manifest.reportIndex!));
  delete manifest.reportIndex;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  expect(existsSync(join(dir, manifest.reports))).toBe(true);
  expect(await ask()).toEqual(withIndex);
});

// Export to CSV/Arrow/Parquet, with DuckDB reading the Parquet (the same reader
// pandas and R users reach for). SYNTHETIC records only.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, it } from 'vitest';
import { exportStore } from '../../src/query/export.ts';
import { ingestSources } from '../../src/pipeline/ingest.ts';
import { StoreReader } from '../../src/store/reader.ts';
import { syntheticRecord } from './synthetic.ts';

it('exports CSV with BOM, Arrow and DuckDB-readable Parquet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-export-'));
  const records = [
    syntheticRecord({ agency: '中卫市合成测试审计局', year: 2021, seed: 4 }),
    syntheticRecord({ agency: '合成测试机关003', year: 2022, seed: 5, blankCols: ['research'] }),
  ];
  await ingestSources(records.map((record) => ({ kind: 'record' as const, record, origin: 't' })), { storeDir: join(dir, 'store'), parser: null });
  const store = StoreReader.open(join(dir, 'store'));
  const total = store.manifest.totals.values;
  expect(await exportStore(store, 'csv', join(dir, 'v.csv'))).toBe(total);
  const csv = readFileSync(join(dir, 'v.csv'), 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain('中卫市合成测试审计局');
  expect(await exportStore(store, 'arrow', join(dir, 'v.arrow'))).toBe(total);
  expect(tableFromIPC(readFileSync(join(dir, 'v.arrow'))).numRows).toBe(total);
  expect(await exportStore(store, 'parquet', join(dir, 'v.parquet'))).toBe(total);
  await store.close();

  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const r = await con.runAndReadAll(
    `select agency, region_code, kind, year, value from read_parquet('${join(dir, 'v.parquet')}') where metric = 't3.new_received.total' order by year`,
  );
  const expected = (i: number) => records[i].values.find((v) => v.row === 'new_received' && v.col === 'total')!.value;
  expect(r.getRowObjectsJson()).toEqual([
    { agency: '中卫市合成测试审计局', region_code: '640500', kind: '审计', year: 2021, value: expected(0) },
    { agency: '合成测试机关003', region_code: '', kind: '', year: 2022, value: expected(1) },
  ]);
  const blanks = await con.runAndReadAll(`select count(*)::int as n from read_parquet('${join(dir, 'v.parquet')}') where value is null and cell = 'blank' and not derived`);
  expect(blanks.getRowObjectsJson()[0].n).toBe(9);
  con.closeSync();
});

it('exports many agencies without corrupting the dictionary columns (Arrow and Parquet read back value by value)', async () => {
  // Regression: the five agency columns once shared one index buffer, which
  // apache-arrow's IPC writer collapsed into one, shifting every later buffer.
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-export-many-'));
  const records = Array.from({ length: 60 }, (_, i) =>
    syntheticRecord({ agency: `合成测试机关${String(i).padStart(3, '0')}`, year: 2020 + (i % 3), seed: i, blankCols: i % 7 === 0 ? ['research'] : [] }));
  await ingestSources(records.map((record) => ({ kind: 'record' as const, record, origin: 't' })), { storeDir: join(dir, 'store'), parser: null, partRows: 500 });
  const store = StoreReader.open(join(dir, 'store'));
  expect(store.manifest.values.length).toBeGreaterThan(3);
  const total = store.manifest.totals.values;
  expect(await exportStore(store, 'arrow', join(dir, 'v.arrow'))).toBe(total);
  expect(await exportStore(store, 'parquet', join(dir, 'v.parquet'))).toBe(total);
  await store.close();

  const expected = new Map<string, number | null>();
  for (const r of records) for (const v of r.values) expected.set(`unresolved:${r.agency!.name}|${r.year}|${v.table}.${v.row}.${v.col}`, v.value);
  const check = (rows: { agency_id: string; agency: string; year: number; metric: string; value: number | null; derived: boolean }[]) => {
    let printed = 0;
    for (const row of rows) {
      expect(row.agency_id).toBe(`unresolved:${row.agency}`);
      if (row.derived) continue;
      expect(expected.get(`${row.agency_id}|${row.year}|${row.metric}`), `${row.agency_id} ${row.year} ${row.metric}`).toBe(row.value);
      printed++;
    }
    expect(printed).toBe(expected.size);
  };
  const arrow = tableFromIPC(readFileSync(join(dir, 'v.arrow')));
  check(arrow.toArray().map((r) => r.toJSON() as never));

  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const r = await con.runAndReadAll(`select agency_id, agency, year, metric, value, derived from read_parquet('${join(dir, 'v.parquet')}')`);
  check(r.getRowObjectsJson() as never);
  con.closeSync();
});

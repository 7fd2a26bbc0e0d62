// How a value was read travels with it: the OCR confidence of values read
// from scans is stored per value (absent = printed as text), kept across
// ingest runs, read from stores written before the column existed, and
// carried into queries (counts, lowest confidence, the read filter), agency
// profiles and exports. SYNTHETIC records only (see synthetic.ts).
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ingestSources, type Source } from '../../src/pipeline/ingest.ts';
import { exportStore } from '../../src/query/export.ts';
import { parseReadOptions } from '../../src/query/filters.ts';
import { agencyProfile, runQuery } from '../../src/query/query.ts';
import { withDerivedTotals } from '../../src/store/derive.ts';
import { ocrConfidence, StoreReader } from '../../src/store/reader.ts';
import { syntheticRecord } from './synthetic.ts';

const rec = (r: ReturnType<typeof syntheticRecord>): Source => ({ kind: 'record', record: r, origin: 'synthetic' });
const METRIC = 't3.new_received.total';

/** Rewrite every fact part and report table as a store written before the OCR columns would have them. */
function dropOcrColumns(storeDir: string): number {
  let n = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.startsWith('part-') || name.startsWith('reports-')) {
        const t = tableFromIPC(readFileSync(p));
        const old = t.select(t.schema.fields.map((f) => f.name).filter((x) => !x.startsWith('ocr_')));
        writeFileSync(p, tableToIPC(old, 'file'));
        n++;
      }
    }
  };
  walk(join(storeDir, 'values'));
  walk(join(storeDir, 'reports'));
  return n;
}

async function storedConfidences(dir: string): Promise<Map<string, (number | null)[]>> {
  const store = StoreReader.open(dir);
  const out = new Map<string, (number | null)[]>();
  for await (const s of store.scanMetric(METRIC)) {
    for (let i = 0; i < s.length; i++) {
      const name = store.agencies[s.agency[i]].name;
      out.set(name, [...(out.get(name) ?? []), ocrConfidence(s, i)]);
    }
  }
  await store.close();
  return out;
}

describe('OCR confidence in the store', () => {
  it('is kept per value across runs, null for printed values, and a derived total takes its least sure addend', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nianbao-ocr-store-')), 'store');
    await ingestSources([rec(syntheticRecord({ agency: '合成测试机关001', year: 2021, seed: 1 })), rec(syntheticRecord({ agency: '合成测试机关002', year: 2021, seed: 2, ocr: 0.95 }))], { storeDir: dir, parser: null });
    // A second run adds to the same year's dictionaries and parts.
    await ingestSources([rec(syntheticRecord({ agency: '合成测试机关003', year: 2021, seed: 3, ocr: 0.7 })), rec(syntheticRecord({ agency: '合成测试机关004', year: 2022, seed: 4 }))], { storeDir: dir, parser: null });
    const got = await storedConfidences(dir);
    const want = (seedOcr: number) => syntheticRecord({ agency: 'x', year: 2021, seed: 0, ocr: seedOcr }).values.find((v) => v.row === 'new_received' && v.col === 'total')!.ocr!.confidence;
    expect(Object.fromEntries(got)).toEqual({ 合成测试机关001: [null], 合成测试机关002: [want(0.95)], 合成测试机关003: [want(0.7)], 合成测试机关004: [null] });

    const values = syntheticRecord({ agency: 'x', year: 2021, seed: 3, ocr: 0.7 }).values;
    const derived = withDerivedTotals(values).find((c) => c.derived && c.row === 'denied' && c.col === 'total')!;
    const addends = values.filter((v) => v.row.startsWith('denied.') && v.col === 'total').map((v) => v.ocr!.confidence);
    expect(new Set(addends).size).toBe(2);
    expect(derived.ocr).toBe(Math.min(...addends));

    const store = StoreReader.open(dir);
    const p = await agencyProfile(store, '合成测试机关003');
    expect(p.rows.find((r) => r.metric === 't3.denied.total')).toMatchObject({ derived: true, ocr_confidence: derived.ocr });
    expect(p.rows.find((r) => r.metric === 't4.review.total')).toMatchObject({ ocr_confidence: null });
    await store.close();
  });

  it('opens a store written before the column, and mixes its parts with new ones', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nianbao-ocr-old-')), 'store');
    await ingestSources([rec(syntheticRecord({ agency: '合成测试机关001', year: 2021, seed: 1 })), rec(syntheticRecord({ agency: '合成测试机关002', year: 2021, seed: 2 }))], { storeDir: dir, parser: null });
    expect(dropOcrColumns(dir)).toBeGreaterThan(1);
    const old = StoreReader.open(dir);
    const before = await runQuery(old, { metric: METRIC, by: ['agency'] });
    expect(before.rows.map((r) => r.value)).toEqual(before.rows.map((r) => r.value).filter((v) => v !== null));
    expect(before.rows.every((r) => !('ocr' in r))).toBe(true);
    const profile = await agencyProfile(old, '合成测试机关001');
    expect(profile.rows.length).toBeGreaterThan(0);
    expect(profile.rows.every((r) => r.ocr_confidence === null)).toBe(true);
    await old.close();

    // A new run writes parts with the column beside the old ones.
    await ingestSources([rec(syntheticRecord({ agency: '合成测试机关003', year: 2021, seed: 3, ocr: 0.8 }))], { storeDir: dir, parser: null });
    const got = await storedConfidences(dir);
    expect(got.get('合成测试机关001')).toEqual([null]);
    expect(got.get('合成测试机关003')![0]).toBeGreaterThan(0.75);

    const store = StoreReader.open(dir);
    // Reports of the old run do not know their count of OCR'd values (null, not 0); the new run's do.
    expect(store.reports.map((r) => [r.agency_printed, r.ocr_values ?? null])).toEqual([['合成测试机关001', null], ['合成测试机关002', null], ['合成测试机关003', 63 + 14]]);
    const all = await runQuery(store, { metric: METRIC, by: ['agency'] });
    expect(all.rows.map((r) => [r.agency, r.ocr])).toEqual([['合成测试机关001', 0], ['合成测试机关002', 0], ['合成测试机关003', 1]]);
    const printed = await runQuery(store, { metric: METRIC, by: ['agency'], read: 'printed' });
    expect(printed.rows.map((r) => [r.agency, r.value === null, r.excluded])).toEqual([['合成测试机关001', false, 0], ['合成测试机关002', false, 0], ['合成测试机关003', true, 1]]);
    expect(printed.read?.note).toMatch(/whole report/);
    // Every export format reads both kinds of part.
    const out = join(dir, '..', 'v.csv');
    await exportStore(store, 'csv', out);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toContain(',derived,ocr_confidence,report_sha256');
    await store.close();
  });

  it('filters a query by how values were read: a report is left out whole, never in part', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nianbao-ocr-filter-')), 'store');
    await ingestSources([
      rec(syntheticRecord({ agency: '合成测试机关001', year: 2021, seed: 1, narrative: [{ metric: 'audit_results_published', value: 4 }] })),
      rec(syntheticRecord({ agency: '合成测试机关002', year: 2021, seed: 2, ocr: 0.99 })),
      rec(syntheticRecord({ agency: '合成测试机关003', year: 2021, seed: 3, ocr: 0.6, narrative: [{ metric: 'audit_results_published', value: 7, ocr: 0.6 }] })),
    ], { storeDir: dir, parser: null });
    const store = StoreReader.open(dir);
    const q = (o: object) => runQuery(store, { metric: METRIC, by: ['year'], ...o });
    const any = await q({});
    expect(any.rows).toEqual([expect.objectContaining({ year: 2021, cells: 3, ocr: 2 })]);
    expect(any.rows[0].ocr_min_confidence).toBeLessThan(0.6);
    expect(any.read).toBeUndefined();
    const printed = await q({ read: 'printed' });
    expect(printed.rows).toEqual([expect.objectContaining({ cells: 1, excluded: 2 })]);
    expect(printed.rows[0].ocr).toBeUndefined();
    const ocr = await q({ read: 'ocr' });
    expect(ocr.rows).toEqual([expect.objectContaining({ cells: 2, ocr: 2, excluded: 1 })]);
    const sure = await q({ minConfidence: 0.9 });
    expect(sure.rows).toEqual([expect.objectContaining({ cells: 2, ocr: 1, excluded: 1 })]);
    // A sum over several cells (the derived category totals) drops the report, not some of its sub-rows.
    const denied = await runQuery(store, { metric: 't3.denied.total', by: ['agency'], minConfidence: 0.9 });
    const full = await runQuery(store, { metric: 't3.denied.total', by: ['agency'] });
    expect(denied.rows.map((r) => r.value)).toEqual([full.rows[0].value, full.rows[1].value, null]);
    // A figure stated in prose that OCR read is filtered the same way.
    const narrative = (o: object) => runQuery(store, { metric: 'narrative.audit_results_published', by: ['agency'], ...o }).then((r) => r.rows.map((x) => [x.agency, x.value, x.ocr ?? 0, x.excluded ?? null]));
    expect(await narrative({})).toEqual([['合成测试机关001', 4, 0, null], ['合成测试机关003', 7, 1, null]]);
    expect(await narrative({ read: 'printed' })).toEqual([['合成测试机关001', 4, 0, 0], ['合成测试机关003', null, 0, 1]]);
    expect(await narrative({ minConfidence: 0.5 })).toEqual([['合成测试机关001', 4, 0, 0], ['合成测试机关003', 7, 1, 0]]);
    expect(() => parseReadOptions('scanned', undefined)).toThrow(/read: "scanned" is not one of any, printed, ocr/);
    expect(() => parseReadOptions(undefined, '1.5')).toThrow(/min_confidence/);

    // Export: per value row; DuckDB reads the confidence out of the Parquet.
    const pq = join(dir, '..', 'v.parquet');
    const total = store.manifest.totals.values;
    expect(await exportStore(store, 'parquet', pq)).toBe(total);
    const printedRows = await exportStore(store, 'csv', join(dir, '..', 'printed.csv'), { read: 'printed' });
    const csv = readFileSync(join(dir, '..', 'printed.csv'), 'utf8').trim().split('\n');
    expect(csv.length - 1).toBe(printedRows);
    expect(csv.slice(1).every((l) => l.split(',')[13] === '')).toBe(true);
    expect(await exportStore(store, 'csv', join(dir, '..', 'sure.csv'), { minConfidence: 0.9 })).toBeGreaterThan(printedRows);
    await store.close();
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const r = await con.runAndReadAll(`select agency, ocr_confidence from read_parquet('${pq}') where metric = '${METRIC}' order by agency`);
    const rows = r.getRowObjectsJson() as { agency: string; ocr_confidence: number | null }[];
    expect(rows[0]).toEqual({ agency: '合成测试机关001', ocr_confidence: null });
    expect(rows[1].ocr_confidence).toBeGreaterThan(0.9);
    con.closeSync();
  });
});

// Store benchmark on a SYNTHETIC national-scale dataset (invented agencies
// "合成测试机关…" under real region codes, invented figures). Scale: number of
// bodies from NIANBAO_BENCH_SCALE (default 7000 bodies × 7 years ≈ 10 M values;
// 100000 for the full national size). Each query is timed against DuckDB
// running the same query over the same data exported to Parquet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CellValue, ReportRecord } from '../src/parse/types.ts';
import { loadRegions } from '../src/agency/regions.ts';
import { exportStore } from '../src/query/export.ts';
import { agencyProfile, runQuery } from '../src/query/query.ts';
import { StoreReader } from '../src/store/reader.ts';
import { StoreWriter } from '../src/store/writer.ts';

export type BenchFigure = { name: string; value: number; unit: string; baseline: number; ratio: number; target: number };

const T3_ROWS = ['new_received', 'carried_over', 'granted', 'partially_granted', 'denied.state_secret', 'denied.prohibited_by_law', 'denied.security_stability', 'denied.third_party_rights', 'denied.internal_affairs', 'denied.process_information', 'denied.enforcement_file', 'denied.administrative_query', 'unable.not_held', 'unable.needs_creation', 'unable.unclear', 'not_processed.complaint', 'not_processed.repeated', 'not_processed.publication', 'not_processed.excessive', 'not_processed.confirm_or_reissue', 'other', 'total_processed', 'carried_forward'];
const T3_COLS = ['natural_person', 'commercial', 'research', 'social_org', 'legal_service', 'other_org', 'total'];

function record(i: number, name: string, year: number): ReportRecord {
  const values: CellValue[] = [];
  let x = (i * 2654435761 + year) >>> 0;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) % 50);
  for (const row of T3_ROWS) for (const col of T3_COLS) values.push({ table: 't3', row, col, value: rnd(), cell: 'number', raw: '', unit: null, at: {} });
  for (const row of ['review', 'litigation_direct', 'litigation_after_review']) for (const col of ['upheld', 'corrected', 'other', 'pending', 'total']) values.push({ table: 't4', row, col, value: rnd() % 5, cell: 'number', raw: '', unit: null, at: {} });
  return {
    source: { sha256: `synthetic-${i}-${year}`, format: 'text' }, agency: { name }, year, published: null, template: '2021', title: 'SYNTHETIC',
    values, missing: [], narrative: [], checks: [], warnings: [], parser: { version: 'bench' },
  };
}

async function timeP50(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[Math.floor(t.length / 2)];
}

export async function benchStore(): Promise<BenchFigure[]> {
  const bodies = Number(process.env.NIANBAO_BENCH_SCALE ?? 7000);
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
  const storeDir = join(dir, 'store');
  const counties = [...loadRegions().byCode.values()].filter((r) => r.level === 'county');
  const kinds = ['审计局', '公安局', '教育局', '人民政府'];
  const names = Array.from({ length: bodies }, (_, i) => `${loadRegions().fullName(counties[i % counties.length].code).replace(/^.*?(省|自治区|市)/, '')}合成测试${kinds[i % 4].replace('人民政府', '机关')}${i}`.replace(/^/, ''));
  const t0 = performance.now();
  const w = StoreWriter.open(storeDir, { partRows: 2_000_000 });
  for (let y = 2018; y < 2025; y++) for (let i = 0; i < bodies; i++) w.add(record(i, names[i], y));
  const { newValues } = await w.commit();
  w.close();
  const ingestS = (performance.now() - t0) / 1000;
  const store = StoreReader.open(storeDir);
  const pq = join(dir, 'v.parquet');
  await exportStore(store, 'parquet', pq);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`create view v as select * from read_parquet('${pq}')`);
  const someAgency = store.agencies[Math.floor(store.agencies.length / 2)];
  const q = {
    byRegionYear: () => runQuery(store, { metric: 't3.new_received.total', by: ['province', 'year'] }),
    top50: () => runQuery(store, { metric: 'disclosure_rate', by: ['agency'], years: [2024], kinds: ['审计'], top: 50 }),
    profile: () => agencyProfile(store, someAgency.id),
  };
  const d = {
    byRegionYear: () => con.runAndReadAll(`select substr(region_code,1,2) p, year, sum(value) from v where metric='t3.new_received.total' group by all`),
    top50: () => con.runAndReadAll(`select agency_id, sum(value) filter (where metric in ('t3.granted.total','t3.partially_granted.total')) / sum(value) filter (where metric='t3.total_processed.total') r from v where year=2024 and kind='审计' and metric in ('t3.granted.total','t3.partially_granted.total','t3.total_processed.total') group by agency_id order by r desc nulls last limit 50`),
    profile: () => con.runAndReadAll(`select year, metric, value from v where agency_id='${someAgency.id}' order by year, metric`),
  };
  const figures: BenchFigure[] = [{ name: `store ingest (synthetic, ${bodies} bodies × 7 years, ${newValues} values)`, value: Math.round(newValues / ingestS), unit: 'values/s', baseline: 0, ratio: 0, target: 0 }];
  for (const k of Object.keys(q) as (keyof typeof q)[]) {
    const ours = await timeP50(q[k]);
    const duck = await timeP50(d[k]);
    figures.push({ name: `query ${k} p50 (${newValues} values) vs DuckDB/Parquet`, value: ours, unit: 'ms', baseline: duck, ratio: ours / duck, target: 1.5 });
  }
  con.closeSync();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return figures;
}


// Store benchmark on a SYNTHETIC national-scale dataset (invented agencies
// "合成测试机关…" under real region codes, invented figures). Scale: number of
// bodies from NIANBAO_BENCH_SCALE (default 7000 bodies × 7 years ≈ 10 M values;
// 100000 for the full national size). Each query is timed against DuckDB
// running the same query over the same data exported to Parquet.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CellValue, ReportRecord } from '../src/parse/types.ts';
import { loadRegions } from '../src/agency/regions.ts';
import { exportStore } from '../src/query/export.ts';
import { agencyProfile, runQuery } from '../src/query/query.ts';
import { StoreReader } from '../src/store/reader.ts';
import { StoreWriter } from '../src/store/writer.ts';
import type { BenchFigure } from './figure.ts';

const T3_ROWS = ['new_received', 'carried_over', 'granted', 'partially_granted', 'denied.state_secret', 'denied.prohibited_by_law', 'denied.security_stability', 'denied.third_party_rights', 'denied.internal_affairs', 'denied.process_information', 'denied.enforcement_file', 'denied.administrative_query', 'unable.not_held', 'unable.needs_creation', 'unable.unclear', 'not_processed.complaint', 'not_processed.repeated', 'not_processed.publication', 'not_processed.excessive', 'not_processed.confirm_or_reissue', 'other', 'total_processed', 'carried_forward'];
const T3_COLS = ['natural_person', 'commercial', 'research', 'social_org', 'legal_service', 'other_org', 'total'];

/**
 * One SYNTHETIC report (invented figures): random applicant counts, about one
 * cell in 20 printed blank, and the sums a real report states (总计 column,
 * （七）总计 row) made to hold, so that rates stay between 0 and 1.
 */
function record(i: number, name: string, year: number): ReportRecord {
  const values: CellValue[] = [];
  let x = (i * 2654435761 + year) >>> 0;
  const rnd = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 8;
  };
  const apps = T3_COLS.slice(0, -1);
  const outcomes = T3_ROWS.slice(T3_ROWS.indexOf('granted'), T3_ROWS.indexOf('total_processed'));
  const processed = new Array<number>(apps.length).fill(0);
  const push = (row: string, col: string, value: number | null) =>
    values.push({ table: 't3', row, col, value, cell: value === null ? 'blank' : 'number', raw: value === null ? '' : String(value), unit: null, at: {} });
  for (const row of T3_ROWS) {
    let total = 0;
    apps.forEach((col, c) => {
      let v: number | null = rnd() % 20 === 0 ? null : rnd() % 50;
      if (row === 'total_processed') v = processed[c];
      else if (outcomes.includes(row)) processed[c] += v ?? 0;
      total += v ?? 0;
      push(row, col, v);
    });
    push(row, 'total', total);
  }
  for (const row of ['review', 'litigation_direct', 'litigation_after_review']) {
    const r = [rnd() % 5, rnd() % 3, rnd() % 3, rnd() % 2];
    ['upheld', 'corrected', 'other', 'pending'].forEach((col, k) => values.push({ table: 't4', row, col, value: r[k], cell: 'number', raw: String(r[k]), unit: null, at: {} }));
    values.push({ table: 't4', row, col: 'total', value: r[0] + r[1] + r[2] + r[3], cell: 'number', raw: '', unit: null, at: {} });
  }
  return {
    source: { sha256: `synthetic-${i}-${year}`, format: 'text' }, agency: { name }, year, published: null, template: '2021', title: 'SYNTHETIC',
    values, missing: [], narrative: [], checks: [], warnings: [], parser: { version: 'bench' },
  };
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

async function timeP50(fn: () => Promise<unknown>, runs = 9): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[Math.floor(t.length / 2)];
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : (v as number | null));

/** The two engines must give the same answer, or the timing compares nothing. */
function same(what: string, ours: [string, number | null][], duck: [string, number | null][]): void {
  const norm = (rows: [string, number | null][]) => rows.map(([k, v]) => `${k}=${v === null ? 'null' : v.toPrecision(12)}`).sort();
  const a = norm(ours), b = norm(duck);
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
    throw new Error(`${what}: nianbao and DuckDB disagree (${a.length} vs ${b.length} rows; first: ${a.find((x, i) => x !== b[i])} vs ${b.find((x, i) => x !== a[i])})`);
  }
}

export async function benchStore(): Promise<BenchFigure[]> {
  const bodies = Number(process.env.NIANBAO_BENCH_SCALE ?? 7000);
  const years = 7;
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
  const storeDir = join(dir, 'store');
  const regions = loadRegions();
  const counties = [...regions.byCode.values()].filter((r) => r.level === 'county');
  const kinds = ['审计局', '公安局', '教育局', '人民政府'];
  // SYNTHETIC bodies: real county names + "合成测试" + an invented institution and a serial number.
  const names = Array.from({ length: bodies }, (_, i) => `${regions.fullName(counties[i % counties.length].code).replace(/^.*?(省|自治区|市)/, '')}合成测试${kinds[i % 4].replace('人民政府', '机关')}${i}`);
  const t0 = performance.now();
  const w = StoreWriter.open(storeDir, { partRows: 2_000_000 });
  for (let y = 2025 - years; y < 2025; y++) for (let i = 0; i < bodies; i++) w.add(record(i, names[i], y));
  const { newValues } = await w.commit();
  w.close();
  const ingestS = (performance.now() - t0) / 1000;
  // Peak resident memory of the process so far: the ingest is its first heavy phase (when run alone: `npm run bench -- store`).
  const ingestPeakMB = process.resourceUsage().maxRSS / 1024;
  const storeMB = dirBytes(storeDir) / 1024 / 1024;
  const scale = `synthetic, ${bodies} bodies × ${years} years = ${(newValues / 1e6).toFixed(2)} M values`;

  let store = StoreReader.open(storeDir);
  const pq = join(dir, 'v.parquet');
  const te = performance.now();
  await exportStore(store, 'parquet', pq);
  const exportS = (performance.now() - te) / 1000;
  const exportPeakMB = process.resourceUsage().maxRSS / 1024;
  const rssAfterExportMB = process.memoryUsage().rss / 1024 / 1024;
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  // The DuckDB baseline for ingest: loading the same values (already columnar) into a native table.
  const tl = performance.now();
  await con.run(`create table loaded as select * from read_parquet('${pq}')`);
  const duckLoadS = (performance.now() - tl) / 1000;
  await con.run('drop table loaded');
  await con.run(`create view v as select * from read_parquet('${pq}')`);
  const someAgency = store.agencies[Math.floor(store.agencies.length / 2)];
  const q = {
    byRegionYear: () => runQuery(store, { metric: 't3.new_received.total', by: ['province', 'year'] }),
    top50: () => runQuery(store, { metric: 'disclosure_rate', by: ['agency'], years: [2024], kinds: ['审计'], levels: ['county'], top: 50 }),
    profile: () => agencyProfile(store, someAgency.id),
  };
  const d = {
    byRegionYear: () => con.runAndReadAll(`select substr(region_code,1,2) p, year, sum(value) s from v where metric='t3.new_received.total' group by all`),
    top50: () => con.runAndReadAll(`select agency_id, sum(value) filter (where metric in ('t3.granted.total','t3.partially_granted.total')) / nullif(sum(value) filter (where metric='t3.total_processed.total'), 0) r from v where year=2024 and kind='审计' and level='county' and metric in ('t3.granted.total','t3.partially_granted.total','t3.total_processed.total') group by agency_id order by r desc nulls last limit 50`),
    profile: () => con.runAndReadAll(`select year, metric, value from v where agency_id='${someAgency.id}' order by year, metric`),
  };

  // Same answers first.
  const r1 = await q.byRegionYear(), d1 = (await d.byRegionYear()).getRows();
  same('byRegionYear', r1.rows.map((r) => [`${(r.province ?? '').slice(0, 2)}|${r.year}`, r.value]), d1.map((r) => [`${String(r[0])}|${num(r[1])}`, num(r[2])]));
  const r2 = await q.top50(), d2 = (await d.top50()).getRows();
  same('top50', r2.rows.map((r, i) => [String(i), r.value]), d2.map((r, i) => [String(i), num(r[1])]));
  if (r2.rows.length !== 50) throw new Error(`top50 returned ${r2.rows.length} rows`);
  const r3 = await q.profile(), d3 = (await d.profile()).getRows();
  same('profile', r3.rows.map((r) => [`${r.year}|${r.metric}`, r.value]), d3.map((r) => [`${num(r[0])}|${String(r[1])}`, num(r[2])]));

  const figures: BenchFigure[] = [
    {
      name: `store ingest (${scale}) vs DuckDB loading the same values from Parquet (information)`,
      value: Math.round(newValues / ingestS), unit: 'values/s', baseline: Math.round(newValues / duckLoadS), ratio: round(duckLoadS / ingestS), target: null,
    },
    { name: `store export to Parquet (${scale}) (information)`, value: round(exportS, 2), unit: 's', baseline: round(ingestS, 2), ratio: round(exportS / ingestS), target: null },
    {
      name: `store ingest peak RSS of the bench process (${scale}) vs the store's size on disk (information)`,
      value: Math.round(ingestPeakMB), unit: 'MB', baseline: Math.round(storeMB), ratio: round(ingestPeakMB / storeMB), target: null,
    },
    {
      name: `store export peak RSS of the bench process so far, ingest included (${scale}; RSS after export ${Math.round(rssAfterExportMB)} MB) vs the store's size on disk (information)`,
      value: Math.round(exportPeakMB), unit: 'MB', baseline: Math.round(storeMB), ratio: round(exportPeakMB / storeMB), target: null,
    },
  ];
  const ours: Record<string, number> = {};
  for (const k of Object.keys(q) as (keyof typeof q)[]) {
    ours[k] = await timeP50(q[k]);
    const duck = await timeP50(d[k]);
    figures.push({ name: `store query ${k} p50, warm reader (${scale}) vs DuckDB on Parquet`, value: round(ours[k]), unit: 'ms', baseline: round(duck), ratio: round(ours[k] / duck), target: 1.5 });
  }
  // Cold: a fresh reader for every run (no batch cache; the OS page cache is warm for both engines).
  await store.close();
  for (const k of Object.keys(q) as (keyof typeof q)[]) {
    const cold = await timeP50(async () => {
      store = StoreReader.open(storeDir);
      try {
        await q[k]();
      } finally {
        await store.close();
      }
    });
    const duck = await timeP50(d[k]);
    figures.push({ name: `store query ${k} p50, fresh reader (${scale}) vs DuckDB on Parquet`, value: round(cold), unit: 'ms', baseline: round(duck), ratio: round(cold / duck), target: 1.5 });
  }
  // The absolute target: p50 under 100 ms at 10 M values.
  const worst = Math.max(...Object.values(ours));
  figures.push({ name: `store slowest dashboard query p50, warm reader (${scale}) vs 100 ms`, value: round(worst), unit: 'ms', baseline: 100, ratio: round(worst / 100), target: 1 });
  con.closeSync();
  rmSync(dir, { recursive: true, force: true });
  return figures;
}

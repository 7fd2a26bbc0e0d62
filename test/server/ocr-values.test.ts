// Machine-read figures through the API and the dashboards: /api/values rows
// say how many cells were read by OCR and how sure, read= / min_confidence=
// filter them, the data-quality view lists the OCR'd reports and the cells OCR
// doubted, and the charts that show values per report draw OCR'd ones hollow
// with the confidence in the tooltip. SYNTHETIC records only (test/store/synthetic.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSources } from '../../src/pipeline/ingest.ts';
import type { RunningServer } from '../../src/server/serve.ts';
import { syntheticRecord } from '../store/synthetic.ts';
import { startTestServer } from './helpers.ts';

let data: string;
let srv: RunningServer;
const get = (path: string) => fetch(srv.url + path);
const json = async (path: string) => {
  const r = await get(path);
  expect(r.status, path).toBe(200);
  return (await r.json()) as Record<string, unknown> & { rows: Record<string, unknown>[] };
};

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'nianbao-ocr-api-'));
  const scanned = syntheticRecord({ agency: '合成测试机关002', year: 2021, seed: 2, ocr: 0.88 });
  // The parser's warnings about single cells name the cell first (src/parse/interpret).
  scanned.warnings = [
    { code: 'ocr_used', message: 'SYNTHETIC: 1 page read by OCR' },
    { code: 'ocr_low_confidence', message: 't3.granted.total: OCR read "3" with confidence 0.86', at: { page: 1 } },
  ];
  const records = [syntheticRecord({ agency: '合成测试机关001', year: 2021, seed: 1 }), scanned];
  await ingestSources(records.map((record) => ({ kind: 'record' as const, record, origin: 'synthetic' })), { storeDir: join(data, 'store'), parser: null });
  srv = await startTestServer(data);
}, 120_000);

afterAll(async () => {
  await srv?.close();
  rmSync(data, { recursive: true, force: true });
});

describe('OCR through the API', () => {
  it('values rows count OCR cells and their lowest confidence; read= and min_confidence= filter whole reports', async () => {
    const all = await json('/api/values?metric=t3.new_received.total&by=agency');
    expect(all.rows.map((r) => [r.agency, r.ocr, r.ocr_min_confidence])).toEqual([['合成测试机关001', 0, null], ['合成测试机关002', 1, expect.any(Number)]]);
    const printed = await json('/api/values?metric=t3.new_received.total&by=agency&read=printed');
    expect(printed.rows.map((r) => [r.agency, r.value === null, r.excluded])).toEqual([['合成测试机关001', false, 0], ['合成测试机关002', true, 1]]);
    expect((printed.meta as { read: { read: string } } | undefined)?.read ?? (printed as { read?: { read: string } }).read).toMatchObject({ read: 'printed' });
    const csv = await (await get('/api/values?metric=t3.new_received.total&by=agency&min_confidence=0.95&format=csv')).text();
    expect(csv.split('\n')[0]).toMatch(/read=any min_confidence=0\.95/);
    expect(csv).toContain('excluded');
    const compare = await json('/api/compare?metric=t3.granted.total&read=ocr&min_requests=0');
    expect(compare.rows.map((r) => r.agency)).toEqual(expect.arrayContaining(['合成测试机关002']));
    expect(compare.rows.find((r) => r.agency === '合成测试机关001')?.value ?? null).toBeNull();
    const id = (await json('/api/agencies?q=合成测试机关002')).rows[0].id as string;
    const profile = await json(`/api/agencies/${encodeURIComponent(id)}/values?metric=t3.granted.total,t4.review.total`);
    expect(profile.rows.find((r) => r.metric === 't3.granted.total')?.ocr_confidence).toEqual(expect.any(Number));
    expect(profile.rows.find((r) => r.metric === 't4.review.total')?.ocr_confidence).toBeNull();
  });

  it('refuses a bad read filter, naming the parameter', async () => {
    for (const [q, param] of [['read=scanned', 'read'], ['min_confidence=2', 'min_confidence'], ['min_confidence=x', 'min_confidence']]) {
      const r = await get(`/api/values?metric=t3.new_received.total&${q}`);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { message: string } }).error.message).toContain(param);
    }
    // Narrative figures carry the flag too (a sentence OCR read), so the filter applies to them.
    const n = await get('/api/values?metric=narrative.audit_results_published&read=printed');
    expect(n.status).toBe(200);
  });

  it('the data-quality view lists reports read by OCR and the cells OCR doubted', async () => {
    const reports = await json('/api/reports?status=current&read=ocr');
    // 63 cells read, plus the 14 category totals the store derives from them (which inherit the flag).
    expect(reports.rows.map((r) => [r.agency_printed, r.ocr_values])).toEqual([['合成测试机关002', 63 + 14]]);
    expect(reports.rows[0].ocr_min_confidence).toBeLessThan(0.88);
    const printedOnly = await json('/api/reports?read=printed');
    expect(printedOnly.rows.map((r) => [r.agency_printed, r.ocr_values])).toEqual([['合成测试机关001', 0]]);
    const flags = await json('/api/quality/ocr');
    expect(flags.rows).toEqual([expect.objectContaining({ agency: '合成测试机关002', year: 2021, code: 'ocr_low_confidence', cell: 't3.granted.total', page: 1 })]);
  });
});

/** Run a dashboard view's Vega-Lite spec headless over rows, returning the scene's marks with their data. */
async function marksOf(spec: Record<string, unknown>, rows: Record<string, unknown>[]): Promise<{ datum: Record<string, unknown>; fillOpacity?: number }[]> {
  const warnings: string[] = [];
  const logger = { level: () => logger, error: (m: unknown) => warnings.push(String(m)), warn: (m: unknown) => warnings.push(String(m)), info: () => logger, debug: () => logger };
  const vg = compile({ ...spec, data: { values: rows }, width: 400 } as never, { logger: logger as never }).spec;
  // A dropped encoding (e.g. color beside stroke) would silently lose the chart's key.
  expect(warnings).toEqual([]);
  // A line given a fill would be drawn as a filled polygon: the OCR encodings belong on points and bars only.
  type VgMark = { type: string; encode?: { update?: Record<string, unknown>; enter?: Record<string, unknown> }; marks?: VgMark[] };
  const filledLines = (ms: VgMark[] = []): VgMark[] => ms.flatMap((m) => [...(m.type === 'line' && (m.encode?.update?.fill || m.encode?.enter?.fill) ? [m] : []), ...filledLines(m.marks)]);
  expect(filledLines(vg.marks as VgMark[])).toEqual([]);
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  await view.runAsync();
  const out: { datum: Record<string, unknown>; fillOpacity?: number }[] = [];
  const walk = (item: { items?: unknown[]; datum?: Record<string, unknown>; fillOpacity?: number; mark?: { marktype: string } }) => {
    if (item.datum && item.mark && (item.mark.marktype === 'symbol' || item.mark.marktype === 'rect')) out.push({ datum: item.datum, fillOpacity: item.fillOpacity });
    for (const c of item.items ?? []) walk(c as never);
  };
  walk((view.scenegraph() as unknown as { root: never }).root);
  view.finalize();
  return out;
}

describe('dashboards mark values read by OCR', () => {
  it('every chart with OCR encodings draws OCR\'d rows hollow and says so in the tooltip field', async () => {
    const rows = [
      { agency: '合成测试机关001', agency_id: 'a1', year: 2021, value: 5, label_zh: '新收', metric: 't3.new_received.total', blanks: 0, cells: 1, ocr: 0, ocr_min_confidence: null },
      { agency: '合成测试机关002', agency_id: 'a2', year: 2021, value: 7, label_zh: '新收', metric: 't3.new_received.total', blanks: 0, cells: 1, ocr: 1, ocr_min_confidence: 0.87 },
    ];
    let charts = 0;
    for (const f of readdirSync(join(import.meta.dirname, '../../dashboards'))) {
      const dash = JSON.parse(readFileSync(join(import.meta.dirname, '../../dashboards', f), 'utf8')) as { views: { id: string; kind: string; spec?: Record<string, unknown> }[] };
      for (const v of dash.views) {
        if (v.kind !== 'chart' || !JSON.stringify(v.spec).includes('read_as')) continue;
        const marks = await marksOf(v.spec!, rows);
        const ocr = marks.filter((m) => m.datum.ocr === 1), printed = marks.filter((m) => m.datum.ocr === 0);
        expect(ocr.length, `${f} ${v.id}`).toBeGreaterThan(0);
        expect(ocr.every((m) => (m.fillOpacity ?? 1) < 0.5 && String(m.datum.read_as).includes('0.87')), `${f} ${v.id}`).toBe(true);
        expect(printed.every((m) => (m.fillOpacity ?? 1) === 1 && String(m.datum.read_as).includes('printed')), `${f} ${v.id}`).toBe(true);
        charts++;
      }
    }
    expect(charts).toBeGreaterThanOrEqual(7);
  });
});

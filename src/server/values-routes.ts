// The data endpoints: metric catalog, agencies, values (the query layer's
// rows, same as `nianbao query`), one agency's profile, and the peer
// comparison with its minimum-requests guard and P10–P90 band.
import { Router, type Request } from 'express';
import { formatResult } from '../query/format.ts';
import { agencyProfile, runQuery, type QueryResult, type QueryRow } from '../query/query.ts';
import { agencyMask } from '../query/filters.ts';
import { describeMetric, metricCatalog } from '../query/catalog.ts';
import { badParam, notFound } from './errors.ts';
import { lookups, reportView } from './lookups.ts';
import { filterParams, metricsParam, queryParams, readParams, stringParam, yearsParam } from './params.ts';
import { intParam, notModified, sendList } from './respond.ts';
import type { StoreHandle } from './store-handle.ts';

const ROW_COLUMNS = ['agency', 'agency_id', 'region_code', 'region_name', 'province', 'city', 'kind', 'level', 'year', 'regime', 'value', 'blanks', 'cells', 'ocr', 'ocr_min_confidence', 'excluded'];
/** The guard of rankings: an agency with fewer new requests than this is not ranked (its rates are noise). */
export const DEFAULT_MIN_REQUESTS = 30;
const GUARD_METRIC = 't3.new_received.total';
const SERIES_GUARD_METRIC = 'series.requests_received';

/** A series result's regime break, for the response's meta (charts draw it). */
function breakOf(results: QueryResult[]): { regime_break?: { after: number; note: string } } {
  const b = results.find((q) => q.regime_break)?.regime_break;
  return b ? { regime_break: b } : {};
}

/** The read filter a result was asked with, for the response's meta. */
function readOf(results: QueryResult[]): { read?: QueryResult['read'] } {
  const r = results.find((q) => q.read)?.read;
  return r ? { read: r } : {};
}

/** Linear-interpolated percentile (the R-7 / Excel PERCENTILE.INC definition) of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

export function valuesRouter(store: StoreHandle, dataDir: string): Router {
  const r = Router();

  r.get('/metrics', (req, res) => {
    if (notModified(req, res, store)) return;
    sendList(req, res, { name: 'metrics', rows: metricCatalog(store.get()) as unknown as Record<string, unknown>[] });
  });

  r.get('/agencies', (req, res) => {
    if (notModified(req, res, store)) return;
    const s = store.get();
    const q = stringParam(req, 'q')?.toLowerCase();
    const { mask } = agencyMask(s.agencies, filterParams(req));
    const L = lookups(s);
    const rows = s.agencies
      .filter((a) => mask[a.key] && (!q || a.name.toLowerCase().includes(q) || a.id.toLowerCase().includes(q) || a.aliases.toLowerCase().includes(q)))
      .map((a) => {
        const reps = (L.reportsOfAgency.get(a.key) ?? []).filter((x) => x.status === 'current');
        const years = [...new Set(reps.map((x) => x.year).filter((y) => y !== null))].sort().join(',');
        return { id: a.id, name: a.name, region_code: a.region_code, region_name: a.region_name, level: a.level, kind: a.kind, resolution: a.resolution, reports: reps.length, years };
      });
    sendList(req, res, { name: 'agencies', rows });
  });

  r.get('/agencies/:id', (req, res) => {
    if (notModified(req, res, store)) return;
    const s = store.get();
    const a = lookups(s).agencyById.get(req.params.id);
    if (!a) throw notFound(`no agency with id ${JSON.stringify(req.params.id)} (see /api/agencies?q=…)`);
    const reports = (lookups(s).reportsOfAgency.get(a.key) ?? []).map((x) => reportView(s, dataDir, x));
    const failed = s.checks().filter((c) => c.agency === a.key && c.status === 'fail')
      .map((c) => ({ year: c.year, id: c.id, relation: c.relation, left: c.left, right: c.right, cells: c.cells, note: c.note, report: s.reports[c.report]?.sha256 ?? null }));
    res.json({ agency: { ...a, aliases: JSON.parse(a.aliases) as string[] }, reports, failed_checks: failed });
  });

  r.get('/agencies/:id/values', async (req, res) => {
    if (notModified(req, res, store)) return;
    const s = store.get();
    const a = lookups(s).agencyById.get(req.params.id);
    if (!a) throw notFound(`no agency with id ${JSON.stringify(req.params.id)}`);
    const p = await agencyProfile(s, a.id);
    const only = metricsParam(req, false);
    const rows = p.rows.filter((x) => !only.length || only.includes(x.metric)).map((x) => {
      const d = describeMetric(x.metric);
      return { year: x.year, metric: x.metric, label_zh: d.label_zh, label_en: d.label_en, value: x.value, cell: x.cell, derived: x.derived, ocr_confidence: x.ocr_confidence };
    });
    sendList(req, res, { name: `profile-${a.id}`, rows });
  });

  r.get('/values', async (req, res) => {
    if (notModified(req, res, store)) return;
    const s = store.get();
    const metrics = metricsParam(req);
    const withSource = listInclude(req).includes('source');
    const results: QueryResult[] = [];
    for (const m of metrics) results.push(await runQuery(s, queryParams(req, m)));
    const L = lookups(s);
    const decorate = (res0: QueryResult, row: QueryRow): Record<string, unknown> => {
      const out: Record<string, unknown> = metrics.length > 1 ? { metric: res0.metric, label_zh: describeMetric(res0.metric).label_zh, ...row } : { ...row };
      if (withSource && row.agency_id !== undefined && row.year !== undefined) {
        const a = L.agencyById.get(row.agency_id);
        const rep = a ? L.currentReport.get(`${a.key}|${row.year}`) : undefined;
        out.source_title = rep?.title ?? null;
        out.source_url = rep ? (rep.source_url ?? `/api/reports/${rep.sha256}`) : null;
      }
      return out;
    };
    const rows = results.flatMap((q) => q.rows.map((row) => decorate(q, row)));
    const first = results[0];
    const single = metrics.length === 1 && !withSource;
    sendList(req, res, {
      name: `values-${metrics.join('+').replace(/[^\w.+-]/g, '_')}`,
      rows,
      meta: single
        ? { metric: first.metric, definition: first.definition, by: first.by, blanks: first.blanks, blanks_note: first.blanks_note, missing_note: first.missing_note, ...breakOf(results), ...readOf(results) }
        : { metrics: results.map((q) => ({ metric: q.metric, definition: q.definition })), by: first.by, blanks: first.blanks, blanks_note: first.blanks_note, missing_note: first.missing_note, ...breakOf(results), ...readOf(results) },
      columns: [...(metrics.length > 1 ? ['metric', 'label_zh'] : []), ...ROW_COLUMNS.filter((c) => rows.some((x) => c in x)), ...(withSource ? ['source_title', 'source_url'] : [])],
      // One metric without extras: byte for byte what `nianbao query --format csv` prints.
      csv: single ? (page) => formatResult({ ...first, rows: page as unknown as QueryRow[] }, 'csv') : undefined,
    });
  });

  r.get('/compare', async (req, res) => {
    if (notModified(req, res, store)) return;
    const s = store.get();
    const [metric] = metricsParam(req);
    if (listParamCount(req, 'metric') > 1) throw badParam('metric', 'compare takes exactly one metric');
    const minRequests = intParam(req, 'min_requests', DEFAULT_MIN_REQUESTS, 0, 1_000_000_000)!;
    const base = { ...filterParams(req), ...readParams(req), years: yearsParam(req), by: ['agency', 'year'] as ['agency', 'year'] };
    // A series is guarded by the requests series, so legacy years can be ranked too.
    const guardMetric = metric.startsWith('series.') ? SERIES_GUARD_METRIC : GUARD_METRIC;
    const [main, guard] = await Promise.all([runQuery(s, { ...base, metric }), runQuery(s, { ...base, metric: guardMetric })]);
    const requests = new Map(guard.rows.map((g) => [`${g.agency_id}|${g.year}`, g.value]));
    const L = lookups(s);
    const rows = main.rows.map((row) => {
      const n = requests.get(`${row.agency_id}|${row.year}`) ?? null;
      const a = L.agencyById.get(row.agency_id!);
      return { agency: row.agency!, agency_id: row.agency_id!, region_name: a?.region_name ?? null, kind: row.kind ?? null, level: row.level ?? null, year: row.year ?? null, ...(row.regime ? { regime: row.regime } : {}), value: row.value, missing: row.missing,
        ...(row.ocr !== undefined ? { ocr: row.ocr, ocr_min_confidence: row.ocr_min_confidence ?? null } : {}), ...(row.excluded !== undefined ? { excluded: row.excluded } : {}), requests: n, eligible: row.value !== null && n !== null && n >= minRequests, rank: null as number | null, peers: 0, p10: null as number | null, p90: null as number | null };
    });
    // Rank and band per year, among eligible agencies only.
    for (const year of new Set(rows.map((x) => x.year))) {
      const ys = rows.filter((x) => x.year === year);
      const elig = ys.filter((x) => x.eligible).sort((a, b) => b.value! - a.value!);
      elig.forEach((x, i) => (x.rank = i + 1));
      const sorted = elig.map((x) => x.value!).sort((a, b) => a - b);
      for (const x of ys) Object.assign(x, { peers: elig.length, p10: percentile(sorted, 0.1), p90: percentile(sorted, 0.9) });
    }
    sendList(req, res, {
      name: `compare-${metric}`, rows,
      meta: { metric, definition: main.definition, min_requests: minRequests, guard_metric: guardMetric, blanks: main.blanks, blanks_note: main.blanks_note, ...readOf([main]),
        note: `ranked and banded (P10–P90) per year among agencies with ${guardMetric} ≥ ${minRequests}`, ...breakOf([main]) },
    });
  });

  return r;
}

function listInclude(req: Request): string[] {
  const v = req.query.include;
  const list = (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(','));
  for (const x of list) if (x !== 'source') throw badParam('include', `"${x}" is not one of: source`);
  return list;
}

function listParamCount(req: Request, name: string): number {
  const v = req.query[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(',')).filter(Boolean).length;
}

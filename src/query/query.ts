// src/query: questions asked of the store (values by group, agency profiles, exports, the cross-year check, where a cell was printed).
//
// Filter, group and aggregate. Blanks are never silently zero: each cell that
// was printed blank or as a dash (value null) is counted in `blanks`, and the
// caller chooses whether such cells count as 0 (`blanks: 'zero'`) or are left
// out (`'null'`, the default); the choice is echoed in every result.
import { splitMetricKey } from '../store/derive.ts';
import type { PartInfo } from '../store/manifest.ts';
import type { StoreReader } from '../store/reader.ts';
import { isValid, ocrConfidence } from '../store/reader.ts';
import type { AgencyRow } from '../store/tables.ts';
import { agencyMask, passesRead, type AgencyFilter, type ReadFilter, type ReadOptions } from './filters.ts';
import { cellsOf, regimeOfCell, REGIME_BREAK, resolveMetric, type MetricDef, type Regime } from './metrics.ts';

export type GroupKey = 'agency' | 'year' | 'region' | 'province' | 'city' | 'kind' | 'level';
export type BlankTreatment = 'zero' | 'null';

export interface QueryOptions extends AgencyFilter, ReadOptions {
  metric: string;
  by: GroupKey[];
  years?: number[];
  blanks?: BlankTreatment;
  /** Keep the first N rows after ordering by value (nulls last). */
  top?: number;
  order?: 'asc' | 'desc';
}

export interface QueryRow {
  agency?: string;
  agency_id?: string;
  region_code?: string | null;
  region_name?: string | null;
  province?: string | null;
  city?: string | null;
  kind?: string | null;
  level?: string | null;
  year?: number | null;
  /** For a series: which regime's cells gave this row (a series answers one row per group and regime). */
  regime?: Regime;
  value: number | null;
  /** Cells read as blank or dash (no number) in this group. */
  blanks: number;
  /** Cells read in this group. */
  cells: number;
  /**
   * Reports in this group whose document does not print a cell this metric
   * reads (lost in a conversion, cut off): their figure is unknown and is not
   * in `value`. A group made only of such reports has value null.
   */
  missing: number;
  /**
   * Cells in `value` read by OCR from a scanned image, and the lowest
   * recognition confidence among them. Present on every row when any row of
   * the result has such a cell.
   */
  ocr?: number;
  ocr_min_confidence?: number | null;
  /** Reports left out of this group by the read / min_confidence filter (present when one is set). */
  excluded?: number;
}

export interface QueryResult {
  metric: string;
  definition: string;
  by: GroupKey[];
  blanks: BlankTreatment;
  blanks_note: string;
  /** What the rows' `missing` counts. */
  missing_note: string;
  /** For a series: the year after which the definitions change, and what changed. */
  regime_break?: { after: number; note: string };
  /** The read filter, when one was set, and what it left out. */
  read?: { read: ReadFilter; min_confidence: number | null; note: string };
  rows: QueryRow[];
}

interface Acc {
  row: QueryRow;
  sums: Float64Array;
  numbers: Int32Array;
}

export const OCR_NOTE = 'ocr = cells in value read by OCR from a scanned image; ocr_min_confidence = the lowest recognition confidence among them';

export const EXCLUDED_NOTE = 'excluded = reports left out because a cell of this metric failed the read filter (a whole report is left out, never part of its cells)';

export const MISSING_NOTE = 'missing = reports whose document does not print a cell of this metric (unknown, not in value)';

export const BLANK_NOTES: Record<BlankTreatment, string> = {
  null: 'blank and dash cells are treated as missing: left out of sums; a group with no number has value null',
  zero: 'blank and dash cells are treated as 0',
};

function regionPart(code: string | null, digits: number): string | null {
  if (!code || code.length < digits) return null;
  return code.slice(0, digits).padEnd(6, '0');
}

function groupRow(by: GroupKey[], a: AgencyRow, year: number | null): QueryRow {
  const row: QueryRow = { value: null, blanks: 0, cells: 0, missing: 0 };
  for (const k of by) {
    if (k === 'agency') Object.assign(row, { agency: a.name, agency_id: a.id, region_code: a.region_code, kind: a.kind, level: a.level });
    else if (k === 'year') row.year = year;
    else if (k === 'region') Object.assign(row, { region_code: a.region_code, region_name: a.region_name });
    else if (k === 'province') row.province = regionPart(a.region_code, 2);
    else if (k === 'city') row.city = regionPart(a.region_code, 4);
    else if (k === 'kind') row.kind = a.kind;
    else if (k === 'level') row.level = a.level;
  }
  return row;
}

function finish(def: MetricDef, acc: Acc, parts: string[]): number | null {
  const sumOf = (ids: string[]): { sum: number; any: boolean } => {
    let sum = 0, any = false;
    for (const id of ids) {
      const i = parts.indexOf(id);
      sum += acc.sums[i];
      any ||= acc.numbers[i] > 0;
    }
    return { sum, any };
  };
  if (def.type === 'ratio') {
    const n = sumOf(def.numerator), d = sumOf(def.denominator);
    return n.any && d.any && d.sum > 0 ? n.sum / d.sum : null;
  }
  const s = sumOf(parts);
  return s.any ? s.sum : null;
}

export async function runQuery(store: StoreReader, opts: QueryOptions): Promise<QueryResult> {
  const def = resolveMetric(opts.metric);
  const blanks = opts.blanks ?? 'null';
  const by = opts.by.length ? opts.by : (['agency', 'year'] as GroupKey[]);
  const { mask, min, max, count } = agencyMask(store.agencies, opts);
  const years = opts.years?.length ? new Set(opts.years) : undefined;
  const groups = new Map<string, Acc>();
  // The agency's part of a group key is the same for all its rows: built once per agency, not per row.
  const agencyParts = new Array<string | undefined>(store.agencies.length);
  const groupsByYear = by.includes('year');
  const keyOf = (agency: number, year: number | null, regime: Regime | undefined): string => {
    const a = (agencyParts[agency] ??= by.filter((k) => k !== 'year').map((k) => groupKeyPart(k, store.agencies[agency])).join('\u0001'));
    const k = groupsByYear ? `${a}\u0002${year}` : a;
    return regime ? `${k}\u0003${regime}` : k;
  };
  const parts = def.type === 'narrative' ? [def.id] : cellsOf(def);
  const read = opts.read ?? 'any';
  const filtered = read !== 'any' || opts.minConfidence !== undefined;
  // A series keeps its regimes apart: each part's rows go to its regime's group, never summed across.
  const regimeOf = (part: string): Regime | undefined => (def.type === 'series' ? regimeOfCell(part) : undefined);
  const accFor = (agency: number, year: number | null, regime?: Regime): Acc => {
    const k = keyOf(agency, year, regime);
    let acc = groups.get(k);
    if (!acc) {
      const row = groupRow(by, store.agencies[agency], year);
      if (regime) row.regime = regime;
      acc = { row, sums: new Float64Array(parts.length), numbers: new Int32Array(parts.length) };
      groups.set(k, acc);
    }
    return acc;
  };

  if (count > 0 && def.type === 'narrative') {
    for (const n of store.narrative()) {
      if (n.metric !== def.narrative || !store.active[n.report] || n.agency === null || !mask[n.agency]) continue;
      if (years && (n.year === null || !years.has(n.year))) continue;
      const conf = n.ocr_confidence ?? null;
      const acc = accFor(n.agency, n.year);
      // A figure whose sentence OCR read (or read too unsurely) is left out by the filter, and counted.
      if (filtered && !passesRead(conf, read, opts.minConfidence)) {
        acc.row.excluded = (acc.row.excluded ?? 0) + 1;
        continue;
      }
      acc.sums[0] += n.value;
      acc.numbers[0]++;
      acc.row.cells++;
      if (conf !== null) {
        acc.row.ocr = (acc.row.ocr ?? 0) + 1;
        acc.row.ocr_min_confidence = Math.min(acc.row.ocr_min_confidence ?? 1, conf);
      }
    }
  } else if (count > 0) {
    const active = store.active;
    // A report with any cell of the metric failing the filter is left out whole:
    // summing the rest of its cells would give a figure the report never printed.
    const excluded = new Map<number, { agency: number; year: number | null; regime: Regime | undefined }>();
    if (filtered) {
      for (let p = 0; p < parts.length; p++) {
        for await (const s of store.scanMetric(parts[p], years, { min, max })) {
          for (let i = 0; i < s.length; i++) {
            const ag = s.agency[i];
            if (ag < 0 || !mask[ag] || !active[s.report[i]] || excluded.has(s.report[i])) continue;
            if (!passesRead(ocrConfidence(s, i), read, opts.minConfidence)) excluded.set(s.report[i], { agency: ag, year: s.year, regime: regimeOf(parts[p]) });
          }
        }
      }
      for (const e of excluded.values()) {
        const row = accFor(e.agency, e.year, e.regime).row;
        row.excluded = (row.excluded ?? 0) + 1;
      }
    }
    for (let p = 0; p < parts.length; p++) {
      const regime = regimeOf(parts[p]);
      for await (const s of store.scanMetric(parts[p], years, { min, max })) {
        const { report, agency, value, valueValid } = s;
        for (let i = 0; i < s.length; i++) {
          const ag = agency[i];
          if (ag < 0 || !mask[ag] || !active[report[i]] || excluded.has(report[i])) continue;
          const acc = accFor(ag, s.year, regime);
          acc.row.cells++;
          const conf = s.ocr ? ocrConfidence(s, i) : null;
          if (conf !== null) {
            acc.row.ocr = (acc.row.ocr ?? 0) + 1;
            acc.row.ocr_min_confidence = Math.min(acc.row.ocr_min_confidence ?? 1, conf);
          }
          if (isValid(valueValid, i)) {
            acc.sums[p] += value[i];
            acc.numbers[p]++;
          } else {
            acc.row.blanks++;
            if (blanks === 'zero') acc.numbers[p]++;
          }
        }
      }
    }
  }
  if (count > 0 && def.type !== 'narrative') {
    // Reports that lack a cell this metric reads: counted, never filled in.
    for (const g of store.gaps) {
      if (!mask[g.agency]) continue;
      if (years && (g.year === null || !years.has(g.year))) continue;
      const hit = parts.find((p) => g.cells.some((m) => missingCellAffects(m, p)));
      if (hit) accFor(g.agency, g.year, regimeOf(hit)).row.missing++;
    }
  }
  if (filtered) for (const acc of groups.values()) acc.row.excluded ??= 0;
  let rows = [...groups.values()].map((acc) => ({ ...acc.row, value: finish(def, acc, parts) }));
  // The OCR columns are all or nothing, so a table has them on every row or none.
  if (rows.some((r) => r.ocr)) for (const r of rows) Object.assign(r, { ocr: r.ocr ?? 0, ocr_min_confidence: r.ocr_min_confidence ?? null });
  rows.sort((a, b) => compareRows(a, b, by));
  if (opts.top !== undefined || opts.order) {
    const dir = opts.order === 'asc' ? 1 : -1;
    rows.sort((a, b) => (a.value === null ? 1 : b.value === null ? -1 : dir * (a.value - b.value)) || compareRows(a, b, by));
    if (opts.top !== undefined) rows = rows.slice(0, opts.top);
  }
  return {
    metric: def.id, definition: def.description, by, blanks, blanks_note: BLANK_NOTES[blanks], missing_note: MISSING_NOTE,
    ...(def.type === 'series' ? { regime_break: REGIME_BREAK } : {}),
    ...(filtered ? { read: { read, min_confidence: opts.minConfidence ?? null, note: EXCLUDED_NOTE } } : {}), rows,
  };
}

/** Does a cell the document lacks feed this stored cell: the cell itself, or a sub-row of a derived category total? */
function missingCellAffects(missing: string, part: string): boolean {
  if (missing === part) return true;
  const m = splitMetricKey(missing), p = splitMetricKey(part);
  return !!m && !!p && m.table === p.table && m.col === p.col && m.row.startsWith(p.row + '.');
}

function groupKeyPart(k: GroupKey, a: AgencyRow): string {
  switch (k) {
    case 'agency': return String(a.key);
    case 'region': return a.region_code ?? '';
    case 'province': return regionPart(a.region_code, 2) ?? '';
    case 'city': return regionPart(a.region_code, 4) ?? '';
    case 'kind': return a.kind ?? '';
    case 'level': return a.level ?? '';
    default: return '';
  }
}

function compareRows(a: QueryRow, b: QueryRow, by: GroupKey[]): number {
  for (const k of by) {
    const x = k === 'agency' ? a.agency_id : k === 'region' ? a.region_code : a[k as 'year'];
    const y = k === 'agency' ? b.agency_id : k === 'region' ? b.region_code : b[k as 'year'];
    if (x === y) continue;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return x < y ? -1 : 1;
  }
  // A series' regimes of one group: legacy (the older) first.
  return a.regime === b.regime ? 0 : a.regime === 'legacy' ? -1 : 1;
}

export interface ProfileRow {
  year: number | null;
  metric: string;
  value: number | null;
  cell: string;
  derived: boolean;
  /** OCR confidence, or null for a printed value. */
  ocr_confidence: number | null;
}

/** Every stored value of one agency's current reports, by year and metric. */
export async function agencyProfile(store: StoreReader, agency: string): Promise<{ agency: AgencyRow; rows: ProfileRow[] }> {
  const { min, count } = agencyMask(store.agencies, { agencies: [agency] });
  if (count !== 1) throw new Error(count === 0 ? `no agency ${agency}` : `"${agency}" matches ${count} agencies; use its id`);
  const cells = store.manifest.dictionaries.cell;
  const rows: ProfileRow[] = (await agencyFacts(store, min, store.parts()))
    .filter((r) => store.active[r.report])
    .map((r) => ({ year: r.year, metric: r.metric, value: r.value, cell: cells[r.cell], derived: r.derived, ocr_confidence: r.ocr }));
  rows.sort((x, y) => (x.year ?? 0) - (y.year ?? 0) || (x.metric < y.metric ? -1 : x.metric > y.metric ? 1 : 0));
  return { agency: store.agencies[min], rows };
}

/** Every stored value of one report (any status), by metric: what the store holds for it. */
export async function reportValues(store: StoreReader, report: { key: number; agency_key: number | null; year: number | null }): Promise<Map<string, number | null>> {
  const parts = report.year === null ? store.parts().filter((p) => p.year === null) : store.parts(new Set([report.year]));
  const out = new Map<string, number | null>();
  // A report without a publisher has its rows stored under agency -1.
  for (const r of await agencyFacts(store, report.agency_key ?? -1, parts)) if (r.report === report.key) out.set(r.metric, r.value);
  return out;
}

interface AgencyFact {
  year: number | null;
  metric: string;
  report: number;
  value: number | null;
  /** Code into manifest.dictionaries.cell. */
  cell: number;
  derived: boolean;
  ocr: number | null;
}

/** Every fact row of one agency (its key as stored) in these parts, every report version included. */
async function agencyFacts(store: StoreReader, agency: number, parts: PartInfo[]): Promise<AgencyFact[]> {
  const out: AgencyFact[] = [];
  for (const p of parts) {
    if (agency >= 0 && p.agencyMin !== undefined && (p.agencyMax! < agency || p.agencyMin > agency)) continue;
    // The agency's rows alone, unless the part is already decoded in the cache (a warm server).
    const direct = store.mostlyCached(p) ? undefined : await store.agencyRows(p, agency);
    if (direct) {
      for (const r of direct) out.push({ year: p.year, ...r });
      continue;
    }
    for await (const s of store.partSlices(p)) {
      // Rows of a batch are sorted by agency: binary-search the agency's run.
      let lo = 0, hi = s.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (s.agency[mid] < agency) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < s.length && s.agency[i] === agency; i++) {
        out.push({ year: s.year, metric: s.metric, report: s.report[i], value: isValid(s.valueValid, i) ? s.value[i] : null, cell: s.cell[i], derived: (s.derived[i >> 3] & (1 << (i & 7))) !== 0, ocr: ocrConfidence(s, i) });
      }
    }
  }
  return out;
}

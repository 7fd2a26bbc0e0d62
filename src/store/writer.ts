// src/store: the Apache Arrow store of parsed reports (writer, reader, manifest, derived totals); it takes ReportRecords and knows nothing of crawling or serving.
//
// Incremental, crash-safe writes. A writer holds the store lock, adds records
// into per-year buffers that spill to part files as they fill (so memory is
// bounded by `partRows` × years), and on commit writes the small tables and
// finally swaps the manifest. Files written before the swap are invisible to
// readers; leftovers of a killed run are deleted by the next writer.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveAgency } from '../agency/resolve.ts';
import type { ReportRecord } from '../parse/types.ts';
import { StableDictionary } from './columns.ts';
import { metricKey, withDerivedTotals } from './derive.ts';
import { FactBuffer, writeFactPart, type FactDictionaries } from './facts.ts';
import { acquireLock } from './fsutil.ts';
import { emptyManifest, readManifest, referencedFiles, writeManifest, type Manifest, type PartInfo } from './manifest.ts';
import {
  AGENCY_COLUMNS, CHECK_COLUMNS, NARRATIVE_COLUMNS, REPORT_COLUMNS, REPORT_INDEX_COLUMNS, readObjectsFile, writeObjectsFile,
  type AgencyRow, type CheckRow, type NarrativeRow, type ReportRow,
} from './tables.ts';

export type AddOutcome = { status: 'added'; key: number; superseded: number | null } | { status: 'unchanged'; key: number };

export interface WriterOptions {
  /** Rows per fact part file; bounds memory while writing. */
  partRows?: number;
}

/** Runs after parts are in place and before the manifest swap; returns cross-year check rows. */
export type CrossYearHook = (storeDir: string, pending: Manifest) => Promise<CheckRow[]>;

function gen(n: number): string {
  return 'g' + String(n).padStart(6, '0');
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

export class StoreWriter {
  private readonly manifest: Manifest;
  private readonly generation: number;
  private readonly reports: ReportRow[];
  private readonly agencies: AgencyRow[];
  private readonly agencyByKey = new Map<string, AgencyRow>();
  private readonly byShaParser = new Map<string, number>();
  private readonly bySha = new Map<string, number[]>();
  private readonly current = new Map<string, number>();
  private readonly dicts: FactDictionaries;
  private readonly narrativeDict: StableDictionary;
  private readonly buffers = new Map<number | null, FactBuffer>();
  private readonly newParts: PartInfo[] = [];
  private readonly checks = new Map<number | null, CheckRow[]>();
  private readonly narrative = new Map<number | null, NarrativeRow[]>();
  private partSeq = 0;
  private changed = false;
  private newValues = 0;
  private readonly partRows: number;
  private releaseLock: (() => void) | null;

  private constructor(readonly storeDir: string, opts: WriterOptions) {
    this.releaseLock = acquireLock(join(storeDir, '.lock'));
    this.partRows = opts.partRows ?? 1_000_000;
    this.manifest = readManifest(storeDir) ?? emptyManifest();
    this.generation = this.manifest.generation + 1;
    this.collectGarbage(this.manifest);
    this.reports = this.manifest.reports ? (readObjectsFile(join(storeDir, this.manifest.reports)) as unknown as ReportRow[]) : [];
    this.agencies = this.manifest.agencies ? (readObjectsFile(join(storeDir, this.manifest.agencies)) as unknown as AgencyRow[]) : [];
    for (const a of this.agencies) this.agencyByKey.set(a.id, a);
    for (const r of this.reports) this.indexReport(r);
    const d = this.manifest.dictionaries;
    this.dicts = { table: new StableDictionary([...d.table]), row: new StableDictionary([...d.row]), col: new StableDictionary([...d.col]), cell: new StableDictionary([...d.cell]) };
    this.narrativeDict = new StableDictionary([...d.narrative]);
  }

  static open(storeDir: string, opts: WriterOptions = {}): StoreWriter {
    return new StoreWriter(storeDir, opts);
  }

  private indexReport(r: ReportRow): void {
    this.byShaParser.set(versionKey(r.sha256, r.parser_version, r.source_images ?? null), r.key);
    const list = this.bySha.get(r.sha256) ?? [];
    list.push(r.key);
    this.bySha.set(r.sha256, list);
    if (r.status === 'current' && r.agency_key !== null && r.year !== null) this.current.set(`${r.agency_key}|${r.year}`, r.key);
  }

  /** Delete files no manifest references: temp files and parts of a run that was killed before its swap. */
  private collectGarbage(m: Manifest): void {
    const keep = referencedFiles(m);
    let files: string[] = [];
    try {
      files = listFiles(this.storeDir);
    } catch {
      return;
    }
    for (const f of files) {
      const rel = relative(this.storeDir, f);
      if (rel === '.lock' || keep.has(rel)) continue;
      if (statSync(f).isFile()) rmSync(f, { force: true });
    }
  }

  /** Is this document, parsed by this parser version without pictures, in the store? (A page read with pictures is known only once parsed: see add.) */
  has(sha256: string, parserVersion: string): boolean {
    return this.byShaParser.has(versionKey(sha256, parserVersion, null));
  }

  private agencyFor(record: ReportRecord): { key: number | null; warning: { code: string; message: string } | null } {
    const printed = record.agency?.name;
    if (!printed) return { key: null, warning: { code: 'agency_missing', message: 'the parse found no publisher name' } };
    const res = resolveAgency(printed, { url: record.source.url, regionText: record.agency?.region?.name });
    const base = res.status === 'ambiguous'
      ? { id: `ambiguous:${res.name}`, name: res.name, regionCode: null, regionName: null, level: null, kind: res.candidates[0]?.kind ?? null, kindGroup: res.candidates[0]?.kindGroup ?? null }
      : res.agency;
    let row = this.agencyByKey.get(base.id);
    if (!row) {
      row = {
        key: this.agencies.length, id: base.id, name: base.name, aliases: JSON.stringify([printed]), region_code: base.regionCode,
        region_name: base.regionName, level: base.level, kind: base.kind, kind_group: base.kindGroup, resolution: res.status,
        candidates: res.status === 'ambiguous' ? JSON.stringify(res.candidates.map((c) => c.regionCode)) : null,
      };
      this.agencies.push(row);
      this.agencyByKey.set(base.id, row);
      this.changed = true;
    } else {
      const aliases = JSON.parse(row.aliases) as string[];
      if (!aliases.includes(printed)) {
        row.aliases = JSON.stringify([...aliases, printed]);
        this.changed = true;
      }
    }
    const warning = res.status === 'resolved' ? null : { code: `agency_${res.status}`, message: res.reason };
    return { key: row.key, warning };
  }

  /** Add one parsed document. The same bytes parsed by the same parser version change nothing. */
  add(record: ReportRecord): AddOutcome {
    const sha = record.source.sha256;
    const pv = record.parser.version;
    const images = record.source.images?.length ? JSON.stringify(record.source.images.map((i) => ({ url: i.url, sha256: i.sha256 }))) : null;
    const existing = this.byShaParser.get(versionKey(sha, pv, images));
    if (existing !== undefined) return { status: 'unchanged', key: existing };
    this.changed = true;
    const { key: agencyKey, warning } = this.agencyFor(record);
    const key = this.reports.length;
    const year = record.year;
    const cells = withDerivedTotals(record.values);
    const ocr = cells.filter((c) => c.ocr !== null).map((c) => c.ocr!);
    const row: ReportRow = {
      key, sha256: sha, agency_key: agencyKey, agency_printed: record.agency?.name ?? null, year,
      source_url: record.source.url ?? null, source_path: record.source.path ?? null, format: record.source.format,
      template: record.template, published: record.published, title: record.title, parser_version: pv,
      status: agencyKey === null || year === null ? 'unattributed' : 'current', superseded_by: null,
      status_reason: agencyKey === null ? 'no publisher' : year === null ? 'no reporting year' : null,
      values: cells.length, warnings: JSON.stringify(warning ? [...record.warnings, warning] : record.warnings),
      missing: record.missing?.length ? record.missing.map((m) => metricKey(m.table, m.row, m.col)).join(' ') : null,
      ocr_values: ocr.length, ocr_min_confidence: ocr.length ? Math.min(...ocr) : null, source_images: images,
    };
    // Older parses of the same bytes give way to this one (reparse).
    for (const k of this.bySha.get(sha) ?? []) {
      this.supersede(k, key, this.reports[k].parser_version === pv ? 'the page was read again with changed pictures' : `reparsed by parser ${pv}`);
    }
    let superseded: number | null = null;
    if (row.status === 'current') {
      const prev = this.current.get(`${agencyKey}|${year}`);
      if (prev !== undefined && this.reports[prev].status === 'current') {
        this.supersede(prev, key, 'a newer version of the report was ingested');
        superseded = prev;
      }
    }
    this.reports.push(row);
    this.indexReport(row);

    let buf = this.buffers.get(year);
    if (!buf) this.buffers.set(year, (buf = new FactBuffer(year)));
    for (const c of cells) buf.add(this.dicts, key, agencyKey, c);
    this.newValues += cells.length;
    if (buf.length >= this.partRows) this.flush(buf);

    const checks = this.checks.get(year) ?? [];
    for (const c of record.checks) {
      checks.push({ report: key, agency: agencyKey, year, id: c.id, relation: c.relation, status: c.status, left: c.left, right: c.right, cells: c.cells.join(' '), note: c.note ?? null });
    }
    this.checks.set(year, checks);
    const narr = this.narrative.get(year) ?? [];
    for (const f of record.narrative) {
      this.narrativeDict.code(f.metric);
      narr.push({ report: key, agency: agencyKey, year, metric: f.metric, value: f.value, unit: f.unit, evidence: JSON.stringify(f.evidence), ocr_confidence: f.ocr?.confidence ?? null });
    }
    this.narrative.set(year, narr);
    return { status: 'added', key, superseded };
  }

  private supersede(oldKey: number, byKey: number, reason: string): void {
    const old = this.reports[oldKey];
    if (old.status === 'superseded') return;
    old.status = 'superseded';
    old.superseded_by = byKey;
    old.status_reason = reason;
  }

  private yearDir(year: number | null): string {
    return year === null ? 'year=unknown' : `year=${year}`;
  }

  private flush(buf: FactBuffer): void {
    if (buf.length === 0) return;
    const rel = join('values', this.yearDir(buf.year), `part-${gen(this.generation)}-${String(this.partSeq++).padStart(4, '0')}.arrow`);
    const info = writeFactPart(join(this.storeDir, rel), rel, buf, this.dicts);
    let min = Infinity, max = -Infinity;
    const ag = buf.agency.view();
    for (let i = 0; i < ag.length; i++) {
      if (ag[i] < min) min = ag[i];
      if (ag[i] > max) max = ag[i];
    }
    this.newParts.push({ ...info, agencyMin: min, agencyMax: max });
    this.buffers.set(buf.year, new FactBuffer(buf.year));
  }

  /**
   * Make everything added visible at once. Returns false (and writes nothing)
   * when nothing changed, which is what makes a repeated ingest a no-op.
   */
  async commit(crossYear?: CrossYearHook): Promise<{ changed: boolean; manifest: Manifest; newValues: number }> {
    if (!this.changed) return { changed: false, manifest: this.manifest, newValues: 0 };
    for (const buf of this.buffers.values()) this.flush(buf);
    const g = gen(this.generation);
    const next: Manifest = {
      ...this.manifest,
      generation: this.generation,
      dictionaries: {
        table: this.dicts.table.values, row: this.dicts.row.values, col: this.dicts.col.values, cell: this.dicts.cell.values,
        narrative: this.narrativeDict.values,
      },
      values: [...this.manifest.values, ...this.newParts],
      checks: [...this.manifest.checks],
      narrative: [...this.manifest.narrative],
    };
    for (const [year, rows] of this.checks) {
      if (!rows.length) continue;
      const rel = join('checks', this.yearDir(year), `checks-${g}.arrow`);
      writeObjectsFile(join(this.storeDir, rel), CHECK_COLUMNS, rows);
      next.checks.push({ file: rel, year, rows: rows.length });
    }
    for (const [year, rows] of this.narrative) {
      if (!rows.length) continue;
      const rel = join('narrative', this.yearDir(year), `narrative-${g}.arrow`);
      writeObjectsFile(join(this.storeDir, rel), NARRATIVE_COLUMNS, rows);
      next.narrative.push({ file: rel, year, rows: rows.length });
    }
    next.reports = join('reports', `reports-${g}.arrow`);
    writeObjectsFile(join(this.storeDir, next.reports), REPORT_COLUMNS, this.reports);
    next.reportIndex = join('reports', `index-${g}.arrow`);
    writeObjectsFile(join(this.storeDir, next.reportIndex), REPORT_INDEX_COLUMNS, this.reports);
    next.agencies = join('agencies', `agencies-${g}.arrow`);
    writeObjectsFile(join(this.storeDir, next.agencies), AGENCY_COLUMNS, this.agencies);
    next.totals = {
      reports: this.reports.length,
      currentReports: this.reports.filter((r) => r.status === 'current').length,
      values: next.values.reduce((s, p) => s + p.rows, 0),
      agencies: this.agencies.length,
    };
    if (crossYear) {
      const rows = await crossYear(this.storeDir, next);
      next.crossYearChecks = join('checks', `cross-year-${g}.arrow`);
      writeObjectsFile(join(this.storeDir, next.crossYearChecks), CHECK_COLUMNS, rows);
    }
    // The swap: from here on readers see the new generation.
    writeManifest(this.storeDir, next);
    this.collectGarbage(next);
    return { changed: true, manifest: next, newValues: this.newValues };
  }

  close(): void {
    this.releaseLock?.();
    this.releaseLock = null;
  }
}

/**
 * A version's identity: the document's bytes, the parser version and, for a
 * page read with its pictures, the pictures' bytes (a changed table picture
 * under an unchanged page is a new version). `images` is the report row's
 * JSON ({url, sha256}[]).
 */
function versionKey(sha256: string, parserVersion: string, images: string | null): string {
  if (!images) return `${sha256}|${parserVersion}`;
  return `${sha256}|${parserVersion}|${(JSON.parse(images) as { sha256: string }[]).map((i) => i.sha256).join(',')}`;
}

// `nianbao release`: the current store as a versioned open-data package a
// researcher can download, load and cite — a Frictionless Tabular Data Package
// (datapackage.json, CSVs in UTF-8 with BOM, values also as Parquet), with
// SHA256SUMS, CITATION.cff and a README of coverage, caveats and licence.
//
// Streaming like `export` (export.ts does the values, part by part); the other
// tables are read one store file and one record batch at a time. Nothing
// grows with the store but per-report and per-agency arrays (failed-check
// counts, sha256 strings, coverage counters).
//
// Deterministic: the same store gives byte-identical files — rows in store
// order, no clock time (the version defaults to the store's generation).
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RecordBatchReader, type AsyncRecordBatchFileReader } from 'apache-arrow';
import { fsyncDir } from '../store/fsutil.ts';
import type { StoreReader } from '../store/reader.ts';
import { columnArray } from '../store/tables.ts';
import { DERIVED_CATEGORIES, splitMetricKey } from '../store/derive.ts';
import { metricCatalog } from './catalog.ts';
import { exportStore } from './export.ts';
import { RELEASE_TABLES, resourceDescriptor, type ReleaseTable } from './release-schema.ts';
import { citationCff, releaseReadme, type Coverage } from './release-docs.ts';

export interface ReleaseOptions {
  /** Package version; default `<generation>.0.0` of the store. */
  version?: string;
  title?: string;
  /** Who is cited (CITATION.cff authors); default "nianbao contributors". */
  authors?: string[];
  /** SPDX id of the package's own licence (the compilation and what this project computed). */
  license?: string;
  /** When each document was fetched, by sha256 (from the raw archive; the CLI passes it in). */
  fetchedAt?: (sha256: string) => string | null;
}

export interface ReleaseSummary {
  dir: string;
  version: string;
  rows: Record<string, number>;
}

type Row = Record<string, unknown>;

/** Rows materialised at once: a store file is often one record batch of every report or check, too many to hold as objects. */
const ROW_CHUNK = 8192;

/** Rows of one store file, a record batch at a time and, within it, ROW_CHUNK rows at a time (only their strings are decoded). */
async function* fileRows(path: string): AsyncGenerator<Row[]> {
  const fh = await open(path, 'r');
  try {
    const reader = (await RecordBatchReader.from(fh)) as unknown as AsyncRecordBatchFileReader;
    await reader.open();
    for await (const batch of reader) {
      const names = batch.schema.fields.map((x) => x.name);
      for (let start = 0; start < batch.numRows; start += ROW_CHUNK) {
        const part = batch.slice(start, Math.min(batch.numRows, start + ROW_CHUNK));
        const cols = names.map((n) => columnArray(part.getChild(n)!));
        const rows: Row[] = new Array(part.numRows);
        for (let i = 0; i < part.numRows; i++) {
          const o: Row = {};
          for (let j = 0; j < names.length; j++) o[names[j]] = cols[j][i];
          rows[i] = o;
        }
        yield rows;
      }
    }
  } finally {
    await fh.close();
  }
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV file written as rows come (UTF-8 with BOM, so Excel shows Chinese), columns in the table's schema order. */
class CsvOut {
  private readonly fd: number;
  rows = 0;
  private buf: string[] = [];
  constructor(path: string, private readonly table: ReleaseTable) {
    this.fd = openSync(path, 'w');
    this.raw('\uFEFF' + table.fields.map((x) => x.name).join(',') + '\n');
  }
  private raw(s: string): void {
    const b = Buffer.from(s, 'utf8');
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off);
  }
  add(row: Row): void {
    this.buf.push(this.table.fields.map((x) => csvField(row[x.name])).join(','));
    this.rows++;
    if (this.buf.length >= 4096) this.flush();
  }
  private flush(): void {
    if (this.buf.length) this.raw(this.buf.join('\n') + '\n');
    this.buf = [];
  }
  close(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

const table = (name: string) => RELEASE_TABLES.find((t) => t.name === name)!;

const DERIVED_ROWS = new Set<string>(DERIVED_CATEGORIES);

function writeMetrics(store: StoreReader, path: string): number {
  const out = new CsvOut(path, table('metrics'));
  for (const m of metricCatalog(store)) {
    const cell = m.type === 'cell' ? splitMetricKey(m.id) : null;
    // A stored cell is derived when its row is one of the category totals the store adds (derive.ts); ratios are computed; narrative figures are read.
    const derived = m.type === 'ratio' || (cell !== null && DERIVED_ROWS.has(cell.row));
    out.add({ id: m.id, label_zh: m.label_zh, label_en: m.label_en, table: m.table, unit: m.unit, definition: m.description, derived });
  }
  out.close();
  return out.rows;
}

function writeAgencies(store: StoreReader, path: string): number {
  const out = new CsvOut(path, table('agencies'));
  for (const a of store.agencies) out.add(a as unknown as Row);
  out.close();
  return out.rows;
}

interface ReportKeys {
  sha: string[];
  parser: string[];
  agency: (number | null)[];
}

/** Checks and narrative figures, file by file; counts failed checks per report key. */
async function writeChecks(store: StoreReader, keys: ReportKeys, path: string): Promise<{ rows: number; failed: Int32Array }> {
  const out = new CsvOut(path, table('checks'));
  const failed = new Int32Array(keys.sha.length);
  const files = [...store.manifest.checks.map((p) => p.file), ...(store.manifest.crossYearChecks ? [store.manifest.crossYearChecks] : [])];
  for (const file of files) {
    for await (const rows of fileRows(join(store.storeDir, file))) {
      for (const r of rows) {
        const k = r.report as number;
        if (r.status === 'fail') failed[k]++;
        out.add({ ...r, report_sha256: keys.sha[k], parser_version: keys.parser[k], agency_id: agencyId(store, r.agency as number | null) });
      }
    }
  }
  out.close();
  return { rows: out.rows, failed };
}

async function writeNarrative(store: StoreReader, keys: ReportKeys, path: string): Promise<number> {
  const out = new CsvOut(path, table('narrative'));
  for (const part of store.manifest.narrative) {
    for await (const rows of fileRows(join(store.storeDir, part.file))) {
      for (const r of rows) {
        const k = r.report as number;
        const evidence = String(r.evidence ?? '[]');
        let sentence = '';
        try {
          const ev = JSON.parse(evidence) as { sentence?: string }[];
          sentence = ev.map((e) => e.sentence ?? '').filter(Boolean).join(' … ');
        } catch {
          sentence = evidence; // kept as stored rather than dropped
        }
        const metric = String(r.metric).startsWith('narrative.') ? String(r.metric) : `narrative.${r.metric}`;
        out.add({ ...r, metric, sentence, evidence, report_sha256: keys.sha[k], parser_version: keys.parser[k], agency_id: agencyId(store, r.agency as number | null) });
      }
    }
  }
  out.close();
  return out.rows;
}

function agencyId(store: StoreReader, key: number | null): string | null {
  return key === null || key === undefined || key < 0 ? null : (store.agencies[key]?.id ?? null);
}

/** Per-report keys (sha256, parser version, agency) read in one pass over the reports file. */
async function reportKeys(store: StoreReader): Promise<ReportKeys> {
  const keys: ReportKeys = { sha: [], parser: [], agency: [] };
  if (!store.manifest.reports) return keys;
  for await (const rows of fileRows(join(store.storeDir, store.manifest.reports))) {
    for (const r of rows) {
      const k = r.key as number;
      keys.sha[k] = r.sha256 as string;
      keys.parser[k] = r.parser_version as string;
      keys.agency[k] = r.agency_key as number | null;
    }
  }
  return keys;
}

async function writeReports(store: StoreReader, failed: Int32Array, path: string, fetchedAt: ReleaseOptions['fetchedAt'], cov: CoverageCounter): Promise<number> {
  const out = new CsvOut(path, table('reports'));
  if (!store.manifest.reports) {
    out.close();
    return 0;
  }
  for await (const rows of fileRows(join(store.storeDir, store.manifest.reports))) {
    for (const r of rows) {
      const a = r.agency_key === null ? null : store.agencies[r.agency_key as number];
      out.add({
        ...r, agency_id: a?.id ?? null, region_code: a?.region_code ?? null, level: a?.level ?? null, kind: a?.kind ?? null,
        fetched_at: fetchedAt?.(r.sha256 as string) ?? null, failed_checks: failed[r.key as number] ?? 0, missing_cells: r.missing ?? null,
      });
      if (r.status === 'current') cov.add(r.year as number | null, a?.level ?? null, a?.region_code ?? null, failed[r.key as number] > 0);
    }
  }
  out.close();
  return out.rows;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Write the package into `dir` (created; refused when it exists and is not empty). The directory appears complete or not at all. */
export async function writeRelease(store: StoreReader, dir: string, opts: ReleaseOptions = {}): Promise<ReleaseSummary> {
  if (existsSync(dir) && readdirSync(dir).length) throw new Error(`${dir} exists and is not empty: give --out a new directory`);
  const version = opts.version ?? `${store.manifest.generation}.0.0`;
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const rows: Record<string, number> = {};
    rows.values = await exportStore(store, 'csv', join(tmp, 'values.csv'));
    await exportStore(store, 'parquet', join(tmp, 'values.parquet'));
    rows.agencies = writeAgencies(store, join(tmp, 'agencies.csv'));
    rows.metrics = writeMetrics(store, join(tmp, 'metrics.csv'));
    const keys = await reportKeys(store);
    const checks = await writeChecks(store, keys, join(tmp, 'checks.csv'));
    rows.checks = checks.rows;
    rows.narrative = await writeNarrative(store, keys, join(tmp, 'narrative.csv'));
    const cov = new CoverageCounter();
    rows.reports = await writeReports(store, checks.failed, join(tmp, 'reports.csv'), opts.fetchedAt, cov);

    const title = opts.title ?? '中国政府信息公开工作年度报告数据集 Government information-disclosure annual reports of China (nianbao)';
    const license = opts.license ?? 'CC-BY-4.0';
    const authors = opts.authors?.length ? opts.authors : ['nianbao contributors'];
    const resources: Record<string, unknown>[] = [];
    for (const t of RELEASE_TABLES) {
      const p = join(tmp, t.path);
      resources.push(resourceDescriptor(t, { hash: await sha256File(p), bytes: statSync(p).size }));
    }
    const parquet = join(tmp, 'values.parquet');
    const descriptor = {
      profile: 'tabular-data-package', name: 'nianbao-annual-reports', title, version,
      description: 'Figures of China\'s government information-disclosure annual reports (政府信息公开工作年度报告) in one comparable dataset: the statistical tables of the national format, figures read from the prose, consistency checks, the agencies and a data dictionary. See README.md.',
      licenses: [{ name: license, path: `https://spdx.org/licenses/${license}.html`, title: `${license} (the compilation and what this project computed; see README.md for the documents themselves)` }],
      sources: [{ title: '各级行政机关发布的政府信息公开工作年度报告 The annual reports published by each body (source_url in reports.csv)' }],
      contributors: authors.map((a) => ({ title: a, role: 'author' })),
      keywords: ['open government information', '政府信息公开', 'annual reports', 'China', 'transparency'],
      resources,
      // Parquet beside the CSV: not a Tabular Data Resource, so listed for download, not validated as a table.
      'x-nianbao': { generation: store.manifest.generation, values_parquet: { path: 'values.parquet', hash: `sha256:${await sha256File(parquet)}`, bytes: statSync(parquet).size, rows: rows.values } },
    };
    writeFileSync(join(tmp, 'datapackage.json'), JSON.stringify(descriptor, null, 2) + '\n');
    const coverage = cov.result();
    writeFileSync(join(tmp, 'README.md'), releaseReadme({ title, version, license, rows, coverage }));
    writeFileSync(join(tmp, 'CITATION.cff'), citationCff({ title, version, license, authors }));
    const files = readdirSync(tmp).filter((n) => n !== 'SHA256SUMS').sort();
    const sums: string[] = [];
    for (const n of files) sums.push(`${await sha256File(join(tmp, n))}  ${n}`);
    writeFileSync(join(tmp, 'SHA256SUMS'), sums.join('\n') + '\n');
    if (existsSync(dir)) rmSync(dir, { recursive: true });
    renameSync(tmp, dir);
    fsyncDir(dirname(dir));
    return { dir, version, rows };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Current reports by year, level and province (region code's first two digits), and how many have a failed check. */
class CoverageCounter implements Coverage {
  byYear = new Map<string, number>();
  byLevel = new Map<string, number>();
  byProvince = new Map<string, number>();
  reports = 0;
  withFailures = 0;
  add(year: number | null, level: string | null, region: string | null, failed: boolean): void {
    const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    inc(this.byYear, year === null ? 'unknown' : String(year));
    inc(this.byLevel, level ?? 'unknown');
    inc(this.byProvince, region && /^\d{2}/.test(region) ? `${region.slice(0, 2)}0000` : 'unknown');
    this.reports++;
    if (failed) this.withFailures++;
  }
  result(): Coverage {
    return this;
  }
}

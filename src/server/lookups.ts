// Joins the API needs over the store's small tables: agency by id, the current
// report of an agency and year, and where the archived copy of a report is.
// Built once per store generation (the tables are small; the facts are not
// touched here).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { openArchive, type Archive } from '../archive/archive.ts';
import { archiveOf } from '../archive/paths.ts';
import type { StoreReader } from '../store/reader.ts';
import type { AgencyRow, ReportRow } from '../store/tables.ts';

export interface Lookups {
  agencyById: Map<string, AgencyRow>;
  /** "agencyKey|year" → the current report. */
  currentReport: Map<string, ReportRow>;
  reportBySha: Map<string, ReportRow>;
  reportsOfAgency: Map<number, ReportRow[]>;
}

const cache = new WeakMap<StoreReader, Lookups>();

export function lookups(store: StoreReader): Lookups {
  let l = cache.get(store);
  if (!l) {
    l = { agencyById: new Map(), currentReport: new Map(), reportBySha: new Map(), reportsOfAgency: new Map() };
    for (const a of store.agencies) l.agencyById.set(a.id, a);
    for (const r of store.reports) {
      l.reportBySha.set(r.sha256, r);
      if (r.agency_key === null) continue;
      if (r.status === 'current') l.currentReport.set(`${r.agency_key}|${r.year}`, r);
      const list = l.reportsOfAgency.get(r.agency_key) ?? [];
      list.push(r);
      l.reportsOfAgency.set(r.agency_key, list);
    }
    cache.set(store, l);
  }
  return l;
}

const verified = new Map<string, string | null>();
/** One reader per archive: it keeps the blob index and picks up what crawls append later. */
const archives = new Map<string, Archive>();

/**
 * The stored bytes of a report: the crawler's archive blob, else the local
 * file it was ingested from — but only if that file still hashes to the
 * report's sha256 (a file edited since is not the document we parsed).
 */
export function archivedCopy(dataDir: string, r: ReportRow): { read(): Buffer | undefined } | null {
  const root = archiveOf(dataDir);
  const archive = archives.get(root) ?? archives.set(root, openArchive(root)).get(root)!;
  if (archive.hasBlob(r.sha256)) return { read: () => archive.readBlob(r.sha256) };
  if (!r.source_path) return null;
  const key = `${r.sha256}\u0000${r.source_path}`;
  if (!verified.has(key)) {
    let ok: string | null = null;
    if (existsSync(r.source_path)) {
      const h = createHash('sha256').update(readFileSync(r.source_path)).digest('hex');
      if (h === r.sha256) ok = r.source_path;
    }
    verified.set(key, ok);
  }
  const file = verified.get(key);
  return file ? { read: () => readFileSync(file) } : null;
}

/** The template cells the document does not print (metric ids); none for stores written before they were kept. */
export function missingCells(r: ReportRow): string[] {
  return r.missing ? r.missing.split(' ') : [];
}

/** A report as the API shows it: agency joined, warnings counted, links to the source and the archived copy. */
export function reportView(store: StoreReader, dataDir: string, r: ReportRow): Record<string, unknown> {
  const a = r.agency_key !== null ? store.agencies[r.agency_key] : null;
  let warnings = 0;
  try {
    warnings = (JSON.parse(r.warnings) as unknown[]).length;
  } catch {
    /* a malformed warnings cell counts as none */
  }
  const archived = archivedCopy(dataDir, r) !== null;
  return {
    sha256: r.sha256, agency_id: a?.id ?? null, agency: a?.name ?? null, agency_printed: r.agency_printed, year: r.year,
    title: r.title, published: r.published, format: r.format, template: r.template, status: r.status, status_reason: r.status_reason,
    values: r.values, warnings, missing_cells: missingCells(r).length,
    // null in stores written before the count was kept: unknown, not 0.
    ocr_values: r.ocr_values ?? null, ocr_min_confidence: r.ocr_min_confidence ?? null, source_url: r.source_url,
    archived_url: archived ? `/api/reports/${r.sha256}/document` : null,
    cells_url: archived ? `/api/reports/${r.sha256}/cells` : null,
  };
}

/**
 * The archived pictures a report version was read with (its source_images),
 * to parse the page again as it was read; those no longer archived here are
 * left out (their values then show as not found).
 */
export function archivedImages(dataDir: string, r: ReportRow): { url: string; bytes: Uint8Array }[] {
  if (!r.source_images) return [];
  const root = archiveOf(dataDir);
  const archive = archives.get(root) ?? archives.set(root, openArchive(root)).get(root)!;
  const out: { url: string; bytes: Uint8Array }[] = [];
  for (const i of JSON.parse(r.source_images) as { url: string; sha256: string }[]) {
    if (archive.hasBlob(i.sha256)) out.push({ url: i.url, bytes: new Uint8Array(archive.readBlob(i.sha256)!) });
  }
  return out;
}

// The manifest is the store's single source of truth: a file not listed here
// does not exist for readers. It is replaced atomically as the last step of a
// write, so readers always see one complete generation.
import { join } from 'node:path';
import { readJsonIfExists, writeFileDurable } from './fsutil.ts';

export const STORE_FORMAT = 'nianbao-store/1';

export interface PartInfo {
  /** Path relative to the store directory. */
  file: string;
  /** Reporting year, or null for reports whose year could not be read. */
  year: number | null;
  rows: number;
  /** Fact parts: metric key of each record batch (rows are grouped by metric, one batch each). */
  batches?: { metric: string; rows: number }[];
  /** Fact parts: smallest and largest agency key inside, so one agency's profile skips other parts. */
  agencyMin?: number;
  agencyMax?: number;
}

export interface Manifest {
  format: string;
  generation: number;
  /** Global append-only dictionaries: codes in every part index into these. */
  dictionaries: { table: string[]; row: string[]; col: string[]; cell: string[]; narrative: string[] };
  agencies: string | null;
  reports: string | null;
  /**
   * The reports' key, status, agency, year and missing cells only: what every
   * query needs when a reader opens, without the full rows (absent in stores
   * written before it existed: readers then use `reports`).
   */
  reportIndex?: string | null;
  crossYearChecks: string | null;
  values: PartInfo[];
  checks: PartInfo[];
  narrative: PartInfo[];
  totals: { reports: number; currentReports: number; values: number; agencies: number };
}

export function emptyManifest(): Manifest {
  return {
    format: STORE_FORMAT,
    generation: 0,
    dictionaries: { table: [], row: [], col: [], cell: [], narrative: [] },
    agencies: null,
    reports: null,
    crossYearChecks: null,
    values: [],
    checks: [],
    narrative: [],
    totals: { reports: 0, currentReports: 0, values: 0, agencies: 0 },
  };
}

export function manifestPath(storeDir: string): string {
  return join(storeDir, 'manifest.json');
}

export function readManifest(storeDir: string): Manifest | null {
  const m = readJsonIfExists<Manifest>(manifestPath(storeDir));
  if (m && m.format !== STORE_FORMAT) throw new Error(`unsupported store format ${m.format} in ${storeDir}`);
  return m;
}

export function writeManifest(storeDir: string, m: Manifest): void {
  writeFileDurable(manifestPath(storeDir), JSON.stringify(m, null, 1) + '\n');
}

/** Every file the manifest references, for garbage collection of leftovers. */
export function referencedFiles(m: Manifest): Set<string> {
  const s = new Set<string>(['manifest.json']);
  for (const f of [m.agencies, m.reports, m.reportIndex, m.crossYearChecks]) if (f) s.add(f);
  for (const p of [...m.values, ...m.checks, ...m.narrative]) s.add(p.file);
  return s;
}

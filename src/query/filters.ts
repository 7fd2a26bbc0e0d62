// Which agencies a query covers: by id, name, region prefix, kind and level.
// Resolved once per query into a bitmap over agency keys so the scan over
// fact rows is a single array lookup per row. And which values it reads by
// how they were read: printed text, or OCR from a scan with its confidence.
import { regionFilterPrefix } from '../agency/peers.ts';
import type { AgencyRow } from '../store/tables.ts';

export interface AgencyFilter {
  /** Agency ids ("640500:审计局") or names as printed. */
  agencies?: string[];
  /** Region codes/prefixes or names ("64", "宁夏", "淮安市"). */
  regions?: string[];
  kinds?: string[];
  levels?: string[];
}

export function agencyMask(agencies: AgencyRow[], f: AgencyFilter): { mask: Uint8Array; min: number; max: number; count: number } {
  const prefixes = f.regions?.map(regionFilterPrefix);
  const ids = f.agencies ? new Set(f.agencies) : null;
  const mask = new Uint8Array(agencies.length);
  let min = Infinity, max = -Infinity, count = 0;
  for (const a of agencies) {
    if (ids && !ids.has(a.id) && !ids.has(a.name) && !(JSON.parse(a.aliases) as string[]).some((n) => ids.has(n))) continue;
    if (prefixes?.length && !(a.region_code && prefixes.some((p) => a.region_code!.startsWith(p)))) continue;
    if (f.kinds?.length && !(a.kind && f.kinds.includes(a.kind))) continue;
    if (f.levels?.length && !(a.level && f.levels.includes(a.level))) continue;
    mask[a.key] = 1;
    count++;
    if (a.key < min) min = a.key;
    if (a.key > max) max = a.key;
  }
  return { mask, min, max, count };
}

/** Which values to read by how they were read: any, only printed text, or only OCR'd scans. */
export type ReadFilter = 'any' | 'printed' | 'ocr';
export const READ_FILTERS: ReadFilter[] = ['any', 'printed', 'ocr'];

export interface ReadOptions {
  /** Keep only printed values, or only OCR'd ones (default any). */
  read?: ReadFilter;
  /** Leave out values read by OCR below this confidence, 0–1 (printed values always pass). */
  minConfidence?: number;
}

/** Whether a value read so (confidence null = printed as text) passes the filter. */
export function passesRead(confidence: number | null, read: ReadFilter, minConfidence: number | undefined): boolean {
  if (confidence === null) return read !== 'ocr';
  return read !== 'printed' && (minConfidence === undefined || confidence >= minConfidence);
}

/**
 * The read filter from its text form (CLI option or query parameter);
 * throws an Error whose message says which of the two is wrong and why.
 */
export function parseReadOptions(read: string | undefined, minConfidence: string | undefined): ReadOptions {
  if (read !== undefined && !READ_FILTERS.includes(read as ReadFilter)) {
    throw Object.assign(new Error(`read: "${read}" is not one of ${READ_FILTERS.join(', ')}`), { param: 'read' });
  }
  let min: number | undefined;
  if (minConfidence !== undefined) {
    min = Number(minConfidence);
    if (minConfidence.trim() === '' || !Number.isFinite(min) || min < 0 || min > 1) {
      throw Object.assign(new Error(`min_confidence: "${minConfidence}" is not a number from 0 to 1`), { param: 'min_confidence' });
    }
  }
  return { ...(read !== undefined ? { read: read as ReadFilter } : {}), ...(min !== undefined ? { minConfidence: min } : {}) };
}

// Which agencies a query covers: by id, name, region prefix, kind and level.
// Resolved once per query into a bitmap over agency keys so the scan over
// fact rows is a single array lookup per row.
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

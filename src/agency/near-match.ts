// Division names printed one character off: an OCR or typing confusion
// ("沐阳县" for 沭阳县). Bounded on purpose, since a wrong region is worse than
// none: one substituted character, never the level suffix (县/市/区 … stays
// as printed), only for names of three characters or more, and only when
// exactly one division fits — among the divisions of the parent region already
// read from the name, narrowed by the URL or a region text when several do.
import type { Region, RegionIndex } from './regions.ts';

export interface NearCandidate {
  region: Region;
  /** The text as printed. */
  printed: string;
}

const MIN_LENGTH = 3;

/**
 * Per index: division names grouped by length and last character ("3县" →
 * 沭阳县, 泗阳县 …). A near name keeps its length and its last character, so
 * only its group is compared; grouping is one cheap pass, unlike an index of
 * every one-character wildcard of every name.
 */
const groupIndexes = new WeakMap<RegionIndex, Map<string, string[]>>();

function groups(index: RegionIndex): Map<string, string[]> {
  let map = groupIndexes.get(index);
  if (map) return map;
  map = new Map();
  for (const name of index.byName.keys()) {
    // UTF-16 length and last code unit: the query below keys the same way.
    if (name.length < MIN_LENGTH) continue;
    const key = `${name.length}${name[name.length - 1]}`;
    const list = map.get(key);
    if (list) list.push(name);
    else map.set(key, [name]);
  }
  groupIndexes.set(index, map);
  return map;
}

const CJK = /^[\u3400-\u9fff]$/u;

/** Whether two names of equal length differ in exactly one CJK character. */
function oneOff(a: string[], b: string[]): boolean {
  let diff = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (diff >= 0) return false;
    diff = i;
  }
  return diff >= 0 && CJK.test(a[diff]);
}

/**
 * Divisions one substituted character away from a name starting at `pos`,
 * inside `parent` when there is one (townships only under a parent), the
 * longest printed form first. Several candidates are narrowed by `scope`
 * (region codes the URL or a region text point at); the caller takes a
 * candidate only when exactly one is left.
 */
export function nearDivisions(index: RegionIndex, name: string, pos: number, parent: Region | null, scope: string[] | null): NearCandidate[] {
  const byGroup = groups(index);
  const chars = Array.from(name.slice(pos));
  const found = new Map<string, NearCandidate>();
  for (let len = Math.min(index.maxNameLength, chars.length); len >= MIN_LENGTH; len--) {
    const piece = chars.slice(0, len);
    const printed = piece.join('');
    if (index.byName.has(printed)) continue;
    for (const official of byGroup.get(`${printed.length}${printed[printed.length - 1]}`) ?? []) {
      if (!oneOff(piece, Array.from(official))) continue;
      for (const r of index.byName.get(official) ?? []) {
        if (parent ? r.code === parent.code || !index.isWithin(r.code, parent.code) : r.level === 'township') continue;
        if (!found.has(r.code)) found.set(r.code, { region: r, printed });
      }
    }
  }
  let out = [...found.values()];
  if (out.length > 1 && scope?.length) {
    const narrowed = out.filter((c) => scope.some((s) => index.isWithin(c.region.code, s) || index.isWithin(s, c.region.code)));
    if (narrowed.length > 0) out = narrowed;
  }
  return out;
}

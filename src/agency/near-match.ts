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
const WILDCARD = '\u0000';

/** Per index: printed name with one character (not the last) blanked → regions. Built on first use. */
const wildcardIndexes = new WeakMap<RegionIndex, Map<string, Region[]>>();

function wildcardIndex(index: RegionIndex): Map<string, Region[]> {
  let map = wildcardIndexes.get(index);
  if (map) return map;
  map = new Map();
  for (const [name, regions] of index.byName) {
    const chars = Array.from(name);
    if (chars.length < MIN_LENGTH) continue;
    for (let i = 0; i < chars.length - 1; i++) {
      const key = [...chars.slice(0, i), WILDCARD, ...chars.slice(i + 1)].join('');
      const list = map.get(key) ?? [];
      for (const r of regions) if (!list.includes(r)) list.push(r);
      map.set(key, list);
    }
  }
  wildcardIndexes.set(index, map);
  return map;
}

/** Per index: the last characters of division names (省, 市, 县, 镇 …), to skip the wildcard index for text that cannot end a division name. */
const lastCharSets = new WeakMap<RegionIndex, Set<string>>();

function lastChars(index: RegionIndex): Set<string> {
  let set = lastCharSets.get(index);
  if (!set) {
    set = new Set();
    for (const name of index.byName.keys()) set.add(name.slice(-1));
    lastCharSets.set(index, set);
  }
  return set;
}

const CJK = /^[\u3400-\u9fff]$/u;

/**
 * Divisions one substituted character away from a name starting at `pos`,
 * inside `parent` when there is one (townships only under a parent), the
 * longest printed form first. Several candidates are narrowed by `scope`
 * (region codes the URL or a region text point at); the caller takes a
 * candidate only when exactly one is left.
 */
export function nearDivisions(index: RegionIndex, name: string, pos: number, parent: Region | null, scope: string[] | null): NearCandidate[] {
  const chars = Array.from(name.slice(pos));
  const ends = lastChars(index);
  const lengths: number[] = [];
  for (let len = Math.min(index.maxNameLength, chars.length); len >= MIN_LENGTH; len--) if (ends.has(chars[len - 1])) lengths.push(len);
  // Most rests ("审计局", "人民政府") cannot end a division name: no index needed.
  if (lengths.length === 0) return [];
  const map = wildcardIndex(index);
  const found = new Map<string, NearCandidate>();
  for (const len of lengths) {
    const piece = chars.slice(0, len);
    if (index.byName.has(piece.join(''))) continue;
    for (let i = 0; i < len - 1; i++) {
      if (!CJK.test(piece[i])) continue;
      const key = [...piece.slice(0, i), WILDCARD, ...piece.slice(i + 1)].join('');
      for (const r of map.get(key) ?? []) {
        if (parent ? r.code === parent.code || !index.isWithin(r.code, parent.code) : r.level === 'township') continue;
        if (!found.has(r.code)) found.set(r.code, { region: r, printed: piece.join('') });
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

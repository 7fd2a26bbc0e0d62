// Publisher name → stable agency id, region, level and kind.
//
// The name is read as a chain of divisions followed by an institution
// ("淮安市" "洪泽区" + "人民政府"). Each division after the first must lie
// inside the previous one, so "淮安市洪泽区" is unambiguous even though
// division names repeat across the country. When the chain still fits
// several regions (a bare "朝阳区人民政府"), the URL's host or a region text
// decides; failing that the result is `ambiguous` with every candidate listed,
// never a silent pick.
import overridesFile from './data/overrides.json' with { type: 'json' };
import { loadRegions, type Region, type RegionIndex } from './regions.ts';
import { classifyKind, type KindGroup } from './kinds.ts';
import { nearDivisions, type NearCandidate } from './near-match.ts';

export { classifyKind, type KindGroup };
import { bareLevelName, canonicalInstitution } from './short-names.ts';

export type AgencyLevel = 'national' | 'province' | 'city' | 'county' | 'township';

export interface Agency {
  /** Stable id: `<region code>:<institution>` e.g. "640500:审计局"; "unresolved:<name>" without a region. */
  id: string;
  name: string;
  regionCode: string | null;
  regionName: string | null;
  level: AgencyLevel | null;
  kind: string | null;
  kindGroup: KindGroup | null;
}

export type AgencyResolution =
  | { status: 'resolved'; agency: Agency; via: 'name' | 'override' | 'url' | 'region_text'; near?: NearMatch; nearTies?: string }
  | { status: 'ambiguous'; name: string; candidates: Agency[]; reason: string }
  | { status: 'unresolved'; agency: Agency; reason: string };

/** A division name printed one character off, read as the registry's name (see near-match.ts). */
export interface NearMatch {
  printed: string;
  official: string;
  code: string;
}

interface Chain {
  region: Region;
  rest: string;
  near?: NearCandidate;
}

interface Override {
  region: string;
  level: AgencyLevel;
  kind: string;
}

const overrides = overridesFile.agencies as Record<string, Override>;
const hostRegions = overridesFile.hosts as Record<string, string>;

/** Whitespace, full-width spaces and brackets around a name are print noise, not part of it. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/^[（(【[]|[）)】\]]$/g, '')
    .trim();
}

/**
 * Every chain of nested divisions that the name starts with, longest first.
 * With `near` set, a chain that cannot go on exactly may take one division
 * printed one character off (at most one per chain), when exactly one fits.
 */
function regionChains(index: RegionIndex, name: string, near: { scope: string[] | null; ties: NearCandidate[][] } | null = null): Chain[] {
  const results: (Chain & { depth: number })[] = [];
  const walk = (pos: number, parent: Region | null, depth: number, nearUsed: NearCandidate | undefined): void => {
    let extended = false;
    for (let len = Math.min(index.maxNameLength, name.length - pos); len >= 2; len--) {
      const candidates = index.byName.get(name.slice(pos, pos + len));
      if (!candidates) continue;
      for (const r of candidates) {
        if (parent && !index.isWithin(r.code, parent.code)) continue;
        if (parent && r.code === parent.code) continue;
        extended = true;
        walk(pos + len, r, depth + 1, nearUsed);
      }
    }
    if (!extended && near && !nearUsed) {
      const found = nearDivisions(index, name, pos, parent, near.scope);
      if (found.length === 1) {
        extended = true;
        walk(pos + found[0].printed.length, found[0].region, depth + 1, found[0]);
      } else if (found.length > 1) {
        near.ties.push(found);
      }
    }
    if (!extended && parent) results.push({ region: parent, rest: name.slice(pos), depth, near: nearUsed });
  };
  walk(0, null, 0, undefined);
  // Keep the chains that consumed the most text: "淮安市洪泽区" beats "淮安市" alone;
  // of those, names read as printed beat names read one character off.
  const best = Math.min(...results.map((r) => r.rest.length));
  const longest = results.filter((r) => r.rest.length === best);
  const exact = longest.filter((r) => !r.near);
  return exact.length ? exact : longest;
}

function levelOf(region: Region): AgencyLevel {
  return region.level;
}

function makeAgency(index: RegionIndex, name: string, region: Region | null, printedInstitution: string, o?: Override): Agency {
  const institution = canonicalInstitution(printedInstitution);
  const k = o ? { kind: o.kind, group: classifyKind(institution)?.group ?? 'department' } : classifyKind(institution);
  const regionCode = o?.region ?? region?.code ?? null;
  return {
    id: regionCode ? `${regionCode}:${institution}` : `unresolved:${name}`,
    name,
    regionCode,
    regionName: regionCode ? index.fullName(regionCode) : null,
    level: o?.level ?? (region ? levelOf(region) : null),
    kind: k?.kind ?? null,
    kindGroup: (k?.group as KindGroup | undefined) ?? null,
  };
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/** Regions the hints point at: the URL host's region from the data file, or divisions named in a region text. */
function hintRegions(index: RegionIndex, hints: { url?: string; regionText?: string }): { codes: string[]; via: 'url' | 'region_text' } | null {
  if (hints.url) {
    const host = hostOf(hints.url);
    const code = host ? (hostRegions[host] ?? hostRegions[host.replace(/^www\./, '')]) : undefined;
    if (code) return { codes: [code], via: 'url' };
  }
  if (hints.regionText) {
    const chains = regionChains(index, normaliseName(hints.regionText));
    if (chains.length > 0) return { codes: chains.map((c) => c.region.code), via: 'region_text' };
  }
  return null;
}

/**
 * Resolutions already made, keyed by normalised name and the hints that can
 * change the answer (the URL's host, not the whole URL; the region text). A
 * national ingest sees each publisher once a year and the same host for all
 * its reports, and a name that fits many regions (城关镇人民政府: 88 of them)
 * costs about a millisecond to resolve. Results are frozen: callers share them.
 */
const memo = new Map<string, AgencyResolution>();
const MEMO_LIMIT = 500_000;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * Resolve a publisher name as printed. `hints.url` is the page the report was
 * found on; `hints.regionText` any text naming its region (e.g. "江苏省淮安市").
 * Memoised; the returned object is frozen.
 */
export function resolveAgency(rawName: string, hints: { url?: string; regionText?: string } = {}): AgencyResolution {
  const name = normaliseName(rawName);
  const host = hints.url ? (hostOf(hints.url) ?? '') : '';
  const key = `${name}\u0001${host}\u0001${hints.regionText ?? ''}`;
  let res = memo.get(key);
  if (!res) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    res = deepFreeze(resolveUncached(name, { url: host ? `http://${host}/` : undefined, regionText: hints.regionText }));
    memo.set(key, res);
  }
  return res;
}

/** Entries in the resolution memo (for tests and diagnostics). */
export function resolveMemoSize(): number {
  return memo.size;
}

function resolveUncached(name: string, hints: { url?: string; regionText?: string }): AgencyResolution {
  const index = loadRegions();
  const o = overrides[name];
  if (o) {
    const institution = name.replace(/^.*?(区|县|市|省)/, '') || name;
    const region = index.byCode.get(o.region) ?? null;
    return { status: 'resolved', agency: makeAgency(index, name, region, institution, o), via: 'override' };
  }
  if (/^(国务院|国家|中华人民共和国|中央)/.test(name)) {
    const chains = regionChains(index, name.replace(/^(国务院|国家|中华人民共和国|中央)[^省市区县]*?(局|部|委员会|署|办公厅)/, ''));
    const k = classifyKind(name);
    const region = chains.length === 1 ? chains[0].region : null;
    return {
      status: 'resolved',
      via: 'name',
      agency: {
        id: region ? `${region.code}:${name}` : `national:${name}`,
        name,
        regionCode: region?.code ?? null,
        regionName: region ? index.fullName(region.code) : null,
        level: 'national',
        kind: k?.kind ?? null,
        kindGroup: k?.group ?? 'department',
      },
    };
  }
  const hinted = hintRegions(index, hints);
  const ties: NearCandidate[][] = [];
  const chains = regionChains(index, name, { scope: hinted?.codes ?? null, ties });
  // A name one character off several divisions is read as none of them; say which.
  const nearTies = ties.length ? ties.map((t) => `"${t[0].printed}" is one character off ${t.map((c) => `${c.region.name} (${c.region.code})`).join(', ')}`).join('; ') : undefined;
  if (chains.length === 0) {
    const bare = resolveBareLevel(index, name, hints);
    if (bare) return bare;
    return { status: 'unresolved', agency: makeAgency(index, name, null, name), reason: `no division name at the start of the publisher name${nearTies ? ` (${nearTies})` : ''}` };
  }
  let picked = chains;
  let via: 'name' | 'url' | 'region_text' = 'name';
  if (chains.length > 1) {
    if (hinted) {
      const fit = chains.filter((c) => hinted.codes.some((h) => index.isWithin(c.region.code, h) || index.isWithin(h, c.region.code)));
      if (fit.length > 0) {
        picked = fit;
        via = hinted.via;
      }
    }
  }
  if (picked.length > 1) {
    return {
      status: 'ambiguous',
      name,
      candidates: picked.map((c) => makeAgency(index, name, c.region, c.rest || '人民政府')),
      reason: `name fits ${picked.length} regions: ${picked.map((c) => `${c.region.code} ${index.fullName(c.region.code)}`).join('; ')}`,
    };
  }
  const { region, rest, near } = picked[0];
  // A bare division name ("上海市") used as a publisher means its government.
  const institution = rest || '人民政府';
  const agency = makeAgency(index, name, region, institution);
  if (!near) return nearTies ? { status: 'resolved', agency, via, nearTies } : { status: 'resolved', agency, via };
  return { status: 'resolved', agency, via, near: { printed: near.printed, official: near.region.name, code: near.region.code } };
}

/** "县地税局" on a county's site: the hinted region's body, when the hint names exactly one region of the level the name says. */
function resolveBareLevel(index: RegionIndex, name: string, hints: { url?: string; regionText?: string }): AgencyResolution | null {
  const bare = bareLevelName(name);
  if (!bare) return null;
  const hinted = hintRegions(index, hints);
  const regions = (hinted?.codes ?? []).map((c) => index.byCode.get(c)).filter((r): r is Region => !!r && bare.levels.includes(r.level));
  if (!hinted || regions.length !== 1) return null;
  return { status: 'resolved', agency: makeAgency(index, name, regions[0], bare.institution), via: hinted.via };
}

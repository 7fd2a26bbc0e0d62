// Peer groups: the sets of bodies that are fair to compare ("every 审计局 in
// 宁夏", "county governments of 淮安市"). A group is a region (by code prefix),
// a kind and a level; any part may be left open.
import type { Agency, AgencyLevel } from './resolve.ts';
import { loadRegions, regionPrefix } from './regions.ts';

export interface PeerGroup {
  /** Region code prefixes ("64" = 宁夏, "3208" = 淮安市); any one matches. */
  regions?: string[];
  kinds?: string[];
  levels?: AgencyLevel[];
}

/**
 * A region given as a GB/T 2260 code ("640000", "3208") or a name ("宁夏",
 * "淮安市", "江苏省淮安市") → the code prefix of everything under it. A name
 * that fits several regions throws: a peer group must not silently pick one.
 */
export function regionFilterPrefix(text: string): string {
  const t = text.trim();
  if (/^\d+$/.test(t)) return t.length === 6 || t.length === 9 ? regionPrefix(t) : t;
  const index = loadRegions();
  const found = new Set<string>();
  // Walk a nested chain ("江苏省淮安市") down to its last division.
  const walk = (pos: number, parent: string | null): void => {
    if (pos === t.length) {
      if (parent) found.add(parent);
      return;
    }
    for (let len = t.length - pos; len >= 2; len--) {
      for (const r of index.byName.get(t.slice(pos, pos + len)) ?? []) {
        if (parent && !index.isWithin(r.code, parent)) continue;
        walk(pos + len, r.code);
      }
    }
  };
  walk(0, null);
  if (found.size === 0) throw new Error(`unknown region: ${text}`);
  if (found.size > 1) throw new Error(`region "${text}" is ambiguous: ${[...found].map((c) => `${c} ${index.fullName(c)}`).join('; ')}`);
  return regionPrefix([...found][0]);
}

export function inPeerGroup(a: Pick<Agency, 'regionCode' | 'kind' | 'level'>, g: PeerGroup): boolean {
  if (g.regions?.length && !(a.regionCode && g.regions.some((p) => a.regionCode!.startsWith(p)))) return false;
  if (g.kinds?.length && !(a.kind && g.kinds.includes(a.kind))) return false;
  if (g.levels?.length && !(a.level && g.levels.includes(a.level))) return false;
  return true;
}

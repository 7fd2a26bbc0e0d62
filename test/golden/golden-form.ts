// The golden form of a record: what a careful reader records from the
// document (publisher, year, format, every cell with its kind and printed
// text, narrative figures with their clauses, check outcomes), without
// volatile details such as file paths.
import type { ReportRecord } from '../../src/parse/types.ts';

export interface GoldenRecord {
  agency: string | null;
  year: number | null;
  template: string;
  published: string | null;
  /** [cell kind, value, raw], plus "derived" for a value the parser computed (never printed). */
  values: Record<string, [string, number | null, string] | [string, number | null, string, 'derived']>;
  missing: string[];
  narrative: Record<string, [number, string[]]>;
  checks: Record<string, string>;
}

export function goldenForm(r: ReportRecord): GoldenRecord {
  const values: GoldenRecord['values'] = {};
  for (const v of r.values) values[`${v.table}.${v.row}.${v.col}`] = v.derived ? [v.cell, v.value, v.raw, 'derived'] : [v.cell, v.value, v.raw];
  const narrative: GoldenRecord['narrative'] = {};
  for (const n of r.narrative) narrative[n.metric] = [n.value, n.evidence.map((e) => e.clause)];
  const checks: GoldenRecord['checks'] = {};
  for (const c of r.checks) checks[c.id] = c.status;
  return {
    agency: r.agency?.name ?? null,
    year: r.year,
    template: r.template,
    published: r.published,
    values,
    missing: r.missing.map((m) => `${m.table}.${m.row}.${m.col}`),
    narrative,
    checks,
  };
}

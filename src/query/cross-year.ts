// Consistency relation 5, the only one that needs two reports: this year's
// 上年结转 (t3.carried_over) must equal last year's 结转下年度 (t3.carried_forward)
// of the same agency, column by column. Computed over current report versions
// at every ingest and stored with the other check results.
import type { Manifest } from '../store/manifest.ts';
import { isValid, StoreReader } from '../store/reader.ts';
import type { CheckRow } from '../store/tables.ts';

const T3_COLS = ['natural_person', 'commercial', 'research', 'social_org', 'legal_service', 'other_org', 'total'];

export async function crossYearChecks(store: StoreReader): Promise<CheckRow[]> {
  const out: CheckRow[] = [];
  for (const col of T3_COLS) {
    // (agency|year) → { value or null, report }
    const read = async (metric: string) => {
      const m = new Map<string, { value: number | null; report: number }>();
      for await (const s of store.scanMetric(metric)) {
        if (s.year === null) continue;
        for (let i = 0; i < s.length; i++) {
          if (s.agency[i] < 0 || !store.active[s.report[i]]) continue;
          m.set(`${s.agency[i]}|${s.year}`, { value: isValid(s.valueValid, i) ? s.value[i] : null, report: s.report[i] });
        }
      }
      return m;
    };
    const over = await read(`t3.carried_over.${col}`);
    const forward = await read(`t3.carried_forward.${col}`);
    for (const [k, cur] of over) {
      const [agency, year] = k.split('|').map(Number);
      const prev = forward.get(`${agency}|${year - 1}`);
      if (!prev) continue;
      const assessable = cur.value !== null && prev.value !== null;
      out.push({
        report: cur.report, agency, year, id: `r5:t3.carried_over.${col}`, relation: 5,
        status: !assessable ? 'not_assessable' : cur.value === prev.value ? 'pass' : 'fail',
        left: cur.value, right: prev.value,
        cells: `t3.carried_over.${col}@${year} t3.carried_forward.${col}@${year - 1}`,
        note: assessable ? `last year's report: ${prev.report}` : 'a cell is blank or a dash',
      });
    }
  }
  out.sort((a, b) => (a.agency ?? 0) - (b.agency ?? 0) || (a.year ?? 0) - (b.year ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

/** The writer's hook: checks over the pending generation before it is swapped in. */
export async function crossYearHook(storeDir: string, pending: Manifest): Promise<CheckRow[]> {
  const reader = StoreReader.open(storeDir, pending, { cacheMB: 64 });
  try {
    return await crossYearChecks(reader);
  } finally {
    await reader.close();
  }
}

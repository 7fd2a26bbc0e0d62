// Legacy table items → values. Cells printed apart are read as they are. A
// text dump's run-together cell ("20263542" under 2012年度 | 历年累计) is
// split only where the split is proven: among the readings where both parts
// are well-formed numbers and the cumulative figure is at least this year's,
// the prose stating one of the two numbers, the 其中 items (a part is never
// more than its total) or a sum of the items must leave exactly one;
// otherwise the row is left out with a warning. Digits are never guessed.
import type { CellValue, ParseWarning } from '../types.ts';
import { parseCell, type ParsedCell } from '../cell-value.ts';
import type { LegacyCol, LegacyItem, LegacyTable } from './items.ts';
import type { ProseStatement } from './prose.ts';

type Reading = Partial<Record<LegacyCol, ParsedCell>>;

interface Slot {
  item: LegacyItem;
  readings: Reading[];
  /** Why the readings of a run-together cell were narrowed (for the value's note). */
  proofs: string[];
  parent?: Slot;
}

/** A table item with its figures as resolved (null where a figure could not be read). */
export interface ResolvedItem {
  item: LegacyItem;
  figures: Partial<Record<LegacyCol, number | null>>;
}

const num = (r: Reading, c: LegacyCol): number | null => r[c]?.value ?? null;

/** Every reading of a run-together cell as this year | cumulative. */
export function splitReadings(run: string): Reading[] {
  const out: Reading[] = [];
  const wellFormed = (s: string) => s === '0' || !s.startsWith('0');
  for (let k = 1; k < run.length; k++) {
    const a = run.slice(0, k), b = run.slice(k);
    if (!wellFormed(a) || !wellFormed(b) || Number(b) < Number(a)) continue;
    out.push({ year: parseCell(a), cumulative: parseCell(b) });
  }
  return out;
}

export function resolveTables(tables: LegacyTable[], prose: ProseStatement[]): { values: CellValue[]; resolved: ResolvedItem[]; warnings: ParseWarning[] } {
  const values: CellValue[] = [];
  const resolved: ResolvedItem[] = [];
  const warnings: ParseWarning[] = [];
  const seen = new Set<string>();
  for (const t of tables) {
    warnings.push(...t.warnings);
    const slots: Slot[] = [];
    let parent: Slot | undefined;
    for (const item of t.items) {
      const readings = item.run !== undefined
        ? splitReadings(item.run)
        : [Object.fromEntries(Object.entries(item.cells ?? {}).map(([c, text]) => [c, parseCell(text)])) as Reading];
      const slot: Slot = { item, readings, proofs: [], parent: item.child ? parent : undefined };
      if (!item.child) parent = slot;
      slots.push(slot);
    }
    narrow(slots, prose);
    for (const s of slots) {
      const { item } = s;
      const one = s.readings.length === 1 ? s.readings[0] : null;
      resolved.push({ item, figures: Object.fromEntries(t.cols.map((c) => [c, one ? num(one, c) : null])) });
      if (item.match.kind === 'merged') {
        warnings.push({ code: 'legacy_row_merged', message: `"${item.label}" prints one figure for ${item.match.rows.join(' and ')}: not split, not recorded`, at: item.at });
        continue;
      }
      if (item.match.kind === 'unknown') {
        warnings.push({ code: 'legacy_row_unknown', message: `"${item.label}" is not a row of the legacy schema: not recorded`, at: item.at });
        continue;
      }
      if (item.match.kind !== 'row') continue;
      const row = item.match.row;
      if (!one) {
        warnings.push({
          code: 'legacy_cell_unsplit',
          message: `"${item.label}${item.unit ?? ''}${item.run}": the year and cumulative figures ran together and ${s.readings.length ? `${s.readings.length} splits remain possible (${s.readings.map((r) => `${num(r, 'year')} | ${num(r, 'cumulative')}`).join(', ')})` : 'no split fits the document'}; the row is left out`,
          at: item.at,
        });
        continue;
      }
      if (seen.has(row.id)) {
        warnings.push({ code: 'legacy_row_repeated', message: `"${item.label}" prints ${row.id} again; the first is kept`, at: item.at });
        continue;
      }
      seen.add(row.id);
      let scale = 1;
      // The unit of a row: its unit column, its label's （元）, else one printed in the cell itself.
      let unit = item.unit ?? one.year?.unit ?? one.cumulative?.unit ?? null;
      if (row.unit === 'money') {
        if (unit === '元') scale = 1 / 10_000;
        else if (unit !== '万元') {
          warnings.push({ code: 'legacy_unit_unknown', message: `"${item.label}": money printed without a unit (元 or 万元); not recorded`, at: item.at });
          continue;
        }
        unit = '万元';
      }
      for (const col of t.cols) {
        const cell = one[col];
        if (!cell) continue;
        const note = item.run !== undefined ? `split of the run-together cell "${item.run}" as ${num(one, 'year')} | ${num(one, 'cumulative')}: ${s.proofs.join('; ')}` : undefined;
        values.push({
          table: 'l', row: row.id, col, value: cell.value === null ? null : round(cell.value * scale), cell: cell.kind,
          raw: item.run ?? cell.raw, unit, at: item.at, ...(note ? { note } : {}),
        });
      }
    }
  }
  return { values, resolved, warnings };
}

/** Narrow the readings of run-together cells by what the document proves, until nothing changes. */
function narrow(slots: Slot[], prose: ProseStatement[]): void {
  for (const s of slots) {
    if (s.item.run === undefined) continue;
    s.proofs.push(s.readings.length === 1 ? 'the only reading with well-formed numbers and cumulative ≥ this year' : `${s.readings.length} readings with cumulative ≥ this year`);
    if (s.item.match.kind !== 'row') continue;
    const rowId = s.item.match.row.id;
    const stated = [...new Set(prose.filter((p) => p.row === rowId).map((p) => p.value))];
    if (stated.length !== 1 || s.readings.length < 2) continue;
    const kept = s.readings.filter((r) => num(r, 'year') === stated[0]);
    if (kept.length < s.readings.length) {
      s.readings = kept;
      const p = prose.find((x) => x.row === rowId)!;
      s.proofs.push(`the prose states ${stated[0]} ("${p.clause}")`);
    }
  }
  const fits = (child: Reading, total: Reading) =>
    (['year', 'cumulative'] as const).every((c) => num(child, c) === null || num(total, c) === null || num(child, c)! <= num(total, c)!);
  for (let changed = true; changed;) {
    changed = false;
    for (const s of slots) {
      const p = s.parent;
      if (!p) continue;
      const c0 = s.readings.length, p0 = p.readings.length;
      // Only run-together cells are narrowed; figures printed apart are as printed (a failed relation is a check's business).
      if (s.item.run !== undefined) s.readings = s.readings.filter((r) => p.readings.some((q) => fits(r, q)));
      if (p.item.run !== undefined) p.readings = p.readings.filter((q) => s.readings.some((r) => fits(r, q)));
      if (s.readings.length < c0) { s.proofs.push('a 其中 item is not more than its total'); changed = true; }
      if (p.readings.length < p0) { p.proofs.push('its 其中 items are not more than it'); changed = true; }
    }
  }
  // A total still ambiguous whose items are all known: the one reading equal to their sum.
  for (const p of slots) {
    if (p.readings.length < 2) continue;
    const kids = slots.filter((s) => s.parent === p);
    if (!kids.length || kids.some((k) => k.readings.length !== 1)) continue;
    const sum = (c: LegacyCol) => kids.reduce((a, k) => a + (num(k.readings[0], c) ?? 0), 0);
    const kept = p.readings.filter((r) => num(r, 'year') === sum('year') && num(r, 'cumulative') === sum('cumulative'));
    if (kept.length === 1) {
      p.readings = kept;
      p.proofs.push('it equals the sum of its 其中 items');
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

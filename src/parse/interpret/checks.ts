// Consistency relations 1–4 and 6 of report-format.md, checked for every
// column or row they apply to. A failed relation is a finding about the
// document: values stay as printed. Blanks and dashes count as 0 here (that
// is what they mean in practice) and every check that relied on one says so;
// a missing cell or a text without a number makes the check not assessable.
// A total the parser derived (derived-totals.ts) is read as the blank printed.
import type { CellValue, CheckResult, NarrativeFigure } from '../types.ts';
import { T3_COLS, T3_ROWS, T4_COLS, T4_ROWS, cellId } from '../schema.ts';

type Lookup = (id: string) => { value: number | null; assumed: boolean };

function lookupIn(values: CellValue[]): Lookup {
  const byId = new Map(values.map((v) => [cellId(v.table, v.row, v.col), v]));
  return (id) => {
    const v = byId.get(id);
    if (!v) return { value: null, assumed: false };
    // A derived total is checked as printed: the blank it is, not the sum it was given.
    if (v.cell === 'blank' || v.cell === 'dash') return { value: 0, assumed: true };
    return { value: v.value, assumed: false };
  };
}

function relation(relationNo: CheckResult['relation'], id: string, leftIds: string[], rightIds: string[], get: Lookup): CheckResult {
  const cells = [...leftIds, ...rightIds];
  const sum = (ids: string[]) => {
    let s = 0;
    for (const i of ids) {
      const v = get(i).value;
      if (v === null) return null;
      s += v;
    }
    return Math.round(s * 1e6) / 1e6;
  };
  const left = sum(leftIds);
  const right = sum(rightIds);
  const unreadable = cells.filter((c) => get(c).value === null);
  const assumed = cells.filter((c) => get(c).assumed);
  const result: CheckResult = { id, relation: relationNo, status: 'not_assessable', left, right, cells };
  if (unreadable.length) {
    result.note = `not printed or not a number: ${unreadable.join(', ')}`;
    return result;
  }
  result.status = left === right ? 'pass' : 'fail';
  if (assumed.length) result.note = `blank or dash read as 0: ${assumed.join(', ')}`;
  return result;
}

export function runChecks(values: CellValue[], otherSubrows: boolean, narrative: NarrativeFigure[]): CheckResult[] {
  const get = lookupIn(values);
  const checks: CheckResult[] = [];
  const t3 = (row: string, col: string) => cellId('t3', row, col);
  const t3Values = values.some((v) => v.table === 't3');
  if (t3Values) {
    const outcomeRows = T3_ROWS.map((r) => r.id).filter(
      (id) => !['new_received', 'carried_over', 'total_processed', 'carried_forward'].includes(id) && !id.startsWith('other.'),
    );
    const other = otherSubrows ? ['other.no_correction', 'other.fee_unpaid', 'other.other'] : ['other'];
    for (const col of T3_COLS) {
      checks.push(relation(1, `r1.${col}`, [t3('new_received', col), t3('carried_over', col)], [t3('total_processed', col), t3('carried_forward', col)], get));
    }
    for (const col of T3_COLS) {
      checks.push(relation(2, `r2.${col}`, [t3('total_processed', col)], [...outcomeRows, ...other].map((r) => t3(r, col)), get));
    }
    const rows = [...new Set(values.filter((v) => v.table === 't3').map((v) => v.row))];
    for (const row of rows) {
      checks.push(relation(3, `r3.${row}`, [t3(row, 'total')], T3_COLS.filter((c) => c !== 'total').map((c) => t3(row, c)), get));
    }
  }
  if (values.some((v) => v.table === 't4')) {
    for (const row of T4_ROWS) {
      checks.push(relation(4, `r4.${row}`, [cellId('t4', row, 'total')], T4_COLS.filter((c) => c !== 'total').map((c) => cellId('t4', row, c)), get));
    }
  }
  const stated = narrative.find((n) => n.metric === 'requests_received');
  if (stated && t3Values) {
    const table = get(t3('new_received', 'total'));
    const c: CheckResult = {
      id: 'r6.requests_received',
      relation: 6,
      status: table.value === null ? 'not_assessable' : table.value === stated.value ? 'pass' : 'fail',
      left: stated.value,
      right: table.value,
      cells: [t3('new_received', 'total')],
      note: `prose: ${stated.evidence.map((e) => e.clause).join('；')}`,
    };
    checks.push(c);
  }
  return checks;
}

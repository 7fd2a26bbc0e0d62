// Legacy consistency checks, where both sides are printed in the 统计表:
// 7. the channels (当面, 传真 …) sum to requests received;
// 8. the answer kinds sum to the answers;
// 9. the cumulative figure is at least this year's.
// Printed rows the schema does not record (信函、传真申请数, 其他类型答复数)
// still count in the sums: they are parts the document prints.
import type { CellValue, CheckResult } from '../types.ts';
import type { LegacyCol } from './items.ts';
import type { ResolvedItem } from './figures.ts';

const CHANNELS = ['requests.in_person', 'requests.fax', 'requests.email', 'requests.online', 'requests.letter', 'requests.other'];
const ANSWERS = ['answers.granted', 'answers.partially_granted', 'answers.denied', 'answers.not_held', 'answers.nonexistent'];

function partOf(r: ResolvedItem, rows: string[], printedWord: RegExp): boolean {
  const m = r.item.match;
  if (m.kind === 'row') return rows.includes(m.row.id);
  if (m.kind === 'merged') return m.rows.every((x) => rows.includes(x));
  return m.kind === 'ignored' && printedWord.test(r.item.label) && !/总数|合计|总计/.test(r.item.label);
}

function sumCheck(relation: 7 | 8, total: string, rows: string[], word: RegExp, resolved: ResolvedItem[], cols: LegacyCol[]): CheckResult[] {
  const out: CheckResult[] = [];
  const totalItem = resolved.find((r) => r.item.match.kind === 'row' && r.item.match.row.id === total);
  const parts = resolved.filter((r) => partOf(r, rows, word));
  if (!totalItem || !parts.length) return out;
  for (const col of cols) {
    const right = totalItem.figures[col];
    if (right === undefined) continue;
    const cells = [`l.${total}.${col}`, ...parts.map((p) => (p.item.match.kind === 'row' ? `l.${p.item.match.row.id}.${col}` : `printed:${p.item.label}`))];
    const unknown = parts.filter((p) => p.figures[col] === null || p.figures[col] === undefined);
    if (right === null || unknown.length) {
      out.push({ id: `l${relation}:${total}.${col}`, relation, status: 'not_assessable', left: null, right, cells, note: right === null ? 'the total has no figure' : `no figure for ${unknown.map((u) => `"${u.item.label}"`).join(', ')}` });
      continue;
    }
    const left = parts.reduce((a, p) => a + (p.figures[col] ?? 0), 0);
    out.push({ id: `l${relation}:${total}.${col}`, relation, status: left === right ? 'pass' : 'fail', left, right, cells });
  }
  return out;
}

export function legacyChecks(values: CellValue[], resolved: ResolvedItem[], cols: LegacyCol[]): CheckResult[] {
  const checks = [
    ...sumCheck(7, 'requests.received', CHANNELS, /申请/, resolved, cols),
    ...sumCheck(8, 'answers.total', ANSWERS, /答复/, resolved, cols),
  ];
  const byRow = new Map<string, Partial<Record<string, CellValue>>>();
  for (const v of values) if (v.table === 'l') byRow.set(v.row, { ...byRow.get(v.row), [v.col]: v });
  for (const [row, c] of byRow) {
    const year = c.year?.value, cum = c.cumulative?.value;
    if (year === undefined || cum === undefined || year === null || cum === null) continue;
    checks.push({ id: `l9:${row}`, relation: 9, status: cum >= year ? 'pass' : 'fail', left: cum, right: year, cells: [`l.${row}.cumulative`, `l.${row}.year`] });
  }
  return checks;
}

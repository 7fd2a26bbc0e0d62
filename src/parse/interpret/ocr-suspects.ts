// When a consistency relation (1–4) fails on a report read by OCR, the
// failure may be a misreading rather than the report's own arithmetic. This
// names the OCR'd cells of the relation whose one plausible misreading — a
// confusable digit (0/6/8/9, 1/7, 3/8, 5/6), a dropped digit, a doubled one,
// or one digit read in an empty cell (a speck, seal ink) — would make it hold, as `ocr_suspect_cell` warnings. The value stays
// as read: nothing is corrected to make sums pass. A candidate that would
// break a relation the read value satisfies is not named (the other
// relation vouches for the reading).
import type { CellValue, CheckResult, ParseWarning } from '../types.ts';
import { cellId } from '../schema.ts';

/** Digits a recogniser confuses with one another (the shapes that differ by a stroke or a gap). */
const CONFUSABLE: Record<string, string> = {
  '0': '689', '6': '0859', '8': '03692', '9': '068', '1': '7', '7': '1', '3': '8', '5': '68',
};

export type Misreading = 'confusable digit' | 'dropped digit' | 'doubled digit' | 'digit read in an empty cell';

/** How `read` could be a misreading of `actual` (both non-negative integers), or null if not by one such slip. */
export function misreadingOf(read: number, actual: number): Misreading | null {
  if (!Number.isInteger(read) || !Number.isInteger(actual) || read < 0 || actual < 0 || read === actual) return null;
  const r = String(read), a = String(actual);
  // A speck or seal ink in a blank (or 0) cell read as one digit.
  if (actual === 0 && r.length === 1) return 'digit read in an empty cell';
  if (r.length === a.length) {
    let diff = -1;
    for (let i = 0; i < r.length; i++) {
      if (r[i] === a[i]) continue;
      if (diff >= 0) return null;
      diff = i;
    }
    return CONFUSABLE[a[diff]]?.includes(r[diff]) ? 'confusable digit' : null;
  }
  // One digit of the printed figure not read ("10" for "100").
  if (r.length === a.length - 1) {
    for (let i = 0; i < a.length; i++) if (a.slice(0, i) + a.slice(i + 1) === r) return 'dropped digit';
    return null;
  }
  // One digit read twice ("110" for "10").
  if (r.length === a.length + 1) {
    for (let i = 0; i + 1 < r.length; i++) if (r[i] === r[i + 1] && r.slice(0, i) + r.slice(i + 1) === a) return 'doubled digit';
  }
  return null;
}

/** The left-hand cells of a check of relation 1–4 (checks.ts: relation 1 sums two cells on the left, the others one). */
function leftCount(c: CheckResult): number {
  return c.relation === 1 ? 2 : 1;
}

export function ocrSuspects(values: readonly CellValue[], checks: readonly CheckResult[]): ParseWarning[] {
  const byId = new Map(values.map((v) => [cellId(v.table, v.row, v.col), v]));
  const relations = checks.filter((c) => c.relation >= 1 && c.relation <= 4 && c.status !== 'not_assessable' && c.left !== null && c.right !== null);
  const holds = (c: CheckResult, id: string, as: number): boolean => {
    const k = c.cells.indexOf(id);
    const delta = as - (byId.get(id)!.value ?? 0);
    const left = c.left! + (k < leftCount(c) ? delta : 0);
    const right = c.right! + (k >= leftCount(c) ? delta : 0);
    return Math.abs(left - right) < 1e-6;
  };
  const found = new Map<string, { v: CellValue; as: number; kind: Misreading; fixes: string[] }[]>();
  for (const c of relations) {
    if (c.status !== 'fail') continue;
    for (const [k, id] of c.cells.entries()) {
      const v = byId.get(id);
      // A derived total was printed blank: there is no reading of it to doubt.
      if (!v?.ocr || v.cell !== 'number' || v.value === null || v.derived) continue;
      const gap = c.right! - c.left!;
      const as = Math.round((v.value + (k < leftCount(c) ? gap : -gap)) * 1e6) / 1e6;
      const kind = misreadingOf(v.value, as);
      if (!kind) continue;
      const mine = relations.filter((o) => o.cells.includes(id));
      if (mine.some((o) => o.status === 'pass' && !holds(o, id, as))) continue;
      const list = found.get(id) ?? [];
      const same = list.find((x) => x.as === as);
      if (same) same.fixes.push(c.id);
      else list.push({ v, as, kind, fixes: [c.id] });
      found.set(id, list);
    }
  }
  const out: ParseWarning[] = [];
  for (const [id, list] of found) {
    for (const { v, as, kind, fixes } of list) {
      out.push({
        code: 'ocr_suspect_cell',
        message: `${id}: OCR read "${v.raw}" (confidence ${v.ocr!.confidence}); read as ${as} (a ${kind}) it would make ${fixes.join(', ')} hold — kept as read, not corrected`,
        at: v.at,
      });
    }
  }
  return out;
}

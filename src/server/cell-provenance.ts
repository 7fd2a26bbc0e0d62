// Where each stored figure of a report was printed. The fact table keeps the
// values, not their positions (that would grow a national store by a tenth
// for a question asked of one report at a time), so the position is found
// again on demand: the archived copy is parsed anew — the parser is a pure
// function of the bytes — and every cell comes back with its page, table,
// row and column and the text as printed, next to the value the store holds.
// A difference (a newer parser, a copy fetched with other headers) is shown,
// never hidden.
import { parseDocument, type ReportRecord } from '../parse/index.ts';
import { withDerivedTotals } from '../store/derive.ts';
import type { ReportRow } from '../store/tables.ts';

/** Parsed copies kept, most recently asked first (a few documents' worth of values). */
const CACHE_SIZE = 32;
const parsed = new Map<string, Promise<ReportRecord>>();

function parseCached(sha: string, bytes: () => Buffer | undefined, rep: ReportRow): Promise<ReportRecord> | undefined {
  let p = parsed.get(sha);
  if (p) {
    parsed.delete(sha);
    parsed.set(sha, p);
    return p;
  }
  const b = bytes();
  if (!b) return undefined;
  p = parseDocument(new Uint8Array(b), { path: rep.source_path ?? undefined, url: rep.source_url ?? undefined });
  parsed.set(sha, p);
  p.catch(() => parsed.delete(sha));
  while (parsed.size > CACHE_SIZE) parsed.delete(parsed.keys().next().value!);
  return p;
}

// A type alias, not an interface: rows go out through sendList as plain records.
export type CellProvenance = {
  metric: string;
  value: number | null;
  /** The value the store holds for this report and metric (null for a blank, or when `in_store` is false). */
  stored_value: number | null;
  in_store: boolean;
  cell: string;
  raw: string | null;
  unit: string | null;
  derived: boolean;
  page: number | null;
  table_index: number | null;
  row_index: number | null;
  col_index: number | null;
  line: number | null;
};

/** Every cell of the report's archived copy with its position, or undefined when there is no copy here. */
export async function cellProvenance(rep: ReportRow, bytes: () => Buffer | undefined, stored: Map<string, number | null>): Promise<{ record: ReportRecord; rows: CellProvenance[]; matches: boolean } | undefined> {
  const p = parseCached(rep.sha256, bytes, rep);
  if (!p) return undefined;
  const record = await p;
  const at = new Map(record.values.map((v) => [`${v.table}.${v.row}.${v.col}`, v]));
  const rows: CellProvenance[] = withDerivedTotals(record.values).map((c) => {
    const metric = `${c.table}.${c.row}.${c.col}`;
    const v = at.get(metric);
    return {
      metric, value: c.value, stored_value: stored.get(metric) ?? null, in_store: stored.has(metric), cell: c.cell, raw: v?.raw ?? null, unit: v?.unit ?? null, derived: c.derived,
      page: v?.at.page ?? null, table_index: v?.at.table ?? null, row_index: v?.at.row ?? null, col_index: v?.at.col ?? null, line: v?.at.line ?? null,
    };
  });
  const matches = rows.length === stored.size && rows.every((r) => r.in_store && r.stored_value === r.value);
  return { record, rows, matches };
}

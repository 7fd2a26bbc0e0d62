// Where each stored figure of a report was printed. The fact table keeps the
// values, not their positions (that would grow a national store by a tenth
// for a question asked of one report at a time), so the position is found
// again on demand: the archived copy is parsed anew — the parser is a pure
// function of the bytes — and every cell comes back with its page, table,
// row and column and the text as printed, next to the value the store holds.
// A difference (a newer parser, a copy fetched with other headers) is shown,
// never hidden. Parsing runs on one worker thread under the parser's time
// limit, so a long PDF never holds up the server's other requests.
import { UnreadableDocumentError, type ReportRecord } from '../parse/index.ts';
import type { ParseImage } from '../parse/types.ts';
import { ParsePool } from '../parse/pool.ts';
import { metricKey, withDerivedTotals } from '../store/derive.ts';
import type { ReportRow } from '../store/tables.ts';

/** The archived copy of a report no longer parses, so its cells' positions cannot be shown (skip this report). */
export class ArchivedCopyUnreadableError extends Error {
  constructor(readonly sha256: string, readonly reason: string) {
    super(`the archived copy of report ${sha256} could not be parsed again (${reason}), so where its figures were printed cannot be shown`);
  }
}

/** Parsed copies kept, most recently asked first (a few documents' worth of values). */
const CACHE_SIZE = 32;

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
  /** A legacy value stated in the prose: the sentence it came from (its position is the sentence, not a cell). */
  sentence: string | null;
  /** How the value was read when it took more than one cell (a run-together legacy cell's proven split). */
  note: string | null;
  /** The OCR confidence when the value was read from a scanned image; null for printed text. */
  ocr_confidence: number | null;
};

export class CellLocator {
  private pool?: ParsePool;
  private readonly parsed = new Map<string, Promise<ReportRecord>>();

  private parse(rep: ReportRow, bytes: () => Buffer | undefined, images?: () => ParseImage[]): Promise<ReportRecord> | undefined {
    // A page read with its pictures is parsed with them (the version's identity includes them).
    const id = `${rep.sha256}|${rep.source_images ?? ''}`;
    let p = this.parsed.get(id);
    if (p) {
      this.parsed.delete(id);
      this.parsed.set(id, p);
      return p;
    }
    const b = bytes();
    if (!b) return undefined;
    this.pool ??= new ParsePool({ workers: 1 });
    const pictures = rep.source_images ? images?.() : undefined;
    p = this.pool.parseBytes(new Uint8Array(b), { path: rep.source_path ?? undefined, url: rep.source_url ?? undefined, ...(pictures?.length ? { images: pictures } : {}) });
    this.parsed.set(id, p);
    p.catch(() => this.parsed.delete(id));
    while (this.parsed.size > CACHE_SIZE) this.parsed.delete(this.parsed.keys().next().value!);
    return p;
  }

  /** Every cell of the report's archived copy with its position, or undefined when there is no copy here. */
  async locate(rep: ReportRow, bytes: () => Buffer | undefined, stored: Map<string, number | null>, images?: () => ParseImage[]): Promise<{ record: ReportRecord; rows: CellProvenance[]; matches: boolean } | undefined> {
    const p = this.parse(rep, bytes, images);
    if (!p) return undefined;
    let record: ReportRecord;
    try {
      record = await p;
    } catch (e) {
      if (e instanceof UnreadableDocumentError) throw new ArchivedCopyUnreadableError(rep.sha256, e.reason);
      throw e;
    }
    const at = new Map(record.values.map((v) => [metricKey(v.table, v.row, v.col), v]));
    const rows: CellProvenance[] = withDerivedTotals(record.values).map((c) => {
      const metric = metricKey(c.table, c.row, c.col);
      const v = at.get(metric);
      return {
        metric, value: c.value, stored_value: stored.get(metric) ?? null, in_store: stored.has(metric), cell: c.cell, raw: v?.raw ?? null, unit: v?.unit ?? null, derived: c.derived,
        page: v?.at.page ?? null, table_index: v?.at.table ?? null, row_index: v?.at.row ?? null, col_index: v?.at.col ?? null, line: v?.at.line ?? null,
        sentence: v?.evidence?.sentence ?? null, note: v?.note ?? null, ocr_confidence: c.ocr,
      };
    });
    const matches = rows.length === stored.size && rows.every((r) => r.in_store && r.stored_value === r.value);
    return { record, rows, matches };
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}

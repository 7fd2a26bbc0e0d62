// The small tables (reports, agencies, checks, narrative figures): one Arrow
// IPC file each (checks and narrative partitioned by year). Their rows are
// plain objects; the column list below is their schema, documented in
// docs/schema.md.
import { readFileSync } from 'node:fs';
import { Bool, Float64, Int16, Int32, Schema, Table, tableFromIPC, tableToIPC, Type, Utf8, vectorFromArray, Field, RecordBatch, makeData, Struct, type DataType, type Vector } from 'apache-arrow';
import { writeFileDurable } from './fsutil.ts';

export type ColType = 'utf8' | 'int32' | 'int16' | 'float64' | 'bool';
export interface ColumnSpec<T> {
  name: string;
  type: ColType;
  nullable?: boolean;
  get: (row: T) => string | number | boolean | null;
}

function arrowType(t: ColType): DataType {
  return t === 'utf8' ? new Utf8() : t === 'int32' ? new Int32() : t === 'int16' ? new Int16() : t === 'float64' ? new Float64() : new Bool();
}

export function objectsToTable<T>(columns: ColumnSpec<T>[], rows: T[]): Table {
  const fields = columns.map((c) => new Field(c.name, arrowType(c.type), c.nullable ?? true));
  const schema = new Schema(fields);
  const children = columns.map((c) => vectorFromArray(rows.map((r) => c.get(r)) as never[], arrowType(c.type)).data[0]);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children }));
  return new Table(schema, rows.length ? [batch] : []);
}

export function writeObjectsFile<T>(path: string, columns: ColumnSpec<T>[], rows: T[]): void {
  writeFileDurable(path, tableToIPC(objectsToTable(columns, rows), 'file'));
}

export function readObjectsFile(path: string): Record<string, unknown>[] {
  const t = tableFromIPC(readFileSync(path));
  const names = t.schema.fields.map((f) => f.name);
  const cols = names.map((n) => columnArray(t.getChild(n)!));
  const out: Record<string, unknown>[] = new Array(t.numRows);
  for (let i = 0; i < t.numRows; i++) {
    const o: Record<string, unknown> = {};
    for (let j = 0; j < names.length; j++) o[names[j]] = cols[j][i];
    out[i] = o;
  }
  return out;
}

/**
 * A column's values as a plain array (null where null; int64 as number).
 * Reads the buffers of the types these tables use directly: `Vector.get`
 * goes through a visitor per value, which made opening a store (7 000
 * agencies × 13 columns, tens of thousands of reports) take tens of
 * milliseconds before any query ran. Anything else falls back to `get`.
 */
export function columnArray(v: Vector): unknown[] {
  const out = new Array<unknown>(v.length);
  let at = 0;
  for (const d of v.data) {
    const n = d.length;
    const bits = d.nullCount > 0 ? d.nullBitmap : null;
    const valid = (i: number) => !bits || (bits[i >> 3] & (1 << (i & 7))) !== 0;
    const id = d.typeId;
    if (d.offset !== 0 || !(id === Type.Utf8 || id === Type.Int || id === Type.Float || id === Type.Bool) || (id === Type.Int && (d.type as { bitWidth: number }).bitWidth === 64)) {
      for (let i = 0; i < n; i++) {
        const x = v.get(at + i);
        out[at + i] = typeof x === 'bigint' ? Number(x) : x;
      }
    } else if (id === Type.Utf8) {
      const strings = utf8Strings(d.values as Uint8Array, d.valueOffsets as Int32Array, n);
      for (let i = 0; i < n; i++) out[at + i] = valid(i) ? strings(i) : null;
    } else if (id === Type.Bool) {
      const b = d.values as Uint8Array;
      for (let i = 0; i < n; i++) out[at + i] = valid(i) ? (b[i >> 3] & (1 << (i & 7))) !== 0 : null;
    } else {
      const vals = d.values as ArrayLike<number>;
      for (let i = 0; i < n; i++) out[at + i] = valid(i) ? vals[i] : null;
    }
    at += n;
  }
  return out;
}

// ---- reports ----------------------------------------------------------------

export type ReportStatus = 'current' | 'superseded' | 'unattributed';

export interface ReportRow {
  key: number;
  sha256: string;
  agency_key: number | null;
  agency_printed: string | null;
  year: number | null;
  source_url: string | null;
  source_path: string | null;
  format: string;
  template: string;
  published: string | null;
  title: string | null;
  parser_version: string;
  status: ReportStatus;
  superseded_by: number | null;
  /** Why the report is superseded or unattributed. */
  status_reason: string | null;
  values: number;
  /** JSON array of the parser's warnings plus the store's own (agency_ambiguous …). */
  warnings: string;
  /**
   * Cells of the report's template the document does not print (lost in a
   * conversion, cut off, never typeset), as metric ids separated by spaces;
   * null when none. Such a cell has no row in the fact table: it is unknown,
   * not 0 and not blank. Null also in stores written before this column.
   */
  missing: string | null;
  /**
   * Values of this version read by OCR from a scanned image, and the lowest
   * recognition confidence among them (null when none). Null in stores
   * written before these columns.
   */
  ocr_values: number | null;
  ocr_min_confidence: number | null;
  /**
   * JSON array of the pictures (url, sha256) the page was read with, when its
   * table images were read by OCR (source.images); null when none, and in
   * stores written before this column. Part of the version's identity: the
   * same page bytes with a changed picture is a new version.
   */
  source_images?: string | null;
}

export const REPORT_COLUMNS: ColumnSpec<ReportRow>[] = [
  { name: 'key', type: 'int32', nullable: false, get: (r) => r.key },
  { name: 'sha256', type: 'utf8', nullable: false, get: (r) => r.sha256 },
  { name: 'agency_key', type: 'int32', get: (r) => r.agency_key },
  { name: 'agency_printed', type: 'utf8', get: (r) => r.agency_printed },
  { name: 'year', type: 'int16', get: (r) => r.year },
  { name: 'source_url', type: 'utf8', get: (r) => r.source_url },
  { name: 'source_path', type: 'utf8', get: (r) => r.source_path },
  { name: 'format', type: 'utf8', get: (r) => r.format },
  { name: 'template', type: 'utf8', get: (r) => r.template },
  { name: 'published', type: 'utf8', get: (r) => r.published },
  { name: 'title', type: 'utf8', get: (r) => r.title },
  { name: 'parser_version', type: 'utf8', get: (r) => r.parser_version },
  { name: 'status', type: 'utf8', nullable: false, get: (r) => r.status },
  { name: 'superseded_by', type: 'int32', get: (r) => r.superseded_by },
  { name: 'status_reason', type: 'utf8', get: (r) => r.status_reason },
  { name: 'values', type: 'int32', get: (r) => r.values },
  { name: 'warnings', type: 'utf8', get: (r) => r.warnings },
  // `?? null`: rows read back from a store written before the column have none.
  { name: 'missing', type: 'utf8', get: (r) => r.missing ?? null },
  { name: 'ocr_values', type: 'int32', get: (r) => r.ocr_values ?? null },
  { name: 'ocr_min_confidence', type: 'float64', get: (r) => r.ocr_min_confidence ?? null },
  { name: 'source_images', type: 'utf8', get: (r) => r.source_images ?? null },
];

/** The columns of the report index (manifest.reportIndex): what a reader needs at open. */
export const REPORT_INDEX_COLUMNS: ColumnSpec<ReportRow>[] = REPORT_COLUMNS.filter((c) => ['key', 'status', 'agency_key', 'year', 'missing'].includes(c.name));

// ---- agencies ---------------------------------------------------------------

export interface AgencyRow {
  key: number;
  id: string;
  name: string;
  /** JSON array of every name this agency was printed under. */
  aliases: string;
  region_code: string | null;
  region_name: string | null;
  level: string | null;
  kind: string | null;
  kind_group: string | null;
  /** resolved | ambiguous | unresolved — how the registry placed it. */
  resolution: string;
  /** For ambiguous agencies: JSON array of candidate region codes. */
  candidates: string | null;
}

export const AGENCY_COLUMNS: ColumnSpec<AgencyRow>[] = [
  { name: 'key', type: 'int32', nullable: false, get: (r) => r.key },
  { name: 'id', type: 'utf8', nullable: false, get: (r) => r.id },
  { name: 'name', type: 'utf8', nullable: false, get: (r) => r.name },
  { name: 'aliases', type: 'utf8', get: (r) => r.aliases },
  { name: 'region_code', type: 'utf8', get: (r) => r.region_code },
  { name: 'region_name', type: 'utf8', get: (r) => r.region_name },
  { name: 'level', type: 'utf8', get: (r) => r.level },
  { name: 'kind', type: 'utf8', get: (r) => r.kind },
  { name: 'kind_group', type: 'utf8', get: (r) => r.kind_group },
  { name: 'resolution', type: 'utf8', nullable: false, get: (r) => r.resolution },
  { name: 'candidates', type: 'utf8', get: (r) => r.candidates },
];

// ---- check results ------------------------------------------------------------

export interface CheckRow {
  report: number;
  agency: number | null;
  year: number | null;
  id: string;
  relation: number;
  status: string;
  left: number | null;
  right: number | null;
  cells: string;
  note: string | null;
}

export const CHECK_COLUMNS: ColumnSpec<CheckRow>[] = [
  { name: 'report', type: 'int32', nullable: false, get: (r) => r.report },
  { name: 'agency', type: 'int32', get: (r) => r.agency },
  { name: 'year', type: 'int16', get: (r) => r.year },
  { name: 'id', type: 'utf8', nullable: false, get: (r) => r.id },
  { name: 'relation', type: 'int16', nullable: false, get: (r) => r.relation },
  { name: 'status', type: 'utf8', nullable: false, get: (r) => r.status },
  { name: 'left', type: 'float64', get: (r) => r.left },
  { name: 'right', type: 'float64', get: (r) => r.right },
  { name: 'cells', type: 'utf8', nullable: false, get: (r) => r.cells },
  { name: 'note', type: 'utf8', get: (r) => r.note },
];

// ---- narrative figures --------------------------------------------------------

export interface NarrativeRow {
  report: number;
  agency: number | null;
  year: number | null;
  metric: string;
  value: number;
  unit: string;
  /** JSON array of { sentence, clause, value, ocr? }: the evidence, as printed. */
  evidence: string;
  /** Read by OCR from a scanned page or picture: the lowest confidence of its sentences; null for printed text and in stores written before the column. */
  ocr_confidence?: number | null;
}

export const NARRATIVE_COLUMNS: ColumnSpec<NarrativeRow>[] = [
  { name: 'report', type: 'int32', nullable: false, get: (r) => r.report },
  { name: 'agency', type: 'int32', get: (r) => r.agency },
  { name: 'year', type: 'int16', get: (r) => r.year },
  { name: 'metric', type: 'utf8', nullable: false, get: (r) => r.metric },
  { name: 'value', type: 'float64', nullable: false, get: (r) => r.value },
  { name: 'unit', type: 'utf8', nullable: false, get: (r) => r.unit },
  { name: 'evidence', type: 'utf8', nullable: false, get: (r) => r.evidence },
  { name: 'ocr_confidence', type: 'float64', get: (r) => r.ocr_confidence ?? null },
];

/**
 * Row i's string of a utf8 column chunk. The whole chunk is decoded in one
 * call and each row is a substring of it (the byte offsets mapped to UTF-16
 * positions in one pass), instead of one decode per row; if the bytes are not
 * the valid UTF-8 the writer produces, each row is decoded on its own.
 */
function utf8Strings(bytes: Uint8Array, offsets: Int32Array, n: number): (i: number) => string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, offsets[n]);
  if (offsets[0] !== 0) return (i) => buf.toString('utf8', offsets[i], offsets[i + 1]);
  const all = buf.toString('utf8');
  const units = new Int32Array(n + 1);
  let u = 0, b = 0;
  for (let i = 1; i <= n; i++) {
    for (const end = offsets[i]; b < end; b++) {
      const x = buf[b];
      if (x < 0x80 || (x >= 0xc0 && x < 0xf0)) u++; // one UTF-16 unit per character of 1–3 bytes
      else if (x >= 0xf0) u += 2; // a 4-byte character is a surrogate pair
    }
    units[i] = u;
  }
  if (u !== all.length) return (i) => buf.toString('utf8', offsets[i], offsets[i + 1]);
  return (i) => all.substring(units[i], units[i + 1]);
}

/**
 * Which rows of a utf8 column equal `value`, compared as bytes: no string
 * is built per row (700 000 report statuses at national scale).
 */
export function utf8Equals(v: Vector, value: string): Uint8Array {
  const want = Buffer.from(value, 'utf8');
  const out = new Uint8Array(v.length);
  let at = 0;
  for (const d of v.data) {
    const n = d.length;
    if (d.offset !== 0 || d.typeId !== Type.Utf8) {
      for (let i = 0; i < n; i++) out[at + i] = v.get(at + i) === value ? 1 : 0;
    } else {
      const offsets = d.valueOffsets as Int32Array;
      const bytes = d.values as Uint8Array;
      const bits = d.nullCount > 0 ? d.nullBitmap : null;
      for (let i = 0; i < n; i++) {
        const s = offsets[i];
        if (offsets[i + 1] - s !== want.length || (bits && (bits[i >> 3] & (1 << (i & 7))) === 0)) continue;
        let k = 0;
        while (k < want.length && bytes[s + k] === want[k]) k++;
        if (k === want.length) out[at + i] = 1;
      }
    }
    at += n;
  }
  return out;
}
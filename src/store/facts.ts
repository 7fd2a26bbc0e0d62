// The long fact table: one row per value (report, agency, year, table, row,
// col, value, cell kind, derived flag, raw text, OCR confidence). Rows are buffered per year
// and written as part files of at most `partRows` rows; inside a part rows are
// grouped by metric, one record batch per metric, so a query for one metric
// reads one batch per part (Arrow IPC files allow random access to batches).
import { RecordBatchFileWriter } from 'apache-arrow';
import {
  Bool, Float64, Int16, Int32, NumColumn, Schema, StableDictionary, Utf8, batchOf, boolData, dictData, dictVector, dictType, field, numData,
  utf8Data, validityBitmap,
} from './columns.ts';
import type { StoredCell } from './derive.ts';
import { metricKey } from './derive.ts';
import { writeFileDurable } from './fsutil.ts';
import type { PartInfo } from './manifest.ts';

/** Dictionary ids are fixed per column so every part declares the same ones. */
export const FACT_DICT_IDS = { table: 1, row: 2, col: 3, cell: 4 } as const;

export interface FactDictionaries {
  table: StableDictionary;
  row: StableDictionary;
  col: StableDictionary;
  cell: StableDictionary;
}

export function factSchema(): Schema {
  return new Schema([
    field('report', new Int32()),
    field('agency', new Int32(), true),
    field('year', new Int16(), true),
    field('table', dictType(FACT_DICT_IDS.table, 'i8')),
    field('row', dictType(FACT_DICT_IDS.row, 'i16')),
    field('col', dictType(FACT_DICT_IDS.col, 'i16')),
    field('value', new Float64(), true),
    field('cell', dictType(FACT_DICT_IDS.cell, 'i8')),
    field('derived', new Bool()),
    field('raw', new Utf8(), true),
    // Last, and not a dictionary: parts written before it lack the column
    // (read as all printed) and every part keeps the same dictionary ids.
    field('ocr_confidence', new Float64(), true),
  ]);
}

/** Rows of one year waiting to be written. */
export class FactBuffer {
  report = new NumColumn(Int32Array);
  agency = new NumColumn(Int32Array);
  table = new NumColumn(Int8Array);
  row = new NumColumn(Int16Array);
  col = new NumColumn(Int16Array);
  value = new NumColumn(Float64Array);
  valid = new NumColumn(Uint8Array);
  cell = new NumColumn(Int8Array);
  derived = new NumColumn(Uint8Array);
  /** OCR confidence per row; NaN for a printed (not OCR'd) value. */
  ocr = new NumColumn(Float64Array);
  raw = new Map<number, string>();

  constructor(readonly year: number | null) {}

  get length(): number {
    return this.report.length;
  }

  add(dicts: FactDictionaries, report: number, agency: number | null, c: StoredCell): void {
    const i = this.report.length;
    this.report.push(report);
    this.agency.push(agency ?? -1);
    this.table.push(dicts.table.code(c.table));
    this.row.push(dicts.row.code(c.row));
    this.col.push(dicts.col.code(c.col));
    this.value.push(c.value ?? 0);
    this.valid.push(c.value === null ? 0 : 1);
    this.cell.push(dicts.cell.code(c.cell));
    this.derived.push(c.derived ? 1 : 0);
    this.ocr.push(c.ocr ?? NaN);
    if (c.raw !== null && c.raw !== '') this.raw.set(i, c.raw);
  }
}

/**
 * Write a buffer as one part file and return its manifest entry. Rows are
 * sorted by (table,row,col) then agency, report — the order also makes output
 * deterministic, so the same input always gives the same bytes.
 */
export function writeFactPart(path: string, relPath: string, buf: FactBuffer, dicts: FactDictionaries): PartInfo {
  const n = buf.length;
  const t = buf.table.view(), r = buf.row.view(), c = buf.col.view(), ag = buf.agency.view(), rep = buf.report.view();
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => t[a] - t[b] || r[a] - r[b] || c[a] - c[b] || ag[a] - ag[b] || rep[a] - rep[b] || a - b);

  const schema = factSchema();
  const types = schema.fields.map((f) => f.type);
  const writer = new RecordBatchFileWriter();
  writer.reset(undefined, schema);
  const batches: { metric: string; rows: number }[] = [];
  const dv = { table: dictVector(dicts.table.values), row: dictVector(dicts.row.values), col: dictVector(dicts.col.values), cell: dictVector(dicts.cell.values) };
  let start = 0;
  while (start < n) {
    const first = order[start];
    let end = start + 1;
    while (end < n && t[order[end]] === t[first] && r[order[end]] === r[first] && c[order[end]] === c[first]) end++;
    const idx = order.slice(start, end);
    const m = idx.length;
    const pick = <A extends Int8Array | Int16Array | Int32Array | Float64Array | Uint8Array>(src: A, Ctor: { new (n: number): A }): A => {
      const out = new Ctor(m);
      for (let k = 0; k < m; k++) out[k] = src[idx[k]];
      return out;
    };
    const agency = pick(ag as Int32Array, Int32Array);
    const agencyValid = validityBitmap((k) => agency[k] >= 0, m);
    const valid = pick(buf.valid.view() as Uint8Array, Uint8Array);
    const valueValid = validityBitmap((k) => valid[k] === 1, m);
    const year = new Int16Array(m).fill(buf.year ?? 0);
    const yearValid = validityBitmap(() => buf.year !== null, m);
    const ocr = pick(buf.ocr.view() as Float64Array, Float64Array);
    const ocrValid = validityBitmap((k) => !Number.isNaN(ocr[k]), m);
    for (let k = 0; k < m; k++) if (Number.isNaN(ocr[k])) ocr[k] = 0;
    const children = [
      numData(new Int32(), pick(rep as Int32Array, Int32Array)),
      numData(new Int32(), agency, agencyValid.bitmap, agencyValid.nullCount),
      numData(new Int16(), year, yearValid.bitmap, yearValid.nullCount),
      dictData(types[3] as never, dv.table, pick(t as Int8Array, Int8Array)),
      dictData(types[4] as never, dv.row, pick(r as Int16Array, Int16Array)),
      dictData(types[5] as never, dv.col, pick(c as Int16Array, Int16Array)),
      numData(new Float64(), pick(buf.value.view() as Float64Array, Float64Array), valueValid.bitmap, valueValid.nullCount),
      dictData(types[7] as never, dv.cell, pick(buf.cell.view() as Int8Array, Int8Array)),
      boolData(pick(buf.derived.view() as Uint8Array, Uint8Array)),
      utf8Data(idx.map((i) => buf.raw.get(i) ?? null)),
      numData(new Float64(), ocr, ocrValid.bitmap, ocrValid.nullCount),
    ];
    writer.write(batchOf(schema, children));
    batches.push({ metric: metricKey(dicts.table.values[t[first]], dicts.row.values[r[first]], dicts.col.values[c[first]]), rows: m });
    start = end;
  }
  writer.finish();
  writeFileDurable(path, writer.toUint8Array(true));
  return { file: relPath, year: buf.year, rows: n, batches };
}

// Export of the current values joined with their agency: CSV (UTF-8 with BOM
// so Excel shows Chinese), Arrow IPC file, or Parquet (parquet-wasm, which
// reads Arrow IPC and writes files pandas, R and DuckDB read). Agency
// attributes are dictionary columns indexed by the agency key, so the export
// never materialises one string per value.
import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Bool, Float64, Int16, makeData, RecordBatchFileWriter, RecordBatchStreamWriter, Schema, type RecordBatch } from 'apache-arrow';
import { batchOf, dictData, dictType, dictVector, field, numData } from '../store/columns.ts';
import { writeFileDurable } from '../store/fsutil.ts';
import type { FactSlice, StoreReader } from '../store/reader.ts';
import { isValid } from '../store/reader.ts';

export type ExportFormat = 'csv' | 'parquet' | 'arrow';

const EXPORT_COLUMNS = ['agency_id', 'agency', 'region_code', 'kind', 'level', 'year', 'metric', 'table', 'row', 'col', 'value', 'cell', 'derived', 'report_sha256'];

function exportSchema(): Schema {
  return new Schema([
    field('agency_id', dictType(11, 'i32'), true), field('agency', dictType(12, 'i32'), true), field('region_code', dictType(13, 'i32'), true),
    field('kind', dictType(14, 'i32'), true), field('level', dictType(15, 'i32'), true), field('year', new Int16(), true),
    field('metric', dictType(16, 'i32')), field('table', dictType(1, 'i8')), field('row', dictType(2, 'i16')), field('col', dictType(3, 'i16')),
    field('value', new Float64(), true), field('cell', dictType(4, 'i8')), field('derived', new Bool()), field('report_sha256', dictType(17, 'i32')),
  ]);
}

/** Current values as Arrow batches with the export schema, one per stored batch. */
export async function* exportBatches(store: StoreReader): AsyncGenerator<RecordBatch> {
  const schema = exportSchema();
  const A = store.agencies;
  const attr = (f: (a: (typeof A)[number]) => string | null) => dictVector(A.map((a) => f(a) ?? ''));
  const dv = {
    id: attr((a) => a.id), name: attr((a) => a.name), region: attr((a) => a.region_code), kind: attr((a) => a.kind), level: attr((a) => a.level),
    metric: dictVector(store.metrics()), sha: dictVector(store.reports.map((r) => r.sha256)),
    // The store's global dictionaries, one Vector each, shared by every batch.
    table: dictVector(store.manifest.dictionaries.table), row: dictVector(store.manifest.dictionaries.row),
    col: dictVector(store.manifest.dictionaries.col), cell: dictVector(store.manifest.dictionaries.cell),
  };
  const metricIndex = new Map(store.metrics().map((m, i) => [m, i]));
  for await (const s of store.scanAll()) {
    const keep: number[] = [];
    for (let i = 0; i < s.length; i++) if (store.active[s.report[i]] && s.agency[i] >= 0) keep.push(i);
    if (!keep.length) continue;
    yield batchOf(schema, sliceColumns(s, keep, dv, metricIndex.get(s.metric)!, schema));
  }
}

function sliceColumns(s: FactSlice, keep: number[], dv: Record<string, ReturnType<typeof dictVector>>, metric: number, schema: Schema) {
  const n = keep.length;
  const ag = Int32Array.from(keep, (i) => s.agency[i]);
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  const value = Float64Array.from(keep, (i, k) => {
    if (isValid(s.valueValid, i)) valid[k >> 3] |= 1 << (k & 7);
    else nulls++;
    return s.value[i];
  });
  const col = (name: string) => s.batch.getChild(name)!.data[0];
  const codes = <T extends Int8Array | Int16Array>(name: string, C: { from(a: number[]): T }) => C.from(keep.map((i) => (col(name).values as T)[i]));
  const derived = new Uint8Array((n + 7) >> 3);
  keep.forEach((i, k) => {
    if (s.derived[i >> 3] & (1 << (i & 7))) derived[k >> 3] |= 1 << (k & 7);
  });
  const t = schema.fields.map((f) => f.type) as never[];
  // Each column gets its own copy of the agency codes. Sharing one buffer
  // between the five agency columns corrupts the IPC output: apache-arrow's
  // writer queues body buffers by reference and, when joining them, collapses
  // consecutive chunks of the same ArrayBuffer whose byte ranges overlap into
  // one — five identical 40-byte buffers become one, the message body comes
  // out short, and every later buffer is read at the wrong offset (parquet-wasm:
  // "Value at position 0 out of bounds").
  return [
    dictData(t[0], dv.id, ag), dictData(t[1], dv.name, ag.slice()), dictData(t[2], dv.region, ag.slice()), dictData(t[3], dv.kind, ag.slice()),
    dictData(t[4], dv.level, ag.slice()),
    numData(new Int16(), new Int16Array(n).fill(s.year ?? 0)),
    dictData(t[6], dv.metric, new Int32Array(n).fill(metric)),
    dictData(t[7], dv.table, codes('table', Int8Array)),
    dictData(t[8], dv.row, codes('row', Int16Array)),
    dictData(t[9], dv.col, codes('col', Int16Array)),
    numData(new Float64(), value, valid, nulls),
    dictData(t[11], dv.cell, codes('cell', Int8Array)),
    makeBool(derived, n),
    dictData(t[13], dv.sha, Int32Array.from(keep, (i) => s.report[i])),
  ];
}

function makeBool(bits: Uint8Array, n: number) {
  return makeData({ type: new Bool(), length: n, nullCount: 0, data: bits });
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Write the export; returns the number of rows. */
export async function exportStore(store: StoreReader, format: ExportFormat, out: string): Promise<number> {
  mkdirSync(dirname(out), { recursive: true });
  let rows = 0;
  if (format === 'csv') {
    const ws = createWriteStream(out);
    ws.write('\uFEFF' + EXPORT_COLUMNS.join(',') + '\n');
    for await (const b of exportBatches(store)) {
      const cols = EXPORT_COLUMNS.map((c) => b.getChild(c)!);
      const lines: string[] = [];
      for (let i = 0; i < b.numRows; i++) lines.push(cols.map((c) => csvField(c.get(i))).join(','));
      rows += b.numRows;
      if (!ws.write(lines.join('\n') + '\n')) await new Promise<void>((r) => ws.once('drain', () => r()));
    }
    await new Promise<void>((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res())));
    return rows;
  }
  const writer = format === 'arrow' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
  writer.reset(undefined, exportSchema());
  // Dictionaries must be the same objects across batches (see store/columns.ts); exportBatches shares them.
  for await (const b of exportBatches(store)) {
    writer.write(b);
    rows += b.numRows;
  }
  writer.finish();
  const ipc = writer.toUint8Array(true);
  if (format === 'arrow') writeFileDurable(out, ipc);
  else {
    const pq = await import('parquet-wasm/node');
    const table = pq.Table.fromIPCStream(ipc);
    const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).build();
    writeFileDurable(out, pq.writeParquet(table, props));
  }
  return rows;
}

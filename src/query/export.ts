// Export of the current values joined with their agency: CSV (UTF-8 with BOM
// so Excel shows Chinese), Arrow IPC file, or Parquet (parquet-wasm, which
// writes files pandas, R and DuckDB read). Agency attributes are dictionary
// columns indexed by agency, so the export never materialises one string per
// value.
//
// Streaming and memory-bounded: the store is read one part at a time (without
// the reader's batch cache), each part is turned into output and written to
// the file before the next part is read. Nothing grows with the store but the
// per-agency and per-report strings (the dictionaries) and, for Parquet, the
// row group being encoded (at most ROW_GROUP rows). The file appears under its
// name only when complete (temp name, fsync, rename).
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AsyncByteQueue, Bool, Float64, Int16, makeData, RecordBatchFileWriter, RecordBatchStreamWriter, Schema, type RecordBatch, type Utf8, type Vector,
} from 'apache-arrow';
import { batchOf, dictData, dictType, dictVector, field, numData } from '../store/columns.ts';
import { fsyncDir } from '../store/fsutil.ts';
import type { PartInfo } from '../store/manifest.ts';
import type { FactSlice, StoreReader } from '../store/reader.ts';
import { isValid, ocrConfidence } from '../store/reader.ts';
import { passesRead, type ReadOptions } from './filters.ts';
import type { RecordBatch as PqBatch } from 'parquet-wasm/node';

export type ExportFormat = 'csv' | 'parquet' | 'arrow';

const EXPORT_COLUMNS = ['agency_id', 'agency', 'region_code', 'kind', 'level', 'year', 'metric', 'table', 'row', 'col', 'value', 'cell', 'derived', 'ocr_confidence', 'report_sha256'];

/** Parquet row group size (rows): bounds what parquet-wasm buffers while encoding. */
const ROW_GROUP = 1 << 20;

function exportSchema(): Schema {
  return new Schema([
    field('agency_id', dictType(11, 'i32'), true), field('agency', dictType(12, 'i32'), true), field('region_code', dictType(13, 'i32'), true),
    field('kind', dictType(14, 'i32'), true), field('level', dictType(15, 'i32'), true), field('year', new Int16(), true),
    field('metric', dictType(16, 'i32')), field('table', dictType(1, 'i8')), field('row', dictType(2, 'i16')), field('col', dictType(3, 'i16')),
    field('value', new Float64(), true), field('cell', dictType(4, 'i8')), field('derived', new Bool()), field('ocr_confidence', new Float64(), true),
    field('report_sha256', dictType(17, 'i32')),
  ]);
}

/** One store part's current values: its stored batches and, for each, the rows to export. */
export interface ExportPart {
  part: PartInfo;
  slices: { s: FactSlice; keep: Int32Array; metric: number }[];
  rows: number;
}

/** Progress of a running export (for callers and the memory test). */
export interface ExportProgress {
  part: string;
  partRows: number;
  rowsWritten: number;
  bytesWritten: number;
}

/** Which values an export keeps by how they were read (filters.ts); applied per value row. */
export type ExportReadFilter = ReadOptions;

export interface ExportOptions extends ExportReadFilter {
  /** Called after each store part has been written out. */
  onPart?: (p: ExportProgress) => void;
}

/**
 * The store's current values, one part at a time. Only the part being yielded
 * is held: its batches are read without the reader's cache, and the caller is
 * expected to be done with it before asking for the next.
 */
export async function* exportParts(store: StoreReader, filter: ExportReadFilter = {}): AsyncGenerator<ExportPart> {
  const metricIndex = new Map(store.metrics().map((m, i) => [m, i]));
  const active = store.active;
  const read = filter.read ?? 'any';
  const filtered = read !== 'any' || filter.minConfidence !== undefined;
  for (const part of store.manifest.values) {
    const slices: ExportPart['slices'] = [];
    let rows = 0;
    for await (const s of store.partSlices(part, { cache: false })) {
      const keep = new Int32Array(s.length);
      let n = 0;
      for (let i = 0; i < s.length; i++) {
        if (!active[s.report[i]] || s.agency[i] < 0) continue;
        if (filtered && !passesRead(ocrConfidence(s, i), read, filter.minConfidence)) continue;
        keep[n++] = i;
      }
      if (!n) continue;
      slices.push({ s, keep: keep.slice(0, n), metric: metricIndex.get(s.metric)! });
      rows += n;
    }
    if (rows) yield { part, slices, rows };
  }
}

type Dicts = Record<'id' | 'name' | 'region' | 'kind' | 'level' | 'metric' | 'sha' | 'table' | 'row' | 'col' | 'cell', Vector<Utf8>>;

/** Per-agency attribute strings ('' when missing), indexed by agency key. */
function agencyAttrs(store: StoreReader) {
  const A = store.agencies;
  return {
    id: A.map((a) => a.id), name: A.map((a) => a.name), region: A.map((a) => a.region_code ?? ''), kind: A.map((a) => a.kind ?? ''), level: A.map((a) => a.level ?? ''),
  };
}

function storeDicts(store: StoreReader): Pick<Dicts, 'metric' | 'table' | 'row' | 'col' | 'cell'> {
  const d = store.manifest.dictionaries;
  return { metric: dictVector(store.metrics()), table: dictVector(d.table), row: dictVector(d.row), col: dictVector(d.col), cell: dictVector(d.cell) };
}

/**
 * Codes local to one part, for the agency and report dictionaries: a part
 * holds a few thousand agencies and reports, the store up to 100 k and 700 k,
 * and each Parquet part stream carries its own dictionaries.
 */
class LocalCodes {
  private readonly code: Int32Array;
  readonly keys: number[] = [];
  constructor(size: number) {
    this.code = new Int32Array(size).fill(-1);
  }
  of(key: number): number {
    let c = this.code[key];
    if (c < 0) {
      c = this.code[key] = this.keys.length;
      this.keys.push(key);
    }
    return c;
  }
  reset(): void {
    for (const k of this.keys) this.code[k] = -1;
    this.keys.length = 0;
  }
}

interface ExportColumns {
  n: number;
  year: number | null;
  metric: number;
  agency: Int32Array;
  report: Int32Array;
  value: Float64Array;
  valid: Uint8Array;
  nulls: number;
  derived: Uint8Array;
  ocr: Float64Array;
  ocrValid: Uint8Array;
  ocrNulls: number;
  table: Int8Array;
  row: Int16Array;
  col: Int16Array;
  cell: Int8Array;
}

/** The export columns of one part, one set per stored batch; agency and report codes through `agencyCode` / `reportCode`. */
function partColumns(ep: ExportPart, agencyCode: (k: number) => number, reportCode: (k: number) => number): ExportColumns[] {
  return ep.slices.map(({ s, keep, metric }) => {
    const n = keep.length;
    const c: ExportColumns = {
      n, year: s.year, metric, agency: new Int32Array(n), report: new Int32Array(n), value: new Float64Array(n), valid: new Uint8Array((n + 7) >> 3), nulls: 0,
      derived: new Uint8Array((n + 7) >> 3), ocr: new Float64Array(n), ocrValid: new Uint8Array((n + 7) >> 3), ocrNulls: 0, table: new Int8Array(n), row: new Int16Array(n), col: new Int16Array(n), cell: new Int8Array(n),
    };
    const codes = (name: string) => s.batch.getChild(name)!.data[0].values as Int8Array | Int16Array;
    const tableIn = codes('table'), rowIn = codes('row'), colIn = codes('col');
    for (let k = 0; k < n; k++) {
      const i = keep[k];
      c.agency[k] = agencyCode(s.agency[i]);
      c.report[k] = reportCode(s.report[i]);
      c.value[k] = s.value[i];
      if (isValid(s.valueValid, i)) c.valid[k >> 3] |= 1 << (k & 7);
      else c.nulls++;
      if (s.derived[i >> 3] & (1 << (i & 7))) c.derived[k >> 3] |= 1 << (k & 7);
      const conf = ocrConfidence(s, i);
      if (conf === null) c.ocrNulls++;
      else {
        c.ocr[k] = conf;
        c.ocrValid[k >> 3] |= 1 << (k & 7);
      }
      c.table[k] = tableIn[i];
      c.row[k] = rowIn[i];
      c.col[k] = colIn[i];
      c.cell[k] = s.cell[i];
    }
    return c;
  });
}

function toBatch(schema: Schema, c: ExportColumns, dv: Dicts): RecordBatch {
  const t = schema.fields.map((f) => f.type) as never[];
  const ag = c.agency;
  // Each agency column gets its own copy of the codes. Sharing one buffer
  // between the five corrupts the IPC output: apache-arrow's writer queues
  // body buffers by reference and collapses consecutive chunks of the same
  // ArrayBuffer whose byte ranges overlap into one, so the message body comes
  // out short and every later buffer is read at the wrong offset
  // (parquet-wasm: "Value at position 0 out of bounds").
  return batchOf(schema, [
    dictData(t[0], dv.id, ag), dictData(t[1], dv.name, ag.slice()), dictData(t[2], dv.region, ag.slice()), dictData(t[3], dv.kind, ag.slice()),
    dictData(t[4], dv.level, ag.slice()),
    numData(new Int16(), new Int16Array(c.n).fill(c.year ?? 0)),
    dictData(t[6], dv.metric, new Int32Array(c.n).fill(c.metric)),
    dictData(t[7], dv.table, c.table),
    dictData(t[8], dv.row, c.row),
    dictData(t[9], dv.col, c.col),
    numData(new Float64(), c.value, c.valid, c.nulls),
    dictData(t[11], dv.cell, c.cell),
    makeData({ type: new Bool(), length: c.n, nullCount: 0, data: c.derived }),
    numData(new Float64(), c.ocr, c.ocrValid, c.ocrNulls),
    dictData(t[14], dv.sha, c.report),
  ]);
}

/** Arrow batches of one part with store-wide dictionaries (codes = agency and report keys). */
function partBatches(schema: Schema, ep: ExportPart, dv: Dicts): RecordBatch[] {
  const same = (k: number) => k;
  return partColumns(ep, same, same).map((c) => toBatch(schema, c, dv));
}

/** Current values as Arrow batches with the export schema (store-wide dictionaries), one part at a time. */
export async function* exportBatches(store: StoreReader, filter: ExportReadFilter = {}): AsyncGenerator<RecordBatch> {
  const schema = exportSchema();
  const a = agencyAttrs(store);
  const dv: Dicts = {
    id: dictVector(a.id), name: dictVector(a.name), region: dictVector(a.region), kind: dictVector(a.kind), level: dictVector(a.level),
    sha: dictVector(store.reportSha256()), ...storeDicts(store),
  };
  for await (const ep of exportParts(store, filter)) yield* partBatches(schema, ep, dv);
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes bytes straight to a file descriptor, as they come: an apache-arrow writer sink that holds nothing. */
class FdSink extends AsyncByteQueue {
  bytes = 0;
  constructor(private readonly fd: number) {
    super();
  }
  override write(value: Uint8Array): void {
    writeFully(this.fd, value);
    this.bytes += value.byteLength;
  }
}

function writeFully(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.byteLength) off += writeSync(fd, buf, off, buf.byteLength - off);
}

/** Write the export; returns the number of rows. */
export async function exportStore(store: StoreReader, format: ExportFormat, out: string, opts: ExportOptions = {}): Promise<number> {
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let rows = 0;
  let bytes = 0;
  const progress = (ep: ExportPart) => opts.onPart?.({ part: ep.part.file, partRows: ep.rows, rowsWritten: rows, bytesWritten: bytes });
  try {
    if (format === 'csv') {
      const write = (s: string) => {
        const b = Buffer.from(s, 'utf8');
        writeFully(fd, b);
        bytes += b.byteLength;
      };
      write('\uFEFF' + EXPORT_COLUMNS.join(',') + '\n');
      const a = agencyAttrs(store);
      const agencyCsv = a.id.map((_, k) => [a.id[k], a.name[k], a.region[k], a.kind[k], a.level[k]].map(csvField).join(','));
      const sha = store.reportSha256();
      const d = store.manifest.dictionaries;
      const [tables, rowsD, cols, cells] = [d.table, d.row, d.col, d.cell].map((x) => x.map(csvField));
      const metrics = store.metrics().map(csvField);
      for await (const ep of exportParts(store, opts)) {
        for (const { s, keep, metric } of ep.slices) {
          const tc = s.batch.getChild('table')!.data[0].values as Int8Array;
          const rc = s.batch.getChild('row')!.data[0].values as Int16Array;
          const cc = s.batch.getChild('col')!.data[0].values as Int16Array;
          const mid = `,${s.year ?? ''},${metrics[metric]},`;
          const lines = new Array<string>(keep.length);
          for (let k = 0; k < keep.length; k++) {
            const i = keep[k];
            const v = isValid(s.valueValid, i) ? String(s.value[i]) : '';
            const der = s.derived[i >> 3] & (1 << (i & 7)) ? 'true' : 'false';
            const conf = ocrConfidence(s, i) ?? '';
            lines[k] = `${agencyCsv[s.agency[i]]}${mid}${tables[tc[i]]},${rowsD[rc[i]]},${cols[cc[i]]},${v},${cells[s.cell[i]]},${der},${conf},${csvField(sha[s.report[i]])}`;
          }
          write(lines.join('\n') + '\n');
        }
        rows += ep.rows;
        progress(ep);
      }
    } else if (format === 'arrow') {
      // An Arrow file may not replace a dictionary, so its dictionaries are the store-wide ones, written once.
      const sink = new FdSink(fd);
      const writer = new RecordBatchFileWriter();
      writer.reset(sink, exportSchema());
      const schema = exportSchema();
      const a = agencyAttrs(store);
      const dv: Dicts = {
        id: dictVector(a.id), name: dictVector(a.name), region: dictVector(a.region), kind: dictVector(a.kind), level: dictVector(a.level),
        sha: dictVector(store.reportSha256()), ...storeDicts(store),
      };
      for await (const ep of exportParts(store, opts)) {
        for (const b of partBatches(schema, ep, dv)) writer.write(b);
        rows += ep.rows;
        bytes = sink.bytes;
        progress(ep);
      }
      writer.finish();
      bytes = sink.bytes;
    } else {
      rows = await writeParquet(store, fd, opts, (ep, r, b) => {
        rows = r;
        bytes = b;
        progress(ep);
      });
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, out);
  fsyncDir(dirname(out));
  return rows;
}

/**
 * Parquet through parquet-wasm's streaming writer: each store part becomes an
 * Arrow IPC stream with dictionaries local to the part, is handed to the wasm
 * writer batch by batch as it pulls, and the encoded bytes are written to the
 * file as row groups complete.
 */
async function writeParquet(store: StoreReader, fd: number, filter: ExportReadFilter, onPart: (ep: ExportPart, rows: number, bytes: number) => void): Promise<number> {
  const pq = await import('parquet-wasm/node');
  const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).setMaxRowGroupSize(ROW_GROUP).build();
  const schema = exportSchema();
  const a = agencyAttrs(store);
  const sha = store.reportSha256();
  const shared = storeDicts(store);
  const agencies = new LocalCodes(a.id.length);
  const reports = new LocalCodes(sha.length);
  const parts = exportParts(store, filter);
  let rows = 0;
  let bytes = 0;
  let pending: { ep: ExportPart } | null = null;
  let queue: PqBatch[] = [];
  const input = new ReadableStream({
    async pull(controller) {
      while (!queue.length) {
        if (pending) {
          // The previous part has been handed over in full.
          onPart(pending.ep, rows, bytes);
          pending = null;
        }
        const next = await parts.next();
        if (next.done) {
          controller.close();
          return;
        }
        const ep = next.value;
        agencies.reset();
        reports.reset();
        const cols = partColumns(ep, (k) => agencies.of(k), (k) => reports.of(k));
        const local: Dicts = {
          id: dictVector(agencies.keys.map((k) => a.id[k])), name: dictVector(agencies.keys.map((k) => a.name[k])),
          region: dictVector(agencies.keys.map((k) => a.region[k])), kind: dictVector(agencies.keys.map((k) => a.kind[k])),
          level: dictVector(agencies.keys.map((k) => a.level[k])), sha: dictVector(reports.keys.map((k) => sha[k])), ...shared,
        };
        const writer = new RecordBatchStreamWriter();
        writer.reset(undefined, schema);
        for (const c of cols) writer.write(toBatch(schema, c, local));
        writer.finish();
        const table = pq.Table.fromIPCStream(writer.toUint8Array(true));
        queue = table.recordBatches();
        table.free();
        rows += ep.rows;
        pending = { ep };
      }
      controller.enqueue(queue.shift());
    },
  }, { highWaterMark: 0 });
  const output = await pq.transformParquetStream(input, props);
  const reader = (output as ReadableStream<Uint8Array>).getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    writeFully(fd, r.value);
    bytes += r.value.byteLength;
  }
  if (pending) onPart((pending as { ep: ExportPart }).ep, rows, bytes);
  return rows;
}

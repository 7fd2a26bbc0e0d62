// One agency's rows of a fact part, read without decoding the part. A part
// holds one record batch per metric, each sorted by agency, so an agency's
// profile needs a handful of rows from every batch — but decoding the
// batches means reading the whole part (tens of MB per year at 10 M values,
// every part of the store at national scale). Instead, per batch: its
// metadata (where each column's buffers are in the file, from the IPC
// footer's block and the batch's Message header), a binary search for the
// agency's run by positioned reads of the agency column, then just those
// rows of the columns a profile shows. A batch this cannot read that way (compressed, an
// unexpected layout) makes the caller fall back to decoding the part.
import { readSync } from 'node:fs';
import { Message, Type, type Schema } from 'apache-arrow';

export interface AgencyRow {
  metric: string;
  report: number;
  value: number | null;
  /** Code into manifest.dictionaries.cell. */
  cell: number;
  derived: boolean;
  /** OCR confidence, or null for a printed value. */
  ocr: number | null;
}

interface Region {
  offset: number;
  length: number;
}

interface BatchLayout {
  length: number;
  /** Per schema field: its buffers (validity, data[, data]) as absolute file ranges. */
  buffers: Region[][];
  nullCounts: number[];
}

/** Buffers per field in an IPC body, for the types the fact table uses; undefined for any other. */
function bufferCount(typeId: Type): number | undefined {
  if (typeId === Type.Utf8 || typeId === Type.Binary) return 3;
  if (typeId === Type.Int || typeId === Type.Float || typeId === Type.Bool || typeId === Type.Dictionary) return 2;
  return undefined;
}

function pread(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, offset + done);
    if (n === 0) throw new Error(`fact part ended early at byte ${offset + done}`);
    done += n;
  }
  return buf;
}

/** The batch's layout, or undefined when it is not one this reader understands. */
export function batchLayout(fd: number, schema: Schema, block: { offset: number; metaDataLength: number }): BatchLayout | undefined {
  const meta = pread(fd, block.offset, block.metaDataLength);
  // An encapsulated message: [0xFFFFFFFF continuation] int32 length, then the flatbuffer.
  let at = 0;
  let len = meta.readInt32LE(0);
  if (len === -1) {
    at = 4;
    len = meta.readInt32LE(4);
  }
  const msg = Message.decode(meta.subarray(at + 4, at + 4 + len));
  if (!msg.isRecordBatch()) return undefined;
  const h = msg.header();
  if (h.compression) return undefined;
  const bodyStart = block.offset + block.metaDataLength;
  const buffers: Region[][] = [];
  let b = 0;
  for (const f of schema.fields) {
    const n = bufferCount(f.type.typeId);
    if (n === undefined) return undefined;
    buffers.push(h.buffers.slice(b, b + n).map((r) => ({ offset: bodyStart + r.offset, length: r.length })));
    b += n;
  }
  if (b !== h.buffers.length || h.nodes.length !== schema.fields.length) return undefined;
  return { length: h.length, buffers, nullCounts: h.nodes.map((n) => n.nullCount) };
}

const bit = (bits: Buffer, i: number) => (bits[i >> 3] & (1 << (i & 7))) !== 0;

/**
 * The rows of `agency` in one batch (agency key compared as stored, like the
 * decoded path). `fields`: indexes of report, agency, value, cell, derived in the schema.
 */
export function agencyRowsOf(fd: number, layout: BatchLayout, metric: string, agency: number, fields: { report: number; agency: number; value: number; cell: number; derived: number; ocr?: number }): AgencyRow[] {
  const n = layout.length;
  if (n === 0) return [];
  // Binary search in the file: about 17 four-byte reads for 100 000 agencies, instead of
  // reading the whole column (400 KB per batch at national scale).
  const ag = layout.buffers[fields.agency][1];
  const probe = Buffer.allocUnsafe(4);
  const agencyAt = (i: number) => {
    readSync(fd, probe, 0, 4, ag.offset + i * 4);
    return probe.readInt32LE(0);
  };
  const lowerBound = (key: number) => {
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (agencyAt(mid) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lo = lowerBound(agency);
  // An agency's run is a report or two (versions): walk it rather than search again.
  let end = lo;
  while (end < n && agencyAt(end) === agency) end++;
  if (end === lo) return [];
  const k = end - lo;
  const col = (f: number, width: number) => pread(fd, layout.buffers[f][1].offset + lo * width, k * width);
  const bitsOf = (f: number, which: 0 | 1) => {
    const from = lo >> 3;
    return { bytes: pread(fd, layout.buffers[f][which].offset + from, ((end - 1) >> 3) - from + 1), base: from * 8 };
  };
  const reports = col(fields.report, 4), values = col(fields.value, 8), cells = col(fields.cell, 1);
  const valueValid = layout.nullCounts[fields.value] > 0 ? bitsOf(fields.value, 0) : null;
  const derived = bitsOf(fields.derived, 1);
  const of = fields.ocr ?? -1;
  const anyOcr = of >= 0 && layout.nullCounts[of] < n;
  const ocr = anyOcr ? col(of, 8) : null;
  const ocrValid = anyOcr && layout.nullCounts[of] > 0 ? bitsOf(of, 0) : null;
  const out: AgencyRow[] = [];
  for (let j = 0; j < k; j++) {
    const i = lo + j;
    out.push({
      metric,
      report: reports.readInt32LE(j * 4),
      value: valueValid && !bit(valueValid.bytes, i - valueValid.base) ? null : values.readDoubleLE(j * 8),
      cell: cells.readInt8(j),
      derived: bit(derived.bytes, i - derived.base),
      ocr: !ocr || (ocrValid && !bit(ocrValid.bytes, i - ocrValid.base)) ? null : ocr.readDoubleLE(j * 8),
    });
  }
  return out;
}

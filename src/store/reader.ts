// Read side of the store. A reader is pinned to one manifest (one generation),
// loads the small tables (reports, agencies) eagerly and fact batches lazily:
// a query for one metric reads one record batch per part file, through a
// byte-bounded LRU cache, so a national store is never loaded whole.
import { readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordBatchReader, tableFromIPC, type AsyncRecordBatchFileReader, type RecordBatch, type RecordBatchFileReader } from 'apache-arrow';
import { readManifest, type Manifest, type PartInfo } from './manifest.ts';
import { agencyRowsOf, batchLayout, type AgencyRow as AgencyFactRow } from './agency-rows.ts';
import { columnArray, readObjectsFile, utf8Equals, type AgencyRow, type CheckRow, type NarrativeRow, type ReportRow } from './tables.ts';

/** The columns of one fact batch that queries use, as typed arrays. */
export interface FactSlice {
  part: PartInfo;
  metric: string;
  year: number | null;
  length: number;
  report: Int32Array;
  agency: Int32Array;
  value: Float64Array;
  /** Validity bitmap of `value` (bit set = number present), or null when all present. */
  valueValid: Uint8Array | null;
  /** Codes into manifest.dictionaries.cell. */
  cell: Int8Array;
  derived: Uint8Array;
  /**
   * OCR confidence per row (see ocrConfidence), or null when no row of the
   * batch was read by OCR — parts written before the column included.
   */
  ocr: Float64Array | null;
  /** Validity bitmap of `ocr` (bit set = read by OCR), or null when every row was. */
  ocrValid: Uint8Array | null;
  batch: RecordBatch;
}

export function isValid(bits: Uint8Array | null, i: number): boolean {
  return bits === null || (bits[i >> 3] & (1 << (i & 7))) !== 0;
}

/** Row i's OCR confidence (0–1), or null for a value that was printed as text. */
export function ocrConfidence(s: Pick<FactSlice, 'ocr' | 'ocrValid'>, i: number): number | null {
  return s.ocr && isValid(s.ocrValid, i) ? s.ocr[i] : null;
}

/** The bytes a cached slice holds per row (report, agency, value, ocr, cell, bits). */
const SLICE_ROW_BYTES = 34;

class SliceCache {
  private readonly map = new Map<string, FactSlice>();
  private bytes = 0;
  constructor(private readonly budget: number) {}
  get(k: string): FactSlice | undefined {
    const v = this.map.get(k);
    if (v) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: FactSlice): void {
    const size = v.length * SLICE_ROW_BYTES;
    this.map.set(k, v);
    this.bytes += size;
    for (const [key, old] of this.map) {
      if (this.bytes <= this.budget) break;
      this.map.delete(key);
      this.bytes -= old.length * SLICE_ROW_BYTES;
    }
  }
}

/**
 * A whole file in as few reads as the kernel allows: fs.promises.readFile
 * reads in 512 KiB chunks, one thread-pool round trip each (about 80 for a
 * part), which left a fresh profile query mostly waiting.
 */
async function readWhole(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await fh.read(buf, done, size - done, done);
      if (bytesRead === 0) throw new Error(`${path}: file shrank while being read (${done} of ${size} bytes)`);
      done += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/** A current report that lacks template cells (see ReportRow.missing). */
export interface ReportGap {
  report: number;
  agency: number;
  year: number | null;
  /** Metric ids of the cells its document does not print. */
  cells: string[];
}

/**
 * What queries need from the reports table, without building row objects:
 * the `status` column as a bitmap of current versions, and the few current
 * reports with missing cells (the column is absent in older stores).
 */
function reportIndex(path: string): { active: Uint8Array; gaps: ReportGap[] } {
  const t = tableFromIPC(readFileSync(path));
  const column = (name: string) => {
    const c = t.getChild(name);
    return c ? columnArray(c) : null;
  };
  const keys = column('key')!, missing = column('missing'), agency = column('agency_key')!, year = column('year')!;
  const current = utf8Equals(t.getChild('status')!, 'current');
  const active = new Uint8Array(t.numRows);
  const gaps: ReportGap[] = [];
  for (let i = 0; i < t.numRows; i++) {
    if (!current[i]) continue;
    const key = keys[i] as number;
    active[key] = 1;
    const m = missing?.[i] as string | null | undefined;
    if (m) gaps.push({ report: key, agency: agency[i] as number, year: (year[i] as number | null) ?? null, cells: m.split(' ') });
  }
  return { active, gaps };
}

export class StoreReader {
  readonly agencies: AgencyRow[];
  /** active[reportKey] = 1 when the report is the current version for its agency and year. */
  readonly active: Uint8Array;
  /** Current reports whose documents lack template cells. */
  readonly gaps: ReportGap[];
  private reportRows: ReportRow[] | null = null;
  private readonly files = new Map<string, Promise<{ fh: FileHandle; reader: AsyncRecordBatchFileReader }>>();
  private readonly cache: SliceCache;
  /** Per-file queue of batch reads: one file reader seeks a shared handle, so two reads at once (a server's concurrent queries) corrupt each other. */
  private readonly reads = new Map<string, Promise<unknown>>();
  private narrativeRows: NarrativeRow[] | null = null;
  /** Batch layouts read by agencyRows (null: a batch it cannot read that way). */
  private readonly layouts = new Map<string, ReturnType<typeof batchLayout> | null>();

  private constructor(readonly storeDir: string, readonly manifest: Manifest, cacheBytes: number) {
    this.agencies = manifest.agencies ? (readObjectsFile(join(storeDir, manifest.agencies)) as unknown as AgencyRow[]) : [];
    // Queries need only each report's status; the full rows (one object per
    // document ever ingested: 700 k at national scale) are read on first use.
    const indexFile = manifest.reportIndex ?? manifest.reports;
    const index = indexFile ? reportIndex(join(storeDir, indexFile)) : { active: new Uint8Array(0), gaps: [] };
    this.active = index.active;
    this.gaps = index.gaps;
    this.cache = new SliceCache(cacheBytes);
  }

  /** Every version of every document (read on first access). */
  get reports(): ReportRow[] {
    this.reportRows ??= this.manifest.reports ? (readObjectsFile(join(this.storeDir, this.manifest.reports)) as unknown as ReportRow[]) : [];
    return this.reportRows;
  }

  /** Open the store's current generation (or a given, not yet swapped-in manifest). */
  static open(storeDir: string, manifest?: Manifest, opts: { cacheMB?: number } = {}): StoreReader {
    const m = manifest ?? readManifest(storeDir);
    if (!m) throw new Error(`no store at ${storeDir} (run nianbao ingest first)`);
    const mb = opts.cacheMB ?? Number(process.env.NIANBAO_CACHE_MB ?? 1024);
    return new StoreReader(storeDir, m, mb * 1024 * 1024);
  }

  private file(rel: string): Promise<{ fh: FileHandle; reader: AsyncRecordBatchFileReader }> {
    let f = this.files.get(rel);
    if (!f) {
      f = (async () => {
        const fh = await open(join(this.storeDir, rel), 'r');
        const reader = (await RecordBatchReader.from(fh)) as unknown as AsyncRecordBatchFileReader;
        await reader.open();
        return { fh, reader };
      })();
      this.files.set(rel, f);
    }
    return f;
  }

  private async slice(part: PartInfo, index: number): Promise<FactSlice> {
    const k = `${part.file}#${index}`;
    const hit = this.cache.get(k);
    if (hit) return hit;
    const { reader } = await this.file(part.file);
    const read = (this.reads.get(part.file) ?? Promise.resolve()).then(() => reader.readRecordBatch(index));
    this.reads.set(part.file, read.catch(() => undefined));
    const s = this.toSlice(part, index, (await read)!);
    this.cache.set(k, s);
    return s;
  }

  private toSlice(part: PartInfo, index: number, batch: RecordBatch): FactSlice {
    const col = (name: string) => batch.getChild(name)!.data[0];
    const value = col('value');
    // Absent in parts written before OCR confidences were stored: all printed.
    const ocr = batch.getChild('ocr_confidence')?.data[0];
    const anyOcr = !!ocr && ocr.nullCount < ocr.length;
    const s: FactSlice = {
      part, metric: part.batches![index].metric, year: part.year, length: batch.numRows,
      report: col('report').values as Int32Array,
      agency: col('agency').values as Int32Array,
      value: value.values as Float64Array,
      valueValid: value.nullCount > 0 ? (value.nullBitmap as Uint8Array) : null,
      cell: col('cell').values as Int8Array,
      derived: col('derived').values as Uint8Array,
      ocr: anyOcr ? (ocr.values as Float64Array) : null,
      ocrValid: anyOcr && ocr.nullCount > 0 ? (ocr.nullBitmap as Uint8Array) : null,
      batch,
    };
    return s;
  }

  /**
   * Every batch of one part. When most of them are not cached, the part is
   * read in one go and decoded from memory: hundreds of small positioned reads
   * through the async file reader cost far more than one sequential read.
   * With `cache: false` (a one-pass scan such as export) the batches bypass
   * the slice cache, so at most this one part is held.
   */
  async *partSlices(part: PartInfo, opts: { cache?: boolean } = {}): AsyncGenerator<FactSlice> {
    const n = part.batches?.length ?? 0;
    const useCache = opts.cache ?? true;
    if (useCache && this.mostlyCached(part)) {
      for (let i = 0; i < n; i++) yield await this.slice(part, i);
      return;
    }
    const bytes = await readWhole(join(this.storeDir, part.file));
    const reader = RecordBatchReader.from(bytes) as unknown as RecordBatchFileReader;
    reader.open();
    for (let i = 0; i < n; i++) {
      if (!useCache) {
        // A one-pass reader (export): nothing is kept once the caller moves on.
        yield this.toSlice(part, i, reader.readRecordBatch(i)!);
        continue;
      }
      const k = `${part.file}#${i}`;
      let s = this.cache.get(k);
      if (!s) {
        s = this.toSlice(part, i, reader.readRecordBatch(i)!);
        this.cache.set(k, s);
      }
      yield s;
    }
  }

  /** Whether most of a part's batches are in the slice cache (then decoding from the cache beats reading). */
  mostlyCached(part: PartInfo): boolean {
    const n = part.batches?.length ?? 0;
    let cached = 0;
    for (let i = 0; i < n; i++) if (this.cache.get(`${part.file}#${i}`)) cached++;
    return n > 0 && cached * 2 >= n;
  }

  /**
   * One agency's rows of a part, read without decoding it (see
   * agency-rows.ts); undefined when the part must be decoded instead.
   */
  async agencyRows(part: PartInfo, agency: number): Promise<AgencyFactRow[] | undefined> {
    const { fh, reader } = await this.file(part.file);
    const schema = reader.schema;
    const footer = reader.footer;
    const index = (name: string) => schema.fields.findIndex((f) => f.name === name);
    const fields = { report: index('report'), agency: index('agency'), value: index('value'), cell: index('cell'), derived: index('derived') };
    if (!footer || Object.values(fields).some((i) => i < 0)) return undefined;
    // -1 in parts written before the column: every value printed.
    const ocrField = index('ocr_confidence');
    const out: AgencyFactRow[] = [];
    for (let i = 0; i < (part.batches?.length ?? 0); i++) {
      const key = `${part.file}#${i}`;
      let layout = this.layouts.get(key);
      if (layout === undefined) {
        const block = footer.getRecordBatch(i);
        layout = block ? (batchLayout(fh.fd, schema, block) ?? null) : null;
        this.layouts.set(key, layout);
      }
      if (!layout) return undefined;
      for (const r of agencyRowsOf(fh.fd, layout, part.batches![i].metric, agency, { ...fields, ocr: ocrField })) out.push(r);
    }
    return out;
  }

  /** Fact parts, optionally only those of some years. */
  parts(years?: Set<number>): PartInfo[] {
    return this.manifest.values.filter((p) => !years || (p.year !== null && years.has(p.year)));
  }

  /** Every batch holding one metric (e.g. "t3.new_received.total"). */
  async *scanMetric(metric: string, years?: Set<number>, agencies?: { min: number; max: number }): AsyncGenerator<FactSlice> {
    // One batch per part: ask for all of them at once, so the parts' opens and reads overlap instead of queueing.
    const wanted: Promise<FactSlice>[] = [];
    for (const p of this.parts(years)) {
      if (agencies && p.agencyMin !== undefined && (p.agencyMax! < agencies.min || p.agencyMin > agencies.max)) continue;
      const i = p.batches?.findIndex((b) => b.metric === metric) ?? -1;
      if (i >= 0) wanted.push(this.slice(p, i));
    }
    // A rejection is seen when its turn comes; the others must not go unhandled meanwhile.
    for (const w of wanted) w.catch(() => undefined);
    for (const w of wanted) yield await w;
  }

  /** Every batch of every part (export, profiles). */
  async *scanAll(years?: Set<number>, agencies?: { min: number; max: number }): AsyncGenerator<FactSlice> {
    for (const p of this.parts(years)) {
      if (agencies && p.agencyMin !== undefined && (p.agencyMax! < agencies.min || p.agencyMin > agencies.max)) continue;
      yield* this.partSlices(p);
    }
  }

  /** The sha256 of every report, indexed by report key, without building the report rows. */
  reportSha256(): string[] {
    if (this.reportRows) return this.reportRows.map((r) => r.sha256);
    if (!this.manifest.reports) return [];
    const t = tableFromIPC(readFileSync(join(this.storeDir, this.manifest.reports)));
    const keys = t.getChild('key')!;
    const sha = t.getChild('sha256')!;
    const out = new Array<string>(t.numRows);
    for (let i = 0; i < t.numRows; i++) out[keys.get(i) as number] = sha.get(i) as string;
    return out;
  }

  /** Metric keys present in the store. */
  metrics(): string[] {
    const s = new Set<string>();
    for (const p of this.manifest.values) for (const b of p.batches ?? []) s.add(b.metric);
    return [...s].sort();
  }

  narrative(): NarrativeRow[] {
    if (!this.narrativeRows) {
      this.narrativeRows = this.manifest.narrative.flatMap((p) => readObjectsFile(join(this.storeDir, p.file)) as unknown as NarrativeRow[]);
    }
    return this.narrativeRows;
  }

  checks(): CheckRow[] {
    const files = [...this.manifest.checks.map((p) => p.file), ...(this.manifest.crossYearChecks ? [this.manifest.crossYearChecks] : [])];
    return files.flatMap((f) => readObjectsFile(join(this.storeDir, f)) as unknown as CheckRow[]);
  }

  async close(): Promise<void> {
    for (const f of this.files.values()) await (await f).fh.close();
    this.files.clear();
  }
}

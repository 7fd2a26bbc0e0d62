// src/archive: the crawl's durable output (the pack archive of fetched bodies and fetch records, run reports, job history and queue); crawl writes it, the pipeline and the server read it.
//
// The raw archive: every fetched body stored once under its sha256, plus one
// metadata record per fetch. Append-only pack layout under <data>/archive/:
//   packs/<segment>.pack   blob bytes, appended back to back (each body once)
//   packs/<segment>.idx    one JSON line per blob: {"sha256","off","len"} into the .pack
//   packs/<segment>.rec    one JSON line per fetch (also 304s and blocks)
// A segment belongs to the one process that created it (exclusive create;
// name = time, pid, random), so appends never interleave across processes;
// it rolls over to a new segment at SEGMENT_MAX bytes. A fetch therefore costs
// positional writes to files already open, not new files and directories.
//
// Nothing in a segment is trusted blindly: a line that does not parse (a torn
// tail, or the zeros a machine crash can leave) is skipped, an index entry
// that reaches past its pack's end is ignored, and a blob is only returned if
// its bytes hash to its sha256. Writers never reopen an old segment, so a torn
// tail is simply never read as data.
//
// Archives written before the pack layout kept blobs/<aa>/<sha256> and
// records/<uu>/<urlhash>/<time>.json files; both are still read (fallback),
// and per-URL state files urls/<uu>/<urlhash>.json too.
// Writes are made durable a batch at a time by the archive's SyncBarrier.
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jsonLines, readRange, REF, SEGMENT_MAX, SegmentWriter, segmentName, sha256, statOrNull, type BlobLoc, type FetchRecord, type UrlState } from './archive-files.ts';
import { readJsonIfExists } from './atomic-file.ts';
import { SyncBarrier } from './durability.ts';

export { SEGMENT_MAX, sha256 } from './archive-files.ts';
export type { DocKind, FetchOutcome, FetchRecord, UrlState } from './archive-files.ts';

/**
 * The one way to read (and, for the crawler, write) the archive. Reads are
 * synchronous so the store's ingest and the server can use them directly.
 */
export class Archive {
  /** Makes the writes below durable, a batch at a time (the crawler calls `barrier.sync()` before journaling). */
  readonly barrier: SyncBarrier;
  private readonly packDir: string;
  /** sha256 → where its bytes are; filled from the segments' index logs on first use, then kept current. */
  private index?: Map<string, BlobLoc>;
  /**
   * Other places the same sha256 was indexed (a blob rewritten after a torn
   * copy). Segment names order only to the second, so the entry read last is
   * not always the good one: a failed check falls back to these.
   */
  private readonly alternates = new Map<string, BlobLoc[]>();
  /** Per index log read so far: bytes consumed (complete lines only). */
  private readonly idxRead = new Map<string, number>();
  private lastRefresh = 0;
  /** Blob writes in flight, so a read of the same blob waits for its bytes. */
  private readonly pendingBlobs = new Map<string, Promise<void>>();
  private writer?: SegmentWriter;
  private readonly writers: SegmentWriter[] = [];
  /** Record lines reserved by recordPath() and not yet written. */
  private readonly reserved = new Map<string, Buffer>();

  private readonly segmentMax: number;
  /** Whether a legacy blobs/ directory exists (checked on first lookup). */
  private legacyBlobs?: boolean;

  /** `segmentMax`: roll over to a new segment past this many bytes (tests use small ones). */
  constructor(readonly root: string, opts: { segmentMax?: number } = {}) {
    this.segmentMax = opts.segmentMax ?? SEGMENT_MAX;
    this.barrier = new SyncBarrier([root]);
    this.packDir = path.join(root, 'packs');
  }

  // ---- reading ---------------------------------------------------------

  private loaded(): Map<string, BlobLoc> {
    if (!this.index) {
      this.index = new Map();
      this.refresh();
    }
    return this.index;
  }

  /** Read index lines appended since the last look (by any process); a later entry for a sha256 replaces an earlier one. */
  refresh(): void {
    const index = this.index ?? (this.index = new Map());
    this.lastRefresh = Date.now();
    let names: string[];
    try {
      names = readdirSync(this.packDir).filter((n) => n.endsWith('.idx')).sort();
    } catch {
      return;
    }
    const own = new Set(this.writers.map((w) => w.name));
    for (const n of names) {
      const seg = n.slice(0, -4);
      if (own.has(seg)) continue;
      const file = path.join(this.packDir, n);
      const from = this.idxRead.get(n) ?? 0;
      const st = statOrNull(file);
      if (!st || st.size <= from) continue;
      const buf = readRange(file, from, st.size - from);
      if (!buf) continue;
      const end = buf.lastIndexOf(0x0a) + 1; // a tail without its newline may still be being written
      if (!end) continue;
      this.idxRead.set(n, from + end);
      const packSize = statOrNull(path.join(this.packDir, `${seg}.pack`))?.size ?? 0;
      for (const e of jsonLines(buf.toString('utf8', 0, end))) {
        const { sha256: h, off, len } = (e ?? {}) as { sha256?: unknown; off?: unknown; len?: unknown };
        if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h) || !Number.isSafeInteger(off) || !Number.isSafeInteger(len)) continue;
        if ((off as number) < 0 || (len as number) < 0 || (off as number) + (len as number) > packSize) continue; // past the pack's end: torn
        const prev = index.get(h);
        if (prev) this.alternates.set(h, [...(this.alternates.get(h) ?? []), prev]);
        index.set(h, { seg, off: off as number, len: len as number, verified: false });
      }
    }
  }

  /** Legacy blob file path (archives written before the pack layout). */
  blobPath(hash: string): string {
    return path.join(this.root, 'blobs', hash.slice(0, 2), hash);
  }

  private locate(hash: string): BlobLoc | undefined {
    const index = this.loaded();
    let loc = index.get(hash);
    if (!loc && Date.now() - this.lastRefresh > 1000) {
      // Another process may have appended it since (a crawl while the server runs).
      this.refresh();
      loc = index.get(hash);
    }
    // Only archives from before the pack layout have a blobs/ directory (nothing writes one now), so look for it once.
    this.legacyBlobs ??= existsSync(path.join(this.root, 'blobs'));
    if (!loc && this.legacyBlobs && existsSync(this.blobPath(hash))) loc = { seg: '', off: 0, len: -1, verified: false };
    return loc;
  }

  /** Whether the archive holds a blob under this sha256 (its bytes are checked when read). */
  hasBlob(hash: string): boolean {
    return this.locate(hash) !== undefined;
  }

  /** The blob's bytes if present and intact (they hash to `hash`), else undefined. */
  readBlob(hash: string): Buffer | undefined {
    const loc = this.locate(hash);
    if (!loc) return undefined;
    const bytes = this.readAt(hash, loc);
    if (bytes) return bytes;
    // The entry found first may be a torn copy; another segment may hold the intact one.
    for (const alt of [...(this.alternates.get(hash) ?? [])].reverse()) {
      const b = this.readAt(hash, alt);
      if (b) {
        this.index?.set(hash, alt);
        return b;
      }
    }
    return undefined;
  }

  /** The bytes at one indexed place, if they hash to `hash`. */
  private readAt(hash: string, loc: BlobLoc): Buffer | undefined {
    let bytes: Buffer | undefined;
    if (loc.seg) bytes = readRange(path.join(this.packDir, `${loc.seg}.pack`), loc.off, loc.len);
    else {
      try {
        bytes = readFileSync(this.blobPath(hash));
      } catch {
        bytes = undefined;
      }
    }
    if (!bytes) return undefined;
    if (!loc.verified) {
      if (sha256(bytes) !== hash) return undefined;
      loc.verified = true;
    }
    return bytes;
  }

  /** A stable name for a blob (its content address; the legacy file path form), e.g. as a document's source path. */
  blobName(hash: string): string {
    return this.blobPath(hash);
  }

  /** Every fetch record: the pack segments' records logs in segment order, then legacy record files. */
  *records(): Generator<FetchRecord> {
    let names: string[] = [];
    try {
      names = readdirSync(this.packDir).filter((n) => n.endsWith('.rec')).sort();
    } catch {
      /* no packs yet */
    }
    for (const n of names) {
      let text: string;
      try {
        text = readFileSync(path.join(this.packDir, n), 'utf8');
      } catch {
        continue;
      }
      for (const r of jsonLines(text)) if (r && typeof r === 'object' && typeof (r as FetchRecord).key === 'string') yield r as FetchRecord;
    }
    const base = path.join(this.root, 'records');
    if (!existsSync(base)) return;
    for (const shard of readdirSync(base).sort()) {
      for (const k of readdirSync(path.join(base, shard)).sort()) {
        for (const n of readdirSync(path.join(base, shard, k)).sort()) {
          if (!n.endsWith('.json')) continue;
          try {
            yield JSON.parse(readFileSync(path.join(base, shard, k, n), 'utf8')) as FetchRecord;
          } catch {
            /* torn legacy record */
          }
        }
      }
    }
  }

  /** Every fetch record for a request key (the URL for GETs), oldest first. For tests and reports, not hot paths. */
  recordsFor(key: string): FetchRecord[] {
    return [...this.records()].filter((r) => r.key === key).sort((a, b) => (a.fetchedAt < b.fetchedAt ? -1 : a.fetchedAt > b.fetchedAt ? 1 : 0));
  }

  /** A record by its reference (see UrlState.record), if present and readable. */
  async readRecord(ref: string): Promise<FetchRecord | undefined> {
    const m = REF.exec(ref);
    if (!m) {
      try {
        return await readJsonIfExists<FetchRecord>(path.join(this.root, ref));
      } catch {
        return undefined; // torn by a crash of the machine before it was made durable
      }
    }
    const pending = this.reserved.get(ref);
    if (pending) return undefined; // reserved, never written
    const buf = readRange(path.join(this.packDir, `${m[1]}.rec`), Number(m[2]), Number(m[3]));
    if (!buf) return undefined;
    for (const r of jsonLines(buf.toString('utf8'))) if (r && typeof r === 'object' && typeof (r as FetchRecord).key === 'string') return r as FetchRecord;
    return undefined;
  }

  /** The file a record reference lives in. */
  recordFile(ref: string): string {
    const m = REF.exec(ref);
    return m ? path.join(this.packDir, `${m[1]}.rec`) : path.join(this.root, ref);
  }

  // ---- crawler side (async; waits for this process's writes in flight) -----

  async getBlob(hash: string): Promise<Buffer> {
    await this.pendingBlobs.get(hash);
    const b = this.readBlob(hash);
    if (!b) throw new Error(`blob ${hash} is not in the archive (or not intact)`);
    return b;
  }

  /** The blob's bytes if it is present and intact (hashes to its name), else undefined. */
  async verifiedBlob(hash: string): Promise<Buffer | undefined> {
    await this.pendingBlobs.get(hash)?.catch(() => undefined);
    return this.readBlob(hash);
  }

  /** Note a blob known to be in the archive (e.g. named by a durable URL state), so it is not checked again. */
  knowBlob(hash: string): void {
    const loc = this.loaded().get(hash);
    if (loc) loc.verified = true;
  }

  private segment(bytes: number, which: 'packOff' | 'recOff'): SegmentWriter {
    let w = this.writer;
    if (!w || (w[which] > 0 && w[which] + bytes > this.segmentMax)) {
      w = new SegmentWriter(segmentName(), this.packDir, this.barrier);
      this.writer = w;
      this.writers.push(w);
    }
    return w;
  }

  /**
   * Store bytes under their hash; a blob already present (and intact) is not
   * written again. Appends the bytes to the current segment's pack, then the
   * index line. Not durable until the next `barrier.sync()`.
   */
  async putBlob(bytes: Uint8Array, hash = sha256(bytes)): Promise<string> {
    const index = this.loaded();
    const pending = this.pendingBlobs.get(hash);
    if (pending) {
      await pending;
      return hash;
    }
    const loc = index.get(hash) ?? this.locate(hash);
    if (loc && (loc.verified || this.readBlob(hash))) return hash;
    const w = this.segment(bytes.length, 'packOff');
    const off = w.packOff;
    w.packOff += bytes.length;
    const line = Buffer.from(JSON.stringify({ sha256: hash, off, len: bytes.length }) + '\n');
    const idxOff = w.idxOff;
    w.idxOff += line.length;
    const write = (async () => {
      await w.write('pack', bytes, off);
      // The index line only after the bytes it points to.
      await w.write('idx', line, idxOff);
    })();
    this.pendingBlobs.set(hash, write);
    try {
      await write;
      index.set(hash, { seg: w.name, off, len: bytes.length, verified: true });
    } finally {
      this.pendingBlobs.delete(hash);
    }
    return hash;
  }

  /** Reserve a place for a fetch record in the current records log; returns its reference (relative to the root). */
  recordPath(rec: FetchRecord): string {
    const line = Buffer.from(JSON.stringify(rec) + '\n');
    const w = this.segment(line.length, 'recOff');
    const ref = `packs/${w.name}.rec#${w.recOff}+${line.length}`;
    w.recOff += line.length;
    this.reserved.set(ref, line);
    return ref;
  }

  /** Append one fetch record (at the place `recordPath` reserved); returns its reference. Not durable until the next `barrier.sync()`. */
  async putRecord(rec: FetchRecord, ref = this.recordPath(rec)): Promise<string> {
    const m = REF.exec(ref);
    const line = this.reserved.get(ref);
    const w = m && this.writers.find((x) => x.name === m[1]);
    if (!m || !line || !w) throw new Error(`archive: record place ${ref} was not reserved by this process`);
    this.reserved.delete(ref);
    await w.write('rec', line, Number(m[2]));
    return ref;
  }

  /** Latest state in the per-URL files of older archives (read-only fallback). */
  async legacyUrlState(key: string): Promise<UrlState | undefined> {
    const k = sha256(key);
    try {
      return await readJsonIfExists<UrlState>(path.join(this.root, 'urls', k.slice(0, 2), `${k}.json`));
    } catch {
      return undefined;
    }
  }

  hasLegacyUrlStates(): Promise<boolean> {
    return fs.access(path.join(this.root, 'urls')).then(() => true, () => false);
  }

  /**
   * After a machine crash, what was written since the last barrier may be
   * missing, cut short or zeros. A torn record in a records log is never read
   * as data (it does not parse); a blob that does not hash to its name is
   * forgotten, so the refetch writes it again. Legacy files are removed.
   */
  async discardIfTorn(ref: string, hash: string | null): Promise<void> {
    if (!REF.test(ref)) {
      const file = path.join(this.root, ref);
      try {
        JSON.parse(await fs.readFile(file, 'utf8'));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') await fs.rm(file, { force: true });
      }
    }
    if (hash && !(await this.verifiedBlob(hash))) {
      this.loaded().delete(hash);
      await fs.rm(this.blobPath(hash), { force: true });
    }
  }

  /** A blob or record written by a killed process of this run: make it durable with the next batch. */
  adopt(ref: string, hash: string | null): void {
    this.barrier.wrote(this.recordFile(ref));
    if (!hash) return;
    const loc = this.loaded().get(hash);
    this.barrier.wrote(loc?.seg ? path.join(this.packDir, `${loc.seg}.pack`) : this.blobPath(hash));
    if (loc?.seg) this.barrier.wrote(path.join(this.packDir, `${loc.seg}.idx`));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pendingBlobs.values()]);
    await Promise.all(this.writers.map((w) => w.close()));
    this.writers.length = 0;
    this.writer = undefined;
  }
}

/** Open an archive for reading (`<data>/archive`): records(), readBlob(), hasBlob(). */
export function openArchive(root: string): Archive {
  return new Archive(root);
}

/** A blob's bytes as a plain Uint8Array copy (pdf.js refuses Node Buffers); throws if it is missing or not intact. */
export function readArchived(archive: Archive, hash: string): Uint8Array {
  const b = archive.readBlob(hash);
  if (!b) throw new Error(`archived blob ${hash} is missing or does not match its sha256`);
  return new Uint8Array(b);
}

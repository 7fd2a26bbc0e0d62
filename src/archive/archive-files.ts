// The archive's file-level pieces: record and state types, one process's
// segment writer (pack/idx/rec files written at reserved positions), and the
// tolerant readers (JSON lines that skip torn tails, bounded range reads).
// The Archive class (archive.ts) puts them together.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, promises as fs, readSync, statSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ensureDir } from './atomic-file.ts';
import type { SyncBarrier } from './durability.ts';

/** `image`: a picture in a report page's body, fetched so the page's table images can be read (its record names the page). */
export type DocKind = 'list' | 'report' | 'attachment' | 'robots' | 'image';
export type FetchOutcome = 'new' | 'changed' | 'unchanged' | 'blocked' | 'list';

export interface FetchRecord {
  /** Request identity: the URL for GET, "POST <url> <body>" for list APIs. */
  key: string;
  url: string;
  finalUrl: string;
  method: string;
  requestBody?: string;
  status: number;
  headers: Record<string, string>;
  fetchedAt: string;
  site: string;
  /** Title of the link on the list page that led here. */
  listTitle?: string;
  charset?: string;
  sha256: string | null;
  size: number;
  kind: DocKind;
  outcome: FetchOutcome;
  redirects: string[];
  /** Id of the crawl run, so a resumed run can tell its own fetches apart. */
  runId: string;
  /** The DOM of the page after a headless browser ran its scripts (not bytes a server sent); the raw page has its own record. */
  rendered?: boolean;
  /** For an image: the URL of the report page whose body shows it; `order` is its place among that page's images. */
  page?: string;
  order?: number;
}

/** Latest state of a URL: what the next conditional request sends, and where its last record is. */
export interface UrlState {
  key: string;
  url: string;
  sha256: string | null;
  etag?: string;
  lastModified?: string;
  fetchedAt: string;
  runId: string;
  /** Where the record is: "packs/<segment>.rec#<offset>+<length>", or a legacy record file's path, relative to the archive root. */
  record: string;
}

/** A segment rolls over once its pack or records log would pass this size. */
export const SEGMENT_MAX = 256 * 1024 * 1024;

export const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/** Where a blob is: a range of a segment's pack, or (seg = '') a legacy blob file. */
export interface BlobLoc {
  seg: string;
  off: number;
  len: number;
  /** Hashed and found intact (or written by this process). */
  verified: boolean;
}

type SegmentFile = 'pack' | 'idx' | 'rec';
interface QueuedWrite {
  data: Uint8Array;
  position: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Most buffers in one writev (Linux IOV_MAX is 1024). */
const MAX_IOV = 512;

/**
 * One segment this process writes: three files opened on first use,
 * positional writes at reserved offsets. Writes queued while one is in flight
 * go out together, one writev per contiguous run: a crawl with fifty fetches
 * finishing at once costs a few system calls, not three per fetch.
 */
export class SegmentWriter {
  packOff = 0;
  idxOff = 0;
  recOff = 0;
  private files?: Promise<Record<SegmentFile, FileHandle>>;
  private readonly queues: Record<SegmentFile, QueuedWrite[]> = { pack: [], idx: [], rec: [] };
  private readonly draining: Partial<Record<SegmentFile, Promise<void>>> = {};

  constructor(readonly name: string, private readonly dir: string, private readonly barrier: SyncBarrier) {}

  file(ext: SegmentFile): string {
    return path.join(this.dir, `${this.name}.${ext}`);
  }

  private open() {
    this.files ??= (async () => {
      await ensureDir(this.dir, this.barrier);
      // Exclusive create: a segment has exactly one writer.
      const [pack, idx, rec] = await Promise.all((['pack', 'idx', 'rec'] as const).map((e) => fs.open(this.file(e), 'wx')));
      for (const e of ['pack', 'idx', 'rec'] as const) this.barrier.wrote(this.file(e));
      return { pack, idx, rec };
    })();
    return this.files;
  }

  /** Resolves once `data` is written at `position` (not yet durable: see SyncBarrier). */
  write(ext: SegmentFile, data: Uint8Array, position: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queues[ext].push({ data, position, resolve, reject });
      if (!this.draining[ext]) this.startDrain(ext);
    });
  }

  private startDrain(ext: SegmentFile): void {
    this.draining[ext] = this.drain(ext).finally(() => {
      this.draining[ext] = undefined;
      // Queued between the drain's last look and now.
      if (this.queues[ext].length) this.startDrain(ext);
    });
  }

  private async drain(ext: SegmentFile): Promise<void> {
    let fh: FileHandle;
    try {
      fh = (await this.open())[ext];
    } catch (e) {
      for (const w of this.queues[ext].splice(0)) w.reject(e);
      return;
    }
    while (this.queues[ext].length) {
      const batch = this.queues[ext].splice(0).sort((a, b) => a.position - b.position);
      for (let i = 0; i < batch.length; ) {
        // A contiguous run (positions are reserved in order, but a reserved record may be written later).
        let j = i + 1;
        let end = batch[i].position + batch[i].data.length;
        while (j < batch.length && j - i < MAX_IOV && batch[j].position === end) end += batch[j++].data.length;
        const run = batch.slice(i, j);
        try {
          await writevAll(fh, run.map((w) => w.data), run[0].position);
          this.barrier.wrote(this.file(ext));
          for (const w of run) w.resolve();
        } catch (e) {
          for (const w of run) w.reject(e);
        }
        i = j;
      }
    }
  }

  async close(): Promise<void> {
    if (!this.files) return;
    await Promise.allSettled(Object.values(this.draining));
    const f = await this.files;
    await Promise.all([f.pack.close(), f.idx.close(), f.rec.close()]);
  }
}

/** writev until every byte is written (a short write continues where it stopped). */
async function writevAll(fh: FileHandle, bufs: Uint8Array[], position: number): Promise<void> {
  let total = 0;
  for (const b of bufs) total += b.length;
  let done = (await fh.writev(bufs, position)).bytesWritten;
  if (done === total) return;
  const all = Buffer.concat(bufs);
  while (done < total) done += (await fh.write(all, done, total - done, position + done)).bytesWritten;
}

export const segmentName = () => `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${process.pid}-${randomBytes(4).toString('hex')}`;
export const REF = /^packs\/([\w.-]+)\.rec#(\d+)\+(\d+)$/;

/** Lines of a log: complete lines only; leading NULs (a hole a crash left) stripped; lines that do not parse skipped. */
export function* jsonLines(text: string): Generator<unknown> {
  for (let line of text.split('\n')) {
    if (line.charCodeAt(0) === 0) line = line.replace(/^\0+/, '');
    if (!line) continue;
    try {
      yield JSON.parse(line) as unknown;
    } catch {
      /* torn: never read as data */
    }
  }
}

export function readRange(file: string, off: number, len: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = readSync(fd, buf, got, len - got, off + got);
      if (n === 0) return undefined; // shorter than the index says: torn
      got += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

export const statOrNull = (file: string): Stats | null => {
  try {
    return statSync(file);
  } catch {
    return null;
  }
};

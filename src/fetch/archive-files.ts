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

export type DocKind = 'list' | 'report' | 'attachment' | 'robots';
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

/** One segment this process writes: three files opened on first use, positional writes at reserved offsets. */
export class SegmentWriter {
  packOff = 0;
  idxOff = 0;
  recOff = 0;
  private files?: Promise<{ pack: FileHandle; idx: FileHandle; rec: FileHandle }>;

  constructor(readonly name: string, private readonly dir: string, private readonly barrier: SyncBarrier) {}

  file(ext: 'pack' | 'idx' | 'rec'): string {
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

  async write(ext: 'pack' | 'idx' | 'rec', data: Uint8Array, position: number): Promise<void> {
    const fh = (await this.open())[ext];
    let done = 0;
    while (done < data.length) done += (await fh.write(data, done, data.length - done, position + done)).bytesWritten;
    this.barrier.wrote(this.file(ext));
  }

  async close(): Promise<void> {
    if (!this.files) return;
    const f = await this.files;
    await Promise.all([f.pack.close(), f.idx.close(), f.rec.close()]);
  }
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

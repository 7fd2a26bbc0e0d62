// The raw archive: every fetched body stored once under its sha256, plus one
// metadata record per fetch. Layout under <data>/archive/:
//   blobs/<aa>/<sha256>                     the bytes, written once
//   records/<uu>/<urlhash>/<time>-<r>.json  one per fetch (also 304s and blocks)
// The latest state of each URL (validators for the next conditional request)
// is kept by the crawler per site (crawl/<site>/urls.json plus its journal);
// archives written before that kept it in urls/<uu>/<urlhash>.json, still read.
// All writes go through writeFileAtomic, so a killed crawl leaves no torn
// files; the archive's SyncBarrier makes them durable a batch at a time.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, writeFileAtomic } from './atomic-file.ts';
import { SyncBarrier } from './durability.ts';

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
  record: string;
}

let recordCounter = 0;

export const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

export class Archive {
  /** Blobs this process has written or seen, so a repeated body costs no filesystem call. */
  private readonly knownBlobs = new Set<string>();
  /** Makes the writes below durable, a batch at a time (the crawler calls `barrier.sync()` before journaling). */
  readonly barrier: SyncBarrier;

  constructor(readonly root: string) {
    this.barrier = new SyncBarrier([root]);
  }

  blobPath(hash: string): string {
    return path.join(this.root, 'blobs', hash.slice(0, 2), hash);
  }

  private urlKey(url: string): string {
    return sha256(url);
  }

  private urlStatePath(key: string): string {
    const k = this.urlKey(key);
    return path.join(this.root, 'urls', k.slice(0, 2), `${k}.json`);
  }

  /** Note a blob known to be in the archive (e.g. named by a durable URL state), so it is not checked again. */
  knowBlob(hash: string): void {
    this.knownBlobs.add(hash);
  }

  /**
   * Store bytes under their hash; a blob already present is not rewritten.
   * Not durable until the next `barrier.sync()`.
   */
  async putBlob(bytes: Uint8Array, hash = sha256(bytes)): Promise<string> {
    if (this.knownBlobs.has(hash)) return hash;
    const file = this.blobPath(hash);
    try {
      await fs.access(file);
    } catch {
      await writeFileAtomic(file, bytes, { barrier: this.barrier });
    }
    this.knownBlobs.add(hash);
    return hash;
  }

  async getBlob(hash: string): Promise<Buffer> {
    return fs.readFile(this.blobPath(hash));
  }

  /** The blob's bytes if it is present and intact (hashes to its name), else undefined. */
  async verifiedBlob(hash: string): Promise<Buffer | undefined> {
    try {
      const b = await this.getBlob(hash);
      return sha256(b) === hash ? b : undefined;
    } catch {
      return undefined;
    }
  }

  /** Latest state in the per-URL files of older archives (read-only fallback). */
  async legacyUrlState(key: string): Promise<UrlState | undefined> {
    try {
      return await readJsonIfExists<UrlState>(this.urlStatePath(key));
    } catch {
      return undefined;
    }
  }

  hasLegacyUrlStates(): Promise<boolean> {
    return fs.access(path.join(this.root, 'urls')).then(() => true, () => false);
  }

  /** A new record's path relative to the root (unique: time, pid, counter). */
  recordPath(rec: FetchRecord): string {
    const k = this.urlKey(rec.key);
    const name = `${rec.fetchedAt.replace(/[:.]/g, '-')}-${process.pid}-${(recordCounter++).toString(36)}.json`;
    return path.join('records', k.slice(0, 2), k, name);
  }

  /** Write one fetch record; returns its path relative to the archive root. Not durable until the next `barrier.sync()`. */
  async putRecord(rec: FetchRecord, rel = this.recordPath(rec)): Promise<string> {
    await writeFileAtomic(path.join(this.root, rel), JSON.stringify(rec, null, 1), { barrier: this.barrier });
    return rel;
  }

  /**
   * After a machine crash, files written since the last barrier may be empty
   * or cut short: remove the record at `rel` if it does not parse, and the
   * blob `hash` if it does not hash to its name, so that neither is read or
   * trusted (the fetch is repeated and writes them again).
   */
  async discardIfTorn(rel: string, hash: string | null): Promise<void> {
    const file = path.join(this.root, rel);
    try {
      JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') await fs.rm(file, { force: true });
    }
    if (hash && !(await this.verifiedBlob(hash))) {
      await fs.rm(this.blobPath(hash), { force: true });
      this.knownBlobs.delete(hash);
    }
  }

  /** A record by its path relative to the root, if present and readable. */
  async readRecord(rel: string): Promise<FetchRecord | undefined> {
    try {
      return await readJsonIfExists<FetchRecord>(path.join(this.root, rel));
    } catch {
      return undefined; // torn by a crash of the machine before it was made durable
    }
  }

  /** Every fetch record for a request key (the URL for GETs), oldest first. */
  async records(key: string): Promise<FetchRecord[]> {
    const k = this.urlKey(key);
    const dir = path.join(this.root, 'records', k.slice(0, 2), k);
    let names: string[];
    try {
      names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return [];
    }
    return Promise.all(names.map(async (n) => JSON.parse(await fs.readFile(path.join(dir, n), 'utf8')) as FetchRecord));
  }

  /** All records in the archive (walks the tree; for reports and tests, not hot paths). */
  async allRecords(): Promise<FetchRecord[]> {
    const out: FetchRecord[] = [];
    const base = path.join(this.root, 'records');
    let shards: string[] = [];
    try {
      shards = await fs.readdir(base);
    } catch {
      return out;
    }
    for (const shard of shards) {
      for (const k of await fs.readdir(path.join(base, shard))) {
        for (const n of await fs.readdir(path.join(base, shard, k))) {
          if (n.endsWith('.json')) out.push(JSON.parse(await fs.readFile(path.join(base, shard, k, n), 'utf8')) as FetchRecord);
        }
      }
    }
    return out;
  }
}

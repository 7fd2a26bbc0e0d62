// The raw archive: every fetched body stored once under its sha256, plus one
// metadata record per fetch, plus a per-URL "latest" entry that carries the
// validators (ETag, Last-Modified) for the next conditional request. Layout
// under <data>/archive/:
//   blobs/<aa>/<sha256>                     the bytes, written once
//   records/<uu>/<urlhash>/<time>-<r>.json  one per fetch (also 304s and blocks)
//   urls/<uu>/<urlhash>.json                latest state of the URL
// All writes go through writeFileAtomic, so a killed crawl leaves no torn files.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, writeFileAtomic } from './atomic-file.ts';

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

  constructor(readonly root: string) {}

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

  /** Store bytes under their hash; a blob already present is not rewritten. */
  async putBlob(bytes: Uint8Array): Promise<string> {
    const hash = sha256(bytes);
    if (this.knownBlobs.has(hash)) return hash;
    const file = this.blobPath(hash);
    try {
      await fs.access(file);
    } catch {
      await writeFileAtomic(file, bytes);
    }
    this.knownBlobs.add(hash);
    return hash;
  }

  async getBlob(hash: string): Promise<Buffer> {
    return fs.readFile(this.blobPath(hash));
  }

  async urlState(key: string): Promise<UrlState | undefined> {
    return readJsonIfExists<UrlState>(this.urlStatePath(key));
  }

  /** Write the fetch record, then the URL's latest state (the state is what resume trusts). */
  async putRecord(rec: FetchRecord, validators: { etag?: string; lastModified?: string } = {}): Promise<string> {
    const k = this.urlKey(rec.key);
    const name = `${rec.fetchedAt.replace(/[:.]/g, '-')}-${process.pid}-${(recordCounter++).toString(36)}.json`;
    const recFile = path.join(this.root, 'records', k.slice(0, 2), k, name);
    await writeFileAtomic(recFile, JSON.stringify(rec, null, 1));
    const prev = await this.urlState(rec.key);
    // A 304 or a block page must not erase the validators and hash of the good copy.
    const keepPrev = rec.outcome === 'unchanged' && rec.status === 304;
    const state: UrlState = {
      key: rec.key,
      url: rec.url,
      sha256: rec.outcome === 'blocked' ? (prev?.sha256 ?? null) : keepPrev ? (prev?.sha256 ?? rec.sha256) : rec.sha256,
      etag: rec.outcome === 'blocked' ? prev?.etag : (validators.etag ?? (keepPrev ? prev?.etag : undefined)),
      lastModified: rec.outcome === 'blocked' ? prev?.lastModified : (validators.lastModified ?? (keepPrev ? prev?.lastModified : undefined)),
      fetchedAt: rec.fetchedAt,
      runId: rec.runId,
      record: path.relative(this.root, recFile),
    };
    // The record above is durable; this state only indexes it (see writeFileAtomic).
    await writeFileAtomic(this.urlStatePath(rec.key), JSON.stringify(state), { durable: false });
    return recFile;
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

// The real hand-off: each new or changed document is parsed as soon as it is
// archived (so a parse failure shows up in the run report against its URL) and
// the parse is cached durably where the store's ingest looks for it; at the
// end of the run everything the run archived is ingested into the store in
// one commit. Ingesting "everything this run archived" rather than "what this
// process saw" covers documents fetched before a crash and resume.
import path from 'node:path';
import type { ParseMeta, ReportRecord } from '../parse/types.ts';
import { writeFileAtomic } from '../archive/atomic-file.ts';
import { readArchived, type Archive } from '../archive/archive.ts';
import { storeDirOf } from '../store/paths.ts';
import { archivedImages, ingestSources, parseCacheOf, parseKey, type Source } from './ingest.ts';
import { pageImages } from '../archive/page-images.ts';
import type { IngestTally, RunSink, SinkDocument, SinkFactory } from '../crawl/sink.ts';

export interface StoreSinkOptions {
  dataDir: string;
  /** Skip the store and only parse (e.g. when the store is not wanted). */
  ingest?: boolean;
  /** Per-document parse time limit; a document over it is skipped, the crawl goes on. */
  parseTimeoutMs?: number;
}

type Pool = { parseBytes(bytes: Uint8Array, meta: ParseMeta): Promise<ReportRecord>; close(): Promise<void> };

export class ParseStoreSink implements RunSink {
  private pool?: Pool;
  private version?: string;
  readonly parsed: Array<{ url: string; sha256: string; year: number | null; title: string | null }> = [];

  constructor(private readonly opts: StoreSinkOptions) {}

  /**
   * Parsing runs on a worker thread (src/parse/pool.ts) under a time limit, so
   * a document that hangs or crashes the parser costs that document only.
   */
  private async load(): Promise<{ pool: Pool; version: string }> {
    if (!this.pool || !this.version) {
      const [{ ParsePool }, { PARSER_VERSION }] = await Promise.all([import('../parse/pool.ts'), import('../parse/index.ts')]);
      this.pool = new ParsePool({ workers: 1, timeoutMs: this.opts.parseTimeoutMs ?? 60_000 });
      this.version = PARSER_VERSION;
    }
    return { pool: this.pool, version: this.version };
  }

  private cacheFile(sha: string, version: string): string {
    return path.join(parseCacheOf(this.opts.dataDir), sha.slice(0, 2), `${sha}.${version}.json`);
  }

  async accept(doc: SinkDocument): Promise<void> {
    const { pool, version } = await this.load();
    // pdf.js refuses Node Buffers: hand over a plain Uint8Array copy.
    const bytes = new Uint8Array(doc.bytes);
    const images = doc.images?.map((i) => ({ ...i, bytes: new Uint8Array(i.bytes) }));
    const record = await pool.parseBytes(bytes, { url: doc.finalUrl, contentType: doc.contentType, charset: doc.charset, ...(images?.length ? { images } : {}) });
    await writeFileAtomic(this.cacheFile(parseKey(doc.sha256, images), version), JSON.stringify(record));
    this.parsed.push({ url: doc.url, sha256: doc.sha256, year: record.year, title: record.title });
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }

  /** Ingest every report/attachment this run archived (new or changed) into the store. */
  async finish(archive: Archive, runIds: string[]): Promise<IngestTally> {
    if (this.opts.ingest === false) return null;
        const runs = new Set(runIds);
    const seen = new Set<string>();
    const sources: Source[] = [];
    const records = [...archive.records()].filter((r) => runs.has(r.runId));
    const images = pageImages(archive);
    // A page whose body images changed in this run is parsed again even if its own bytes did not.
    const picturesChanged = new Set(records.filter((r) => r.kind === 'image' && r.page && (r.outcome === 'new' || r.outcome === 'changed')).map((r) => r.page!));
    // A page rendered in the browser is parsed from its rendered DOM, not from the empty shell the server sent.
    const rendered = new Set(records.filter((r) => r.rendered).map((r) => r.url));
    for (const r of records) {
      if (!r.sha256 || (r.kind !== 'report' && r.kind !== 'attachment') || (!r.rendered && rendered.has(r.url))) continue;
      if ((r.outcome !== 'new' && r.outcome !== 'changed' && !picturesChanged.has(r.url)) || seen.has(r.sha256)) continue;
      seen.add(r.sha256);
      const hash = r.sha256;
      if (!archive.hasBlob(hash)) continue;
      const pictures = archivedImages(archive, images, r.url);
      sources.push({ kind: 'document' as const, path: archive.blobName(hash), url: r.finalUrl, contentType: r.headers['content-type'], charset: r.charset, read: () => readArchived(archive, hash), ...(pictures ? { images: pictures } : {}) });
    }
    if (!sources.length) return { added: 0, unchanged: 0, failed: 0 };
    const s = await ingestSources(sources, { storeDir: storeDirOf(this.opts.dataDir), cacheDir: parseCacheOf(this.opts.dataDir) });
    return { added: s.added, unchanged: s.unchanged, failed: s.failed.length };
  }
}

/** The crawl's sink factory: each site run parses into the store under `dataDir`. */
export function storeSinkFactory(dataDir: string): SinkFactory {
  return () => new ParseStoreSink({ dataDir });
}

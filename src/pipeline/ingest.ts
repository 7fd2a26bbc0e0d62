// src/pipeline: the one place that joins crawl → parse → store (the crawl's parse-and-store sink, ingesting files and the archive).
//
// From inputs to the store: files, directories, JSON/JSONL files of parsed
// records, and the crawler's raw archive (<data>/archive, read through
// openArchive in src/archive/archive.ts: packs, or older per-file blobs and records). Documents are
// parsed by src/parse (loaded at run time) unless a parse of the same bytes by
// the same parser version is cached or already in the store.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParseImage, ParseMeta, ReportRecord } from '../parse/types.ts';
import { openArchive, readArchived, type Archive } from '../archive/archive.ts';
import { pageImages, type ArchivedImage } from '../archive/page-images.ts';
import { crossYearHook } from '../query/cross-year.ts';
import { readJsonIfExists, writeFileDurable } from '../store/fsutil.ts';
import { StoreWriter } from '../store/writer.ts';

/** Where parses are cached under the --data directory, by sha256 and parser version. */
export const parseCacheOf = (data: string): string => join(data, 'cache', 'parse');

export interface Parser {
  parseDocument(bytes: Uint8Array, meta: ParseMeta): Promise<ReportRecord>;
  PARSER_VERSION: string;
}

/** The parser is another module's work; load it when present so the store can be built and tested without it. */
export async function loadParser(): Promise<Parser | null> {
  const url = new URL('../parse/index.ts', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  return (await import(url.href)) as Parser;
}

export type Source =
  | { kind: 'record'; record: ReportRecord; origin: string }
  | { kind: 'document'; path: string; url?: string; contentType?: string; charset?: string; read: () => Uint8Array; images?: () => ParseImage[] };

/**
 * The key a parse is cached under: the document's sha256, combined with its
 * images' when a page's body images were given to the parser (the same page
 * with a changed table image is another parse).
 */
export function parseKey(sha: string, images?: readonly { bytes: Uint8Array }[]): string {
  if (!images?.length) return sha;
  const h = createHash('sha256').update(sha);
  for (const i of images) h.update(createHash('sha256').update(i.bytes).digest('hex'));
  return h.digest('hex');
}

/** A report page's archived body images (src/archive/page-images.ts), read when the page is parsed. */
export function archivedImages(archive: Archive, images: Map<string, ArchivedImage[]>, pageUrl: string): (() => ParseImage[]) | undefined {
  const list = images.get(pageUrl);
  if (!list?.length) return undefined;
  return () => list.filter((i) => archive.hasBlob(i.sha256)).map((i) => ({ url: i.url, bytes: readArchived(archive, i.sha256), ...(i.contentType ? { contentType: i.contentType } : {}) }));
}

const isRecord = (x: unknown): x is ReportRecord =>
  typeof x === 'object' && x !== null && 'source' in x && 'values' in x && 'parser' in x;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Report and attachment bodies in a crawler archive, one per distinct sha256. */
export function archiveSources(root: string): Source[] {
  const seen = new Set<string>();
  const out: Source[] = [];
  const archive = openArchive(root);
  const images = pageImages(archive);
  for (const r of archive.records()) {
    if (!r.sha256 || (r.kind !== 'report' && r.kind !== 'attachment') || r.outcome === 'blocked' || seen.has(r.sha256)) continue;
    seen.add(r.sha256);
    const hash = r.sha256;
    if (!archive.hasBlob(hash)) continue;
    const pictures = archivedImages(archive, images, r.url);
    out.push({ kind: 'document', path: archive.blobName(hash), url: r.finalUrl ?? r.url, contentType: r.headers?.['content-type'], charset: r.charset, read: () => readArchived(archive, hash), ...(pictures ? { images: pictures } : {}) });
  }
  return out;
}

/** Expand CLI inputs: files, directories (recursively), archives, record files. */
export function discoverSources(inputs: string[]): Source[] {
  const out: Source[] = [];
  for (const input of inputs) {
    const p = resolve(input);
    if (!existsSync(p)) throw new Error(`no such file or directory: ${input}`);
    if (statSync(p).isDirectory()) {
      if (existsSync(join(p, 'packs')) || (existsSync(join(p, 'records')) && existsSync(join(p, 'blobs')))) {
        out.push(...archiveSources(p));
        continue;
      }
      for (const f of walk(p)) out.push(...fileSources(f));
    } else out.push(...fileSources(p));
  }
  return out;
}

function fileSources(path: string): Source[] {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.json') {
    const text = readFileSync(path, 'utf8');
    const items = ext === '.jsonl' ? text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown) : [JSON.parse(text) as unknown];
    const flat = items.flatMap((x) => (Array.isArray(x) ? x : [x]));
    if (flat.length && flat.every(isRecord)) return flat.map((record) => ({ kind: 'record', record, origin: path }));
  }
  // A plain Uint8Array copy: pdf.js refuses Node Buffers.
  return [{ kind: 'document', path, read: () => new Uint8Array(readFileSync(path)) }];
}

export interface IngestSummary {
  documents: number;
  added: number;
  unchanged: number;
  superseded: number;
  failed: { source: string; error: string }[];
  newValues: number;
  seconds: number;
  changed: boolean;
}

export interface IngestOptions {
  storeDir: string;
  /** Parse cache directory (<data>/cache/parse); parses are keyed by sha256 + parser version. */
  cacheDir?: string;
  parser?: Parser | null;
  partRows?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function ingestSources(sources: Source[], opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const parser = opts.parser === undefined ? await loadParser() : opts.parser;
  const writer = StoreWriter.open(opts.storeDir, { partRows: opts.partRows });
  const summary: IngestSummary = { documents: sources.length, added: 0, unchanged: 0, superseded: 0, failed: [], newValues: 0, seconds: 0, changed: false };
  try {
    let done = 0;
    for (const src of sources) {
      try {
        const record = src.kind === 'record' ? src.record : await parseCached(src, parser, writer, opts.cacheDir);
        if (record === 'unchanged') summary.unchanged++;
        else {
          const r = writer.add(record);
          if (r.status === 'unchanged') summary.unchanged++;
          else {
            summary.added++;
            if (r.superseded !== null) summary.superseded++;
          }
        }
      } catch (e) {
        summary.failed.push({ source: src.kind === 'record' ? src.origin : src.path, error: (e as Error).message });
      }
      opts.onProgress?.(++done, sources.length);
    }
    const c = await writer.commit(crossYearHook);
    summary.changed = c.changed;
    summary.newValues = c.newValues;
  } finally {
    writer.close();
  }
  summary.seconds = (performance.now() - t0) / 1000;
  return summary;
}

async function parseCached(
  src: Extract<Source, { kind: 'document' }>, parser: Parser | null, writer: StoreWriter, cacheDir?: string,
): Promise<ReportRecord | 'unchanged'> {
  if (!parser) throw new Error('the parser (src/parse/index.ts) is not available');
  const bytes = src.read();
  const sha = createHash('sha256').update(bytes).digest('hex');
  const images = src.images?.();
  // With images the store's "same bytes" test is not enough: the page may be the same and a picture not.
  if (!images?.length && writer.has(sha, parser.PARSER_VERSION)) return 'unchanged';
  const key = parseKey(sha, images);
  const cacheFile = cacheDir ? join(cacheDir, key.slice(0, 2), `${key}.${parser.PARSER_VERSION}.json`) : null;
  const cached = cacheFile ? readJsonIfExists<ReportRecord>(cacheFile) : null;
  if (cached) return cached;
  const record = await parser.parseDocument(bytes, { path: src.path, url: src.url, contentType: src.contentType, charset: src.charset, ...(images?.length ? { images } : {}) });
  if (cacheFile) writeFileDurable(cacheFile, JSON.stringify(record));
  return record;
}

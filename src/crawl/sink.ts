// Where new or changed documents go after they are archived. The crawler only
// knows these interfaces, so it can be tested alone; the pipeline
// (src/pipeline/store-sink.ts) plugs the parser and the store in behind them.
import type { Archive, DocKind } from '../archive/archive.ts';

export interface SinkDocument {
  bytes: Uint8Array;
  sha256: string;
  url: string;
  finalUrl: string;
  contentType?: string;
  /** Charset the HTTP header declared, if any (the parser does its own detection too). */
  charset?: string;
  site: string;
  listTitle?: string;
  kind: Exclude<DocKind, 'list' | 'robots' | 'image'>;
  change: 'new' | 'changed';
  /** The pictures of a report page's body (archived as records of kind "image"), for the parser's OCR. */
  images?: Array<{ url: string; bytes: Uint8Array; contentType?: string }>;
}

export interface DocumentSink {
  /**
   * Handle one document. Must be idempotent per sha256: a crawl resumed after
   * a crash may hand the same document over again. A throw is counted as a
   * "sink" error for that document and the crawl goes on.
   */
  accept(doc: SinkDocument): Promise<void>;
}

/** What a sink did with a run's documents once the run ended (null: nothing to ingest). */
export type IngestTally = { added: number; unchanged: number; failed: number } | null;

/** A sink for one site's run: accepts documents, then is closed and told which runs to finish. */
export interface RunSink extends DocumentSink {
  close(): Promise<void>;
  /** Called once after the crawl with the runs whose archived documents should be taken in. */
  finish(archive: Archive, runIds: string[]): Promise<IngestTally>;
}

/** Makes one RunSink per site run; absent, documents stay in the archive only (--no-parse). */
export type SinkFactory = () => RunSink;

/** Collects documents in memory (tests, benchmarks, --no-parse). */
export class MemorySink implements DocumentSink {
  readonly docs: SinkDocument[] = [];
  async accept(doc: SinkDocument): Promise<void> {
    this.docs.push(doc);
  }
}

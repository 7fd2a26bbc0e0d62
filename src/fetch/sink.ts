// Where new or changed documents go after they are archived. The crawler only
// knows this interface, so it can be tested alone; the `crawl` command plugs
// in the parser (and, once it exists, the store) behind it.
import type { DocKind } from './archive.ts';

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
  kind: Exclude<DocKind, 'list' | 'robots'>;
  change: 'new' | 'changed';
}

export interface DocumentSink {
  /**
   * Handle one document. Must be idempotent per sha256: a crawl resumed after
   * a crash may hand the same document over again. A throw is counted as a
   * "sink" error for that document and the crawl goes on.
   */
  accept(doc: SinkDocument): Promise<void>;
}

/** Collects documents in memory (tests, benchmarks, --no-parse). */
export class MemorySink implements DocumentSink {
  readonly docs: SinkDocument[] = [];
  async accept(doc: SinkDocument): Promise<void> {
    this.docs.push(doc);
  }
}

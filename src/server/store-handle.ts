// The server's view of the store: one StoreReader pinned to one generation,
// swapped for a new one when an ingest (crawl, schedule) writes a new
// manifest. The manifest is stat-ed at most once a second, so a busy server
// does not pay a syscall per request. Generation numbers feed the ETags, so
// a client's cached copy is valid exactly until the store changes.
import { statSync } from 'node:fs';
import { manifestPath } from '../store/manifest.ts';
import { StoreReader } from '../store/reader.ts';
import { ApiError } from './errors.ts';

export class StoreHandle {
  private reader: StoreReader | null = null;
  private mtime = -1;
  private checkedAt = 0;

  constructor(readonly storeDir: string, private readonly cacheMB = 256) {}

  /** The current reader; 503 when no store has been built yet. */
  get(): StoreReader {
    const now = Date.now();
    if (this.reader && now - this.checkedAt < 1000) return this.reader;
    this.checkedAt = now;
    let mtime: number;
    try {
      mtime = statSync(manifestPath(this.storeDir)).mtimeMs;
    } catch {
      throw new ApiError(503, 'no_store', 'no store yet: run `nianbao ingest` (or `nianbao start`, which builds one from the bundled samples)');
    }
    if (!this.reader || mtime !== this.mtime) {
      const old = this.reader;
      this.reader = StoreReader.open(this.storeDir, undefined, { cacheMB: this.cacheMB });
      this.mtime = mtime;
      // Requests still running on the old generation keep their reader a little longer.
      if (old) setTimeout(() => void old.close(), 30_000).unref();
    }
    return this.reader;
  }

  /** Generation and manifest time: part of every ETag (a store rebuilt from scratch restarts its generations). */
  tag(): string {
    return `g${this.get().manifest.generation}-${Math.round(this.mtime).toString(36)}`;
  }

  async close(): Promise<void> {
    await this.reader?.close();
    this.reader = null;
  }
}

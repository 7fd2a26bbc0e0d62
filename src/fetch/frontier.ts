// The persisted frontier: an append-only journal per site under
// <data>/crawl/<site>/frontier.jsonl. Every discovered request is journaled
// ("add") before it is fetched and marked "done" after its fetch record and
// follow-up links are safely written. A crawl killed with kill -9 replays the
// journal on restart and continues the same run; a torn last line (the kill
// landed mid-write) is ignored. Appends are group-committed (one write + one
// fdatasync for everything queued meanwhile) so durability costs little.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { DocKind } from './archive.ts';
import { writeFileAtomic } from './atomic-file.ts';

export interface FrontierItem {
  /** Request identity: the URL for GET, "POST <url> <body>" for POSTs. */
  key: string;
  url: string;
  kind: Exclude<DocKind, 'robots'>;
  method?: 'GET' | 'POST';
  body?: string;
  listTitle?: string;
  /** The page this was found on. */
  from?: string;
  /** For list pages: how to continue paginating after this page. */
  page?: { mode: 'index_n' | 'numbered' | 'json-api'; n: number };
}

type JournalEvent =
  | { e: 'run'; runId: string; site: string; startedAt: string }
  | { e: 'add'; item: FrontierItem }
  | { e: 'done'; key: string; outcome: string; doc?: boolean }
  | { e: 'end'; finishedAt: string };

export function requestKey(url: string, method: 'GET' | 'POST' = 'GET', body?: string): string {
  return method === 'GET' ? url : `POST ${url} ${body ?? ''}`;
}

export class Frontier {
  readonly items = new Map<string, FrontierItem>();
  readonly done = new Map<string, string>();
  /** Done keys that were report documents (for rebuilding a resumed run's report). */
  readonly docs = new Set<string>();
  /** List pages journaled in this run (the per-site cap on list pages counts these). */
  listCount = 0;
  runId = '';
  startedAt = '';
  resumed = false;
  private fh?: FileHandle;
  private queue: string[] = [];
  private flushing?: Promise<void>;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];

  private constructor(readonly file: string) {}

  /**
   * Open the site's journal. An unfinished run is resumed unless `fresh`;
   * otherwise a new run starts (the old journal is replaced atomically).
   */
  static async open(dir: string, site: string, opts: { fresh?: boolean; newRunId: () => string }): Promise<Frontier> {
    const f = new Frontier(path.join(dir, 'frontier.jsonl'));
    await fs.mkdir(dir, { recursive: true });
    let text = '';
    try {
      text = await fs.readFile(f.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const events: JournalEvent[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        events.push(JSON.parse(line) as JournalEvent);
      } catch {
        break; // torn tail from a kill mid-append: everything before it is intact
      }
    }
    const first = events[0];
    const ended = events.some((ev) => ev.e === 'end');
    if (!opts.fresh && first?.e === 'run' && !ended) {
      f.runId = first.runId;
      f.startedAt = first.startedAt;
      f.resumed = true;
      for (const ev of events) {
        if (ev.e === 'add') {
          f.items.set(ev.item.key, ev.item);
          if (ev.item.kind === 'list') f.listCount++;
        }
        else if (ev.e === 'done') {
          f.done.set(ev.key, ev.outcome);
          if (ev.doc) f.docs.add(ev.key);
        }
      }
      // Rewrite without the torn tail so new appends start on a clean line.
      await writeFileAtomic(f.file, events.map((ev) => JSON.stringify(ev) + '\n').join(''));
    } else {
      f.runId = opts.newRunId();
      f.startedAt = new Date().toISOString();
      await writeFileAtomic(f.file, JSON.stringify({ e: 'run', runId: f.runId, site, startedAt: f.startedAt }) + '\n');
    }
    f.fh = await fs.open(f.file, 'a');
    return f;
  }

  pending(): FrontierItem[] {
    return [...this.items.values()].filter((i) => !this.done.has(i.key));
  }

  /** Journal new items; returns those not seen before in this run. */
  async add(items: FrontierItem[]): Promise<FrontierItem[]> {
    const fresh: FrontierItem[] = [];
    for (const it of items) {
      if (this.items.has(it.key)) continue;
      this.items.set(it.key, it);
      if (it.kind === 'list') this.listCount++;
      fresh.push(it);
    }
    if (fresh.length) await this.append(fresh.map((item) => ({ e: 'add', item })));
    return fresh;
  }

  async markDone(key: string, outcome: string, doc = false): Promise<void> {
    this.done.set(key, outcome);
    if (doc) this.docs.add(key);
    await this.append([{ e: 'done', key, outcome, ...(doc ? { doc } : {}) }]);
  }

  async end(): Promise<void> {
    await this.append([{ e: 'end', finishedAt: new Date().toISOString() }]);
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.fh?.close();
    this.fh = undefined;
  }

  private append(events: JournalEvent[]): Promise<void> {
    for (const ev of events) this.queue.push(JSON.stringify(ev) + '\n');
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length) {
      const data = this.queue.join('');
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      try {
        await this.fh!.write(data);
        await this.fh!.datasync();
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
    }
    this.flushing = undefined;
  }
}

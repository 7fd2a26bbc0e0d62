// The persisted frontier: an append-only journal per site under
// <data>/crawl/<site>/frontier.jsonl. Every discovered request is journaled
// ("add") before it is fetched. Before a fetch's blob and record are written,
// a "wrote" line names them (so a killed process can find them again); once a
// barrier has made them durable, a "done" line carrying the URL's new state
// marks the request finished. "done" lines are group-committed: they wait for
// a batch (up to BATCH_MAX lines or BATCH_WINDOW_MS, or until the crawl has
// nothing else to do), then one barrier (the archive's SyncBarrier), one
// write and one fdatasync cover the whole batch. A crawl killed with kill -9
// replays the journal on restart and continues the same run; a torn last line
// (the kill landed mid-write) is ignored. See docs/crawling.md, "Durability".
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { DocKind, UrlState } from '../archive/archive.ts';
import { writeFileAtomic } from '../archive/atomic-file.ts';

export interface FrontierItem {
  /** Request identity: the URL for GET, "POST <url> <body>" for POSTs. */
  key: string;
  url: string;
  kind: Exclude<DocKind, 'robots'>;
  method?: 'GET' | 'POST';
  body?: string;
  /** Content-Type of the body when it is not a form (a JSON list API). */
  contentType?: string;
  listTitle?: string;
  /** The page this was found on. */
  from?: string;
  /** For list pages: how to continue paginating after this page. */
  page?: { mode: 'index_n' | 'numbered' | 'json-api'; n: number };
}

type JournalEvent =
  | { e: 'run'; runId: string; site: string; startedAt: string }
  | { e: 'add'; item: FrontierItem }
  | { e: 'wrote'; key: string; state: UrlState }
  | { e: 'done'; key: string; outcome: string; doc?: boolean; state?: UrlState }
  | { e: 'end'; finishedAt: string };

export function requestKey(url: string, method: 'GET' | 'POST' = 'GET', body?: string): string {
  return method === 'GET' ? url : `POST ${url} ${body ?? ''}`;
}

/** Most "done" lines one commit covers, and how long the first of them waits for others. */
export const BATCH_MAX = 512;
export const BATCH_WINDOW_MS = 200;

type Waiter = { resolve: () => void; reject: (e: unknown) => void };

export class Frontier {
  readonly items = new Map<string, FrontierItem>();
  readonly done = new Map<string, string>();
  /** Done keys that were report documents (for rebuilding a resumed run's report). */
  readonly docs = new Set<string>();
  /** URL states carried by the journal's "done" lines (durable: their blobs and records were synced first). */
  readonly doneStates = new Map<string, UrlState>();
  /** The journal's "wrote" lines without a "done": written before a crash, maybe not durable; verify before trusting. */
  readonly wrote = new Map<string, UrlState>();
  /** List pages journaled in this run (the per-site cap on list pages counts these). */
  listCount = 0;
  runId = '';
  startedAt = '';
  resumed = false;
  private fh?: FileHandle;
  private barrier: () => Promise<void> = async () => undefined;
  /** Lines that only need to be written (add, wrote). */
  private lines: string[] = [];
  private lineWaiters: Waiter[] = [];
  /** Lines that must follow a barrier and be fdatasynced (done, end). */
  private durable: string[] = [];
  private durableWaiters: Waiter[] = [];
  private commitDue = false;
  private timer?: NodeJS.Timeout;
  private writing?: Promise<void>;

  private constructor(readonly file: string) {}

  /**
   * Open the site's journal. An unfinished run is resumed unless `fresh`;
   * otherwise a new run starts (the old journal is replaced atomically).
   * `barrier` makes the archive's writes durable; it runs before each batch of "done" lines.
   */
  static async open(dir: string, site: string, opts: { fresh?: boolean; newRunId: () => string; barrier?: () => Promise<void> }): Promise<Frontier> {
    const f = new Frontier(path.join(dir, 'frontier.jsonl'));
    if (opts.barrier) f.barrier = opts.barrier;
    await fs.mkdir(dir, { recursive: true });
    // Read line by line, keeping only the state (not the events): a journal of
    // a million requests is replayed without holding its text or its events.
    let first: JournalEvent | undefined;
    let ended = false;
    const { goodBytes, size, needsNewline } = await readJournal(f.file, (ev) => {
      first ??= ev;
      if (ev.e === 'end') ended = true;
      else if (ev.e === 'add') {
        f.items.set(ev.item.key, ev.item);
        if (ev.item.kind === 'list') f.listCount++;
      } else if (ev.e === 'wrote') f.wrote.set(ev.key, ev.state);
      else if (ev.e === 'done') {
        // States the journal made durable, whether this run resumes or replaces it (they feed urls.json).
        if (ev.state) f.doneStates.set(ev.key, ev.state);
        // Fetches written but never marked done: recovered on resume, checked for torn files otherwise.
        f.wrote.delete(ev.key);
        f.done.set(ev.key, ev.outcome);
        if (ev.doc) f.docs.add(ev.key);
      }
    });
    const head = first as JournalEvent | undefined;
    if (!opts.fresh && head?.e === 'run' && !ended) {
      f.runId = head.runId;
      f.startedAt = head.startedAt;
      f.resumed = true;
      // Cut the torn tail so new appends start on a clean line.
      if (goodBytes < size) await fs.truncate(f.file, goodBytes);
      if (needsNewline) await fs.appendFile(f.file, '\n');
    } else {
      f.items.clear();
      f.done.clear();
      f.docs.clear();
      f.listCount = 0;
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
    if (fresh.length) await this.write(fresh.map((item) => ({ e: 'add', item })));
    return fresh;
  }

  /** Say where a fetch's record is about to be written (before writing it), so a resumed run can find it. */
  async noteWrite(key: string, state: UrlState): Promise<void> {
    await this.write([{ e: 'wrote', key, state }]);
  }

  /** Resolves once the barrier has made everything written before this call durable and the "done" line is on disk. */
  async markDone(key: string, outcome: string, doc = false, state?: UrlState): Promise<void> {
    this.done.set(key, outcome);
    if (doc) this.docs.add(key);
    await this.commitLine({ e: 'done', key, outcome, ...(doc ? { doc } : {}), ...(state ? { state } : {}) });
  }

  async end(): Promise<void> {
    const p = this.commitLine({ e: 'end', finishedAt: new Date().toISOString() });
    this.commitNow();
    await p;
  }

  /** Commit the "done" lines waiting now instead of at the end of the batch window (the crawl has nothing else to do). */
  commitNow(): void {
    if (!this.durable.length) return;
    this.commitDue = true;
    this.kick();
  }

  async close(): Promise<void> {
    this.commitNow();
    while (this.writing) await this.writing;
    clearTimeout(this.timer);
    await this.fh?.close();
    this.fh = undefined;
  }

  private write(events: JournalEvent[]): Promise<void> {
    for (const ev of events) this.lines.push(JSON.stringify(ev) + '\n');
    return new Promise((resolve, reject) => {
      this.lineWaiters.push({ resolve, reject });
      this.kick();
    });
  }

  private commitLine(ev: JournalEvent): Promise<void> {
    this.durable.push(JSON.stringify(ev) + '\n');
    const p = new Promise<void>((resolve, reject) => this.durableWaiters.push({ resolve, reject }));
    this.schedule();
    return p;
  }

  private schedule(): void {
    if (this.durable.length >= BATCH_MAX) {
      this.commitDue = true;
      this.kick();
    } else if (this.durable.length && !this.timer && !this.commitDue) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.commitNow();
      }, BATCH_WINDOW_MS);
    }
  }

  private kick(): void {
    if (!this.writing) this.writing = this.loop().finally(() => {
      this.writing = undefined;
      if (this.lines.length || this.commitDue) this.kick();
      else this.schedule();
    });
  }

  private async loop(): Promise<void> {
    while (this.lines.length || this.commitDue) {
      if (this.lines.length) {
        const data = this.lines.join('');
        const waiters = this.lineWaiters;
        this.lines = [];
        this.lineWaiters = [];
        try {
          await this.fh!.write(data);
          for (const w of waiters) w.resolve();
        } catch (e) {
          for (const w of waiters) w.reject(e);
        }
        continue;
      }
      this.commitDue = false;
      clearTimeout(this.timer);
      this.timer = undefined;
      const data = this.durable.join('');
      const waiters = this.durableWaiters;
      this.durable = [];
      this.durableWaiters = [];
      try {
        // Blobs, records and the journal's own earlier lines are durable before any "done" that relies on them.
        await this.barrier();
        await this.fh!.write(data);
        await this.fh!.datasync();
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
    }
  }
}

/**
 * Feed each journal line to `on`, in order, up to the first line that does not
 * parse (the torn tail of a kill mid-append, or a machine crash's zeros).
 * Returns how many bytes the good lines take, and the file's size.
 */
async function readJournal(file: string, on: (ev: JournalEvent) => void): Promise<{ goodBytes: number; size: number; needsNewline?: boolean }> {
  let fh: FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { goodBytes: 0, size: 0 };
    throw e;
  }
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.alloc(4 * 1024 * 1024);
    let carry = Buffer.alloc(0);
    let pos = 0;
    let good = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (!bytesRead) break;
      pos += bytesRead;
      const chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let at = 0;
      for (let nl = chunk.indexOf(0x0a, at); nl >= 0; nl = chunk.indexOf(0x0a, at)) {
        const line = chunk.toString('utf8', at, nl);
        if (line) {
          let ev: JournalEvent;
          try {
            ev = JSON.parse(line) as JournalEvent;
          } catch {
            return { goodBytes: good, size };
          }
          on(ev);
        }
        good += nl + 1 - at;
        at = nl + 1;
      }
      carry = Buffer.from(chunk.subarray(at));
    }
    // A last line without its newline: kept if it parses (only the newline was lost), else it is the torn tail.
    if (carry.length) {
      try {
        on(JSON.parse(carry.toString('utf8')) as JournalEvent);
        return { goodBytes: size, size, needsNewline: true };
      } catch {
        /* torn */
      }
    }
    return { goodBytes: good, size };
  } finally {
    await fh.close();
  }
}

// A pool of parse workers: documents parsed on every core, each under a
// time limit. A document that hangs or crashes its worker costs only that
// worker (terminated and replaced); the batch goes on.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { ParseMeta, ReportRecord } from './types.ts';
import { UnreadableDocumentError, type UnreadableReason } from './errors.ts';

export interface PoolOptions {
  workers?: number;
  /** Per-document time limit in milliseconds. */
  timeoutMs?: number;
}

interface Job {
  id: number;
  path?: string;
  bytes?: Uint8Array;
  meta: ParseMeta;
  resolve: (r: ReportRecord) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

export class ParsePool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  readonly timeoutMs: number;

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(1, opts.workers ?? availableParallelism());
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  parseFile(path: string, meta: ParseMeta = {}): Promise<ReportRecord> {
    return this.enqueue({ path, meta: { path, ...meta } });
  }

  parseBytes(bytes: Uint8Array, meta: ParseMeta = {}): Promise<ReportRecord> {
    return this.enqueue({ bytes, meta });
  }

  private enqueue(task: Omit<Job, 'id' | 'resolve' | 'reject'>): Promise<ReportRecord> {
    if (this.closed) return Promise.reject(new Error('the parse pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ ...task, id: this.nextId++, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(BOOT), job: null, timer: null };
    slot.worker.on('message', (msg: { id: number; record?: ReportRecord; error?: { reason: UnreadableReason; message: string } }) => {
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      this.finish(slot);
      if (msg.record) job.resolve(msg.record);
      else job.reject(new UnreadableDocumentError(msg.error!.reason, msg.error!.message));
      this.pump();
    });
    slot.worker.on('error', (err) => this.replace(slot, new UnreadableDocumentError('corrupt', `${this.name(slot.job)}: the parser crashed (${err.message})`)));
    slot.worker.on('exit', () => {
      if (slot.job) this.replace(slot, new UnreadableDocumentError('corrupt', `${this.name(slot.job)}: the parser exited unexpectedly`));
    });
    this.slots.push(slot);
    return slot;
  }

  private name(job: Job | null): string {
    return job?.meta.path ?? job?.meta.url ?? 'document';
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  /** Fail the slot's job, terminate its worker and start a fresh one. */
  private replace(slot: Slot, error: Error): void {
    const job = slot.job;
    this.finish(slot);
    this.slots = this.slots.filter((s) => s !== slot);
    slot.worker.removeAllListeners('exit');
    void slot.worker.terminate();
    job?.reject(error);
    this.pump();
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      const s = slot;
      s.timer = setTimeout(
        () => this.replace(s, new UnreadableDocumentError('timeout', `${this.name(job)}: parsing took longer than ${this.timeoutMs} ms; skipped`)),
        this.timeoutMs,
      );
      const transfer = job.bytes ? { id: job.id, bytes: job.bytes, meta: job.meta } : { id: job.id, path: job.path, meta: job.meta };
      s.worker.postMessage(transfer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the parse pool was closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}

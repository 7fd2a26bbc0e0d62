// A pool of parse workers: documents parsed on every core, each under a
// time limit. A document that hangs or crashes its worker costs only that
// worker (terminated and replaced); the batch goes on.
//
// Time limits (src/parse/limits.ts): the parse itself receives its deadline
// and a scan's OCR checks it between pages, so a long scan ends with an error
// that says how far it got. Before OCR starts the worker says how many pages
// it will read; the pool then allows `ocrPageMs` per page on top of the base
// limit (bounded by the page budget) and keeps a grace of one page beyond the
// parse's own deadline, so the parse's clear error comes first and a parser
// that hangs is still killed. One document per worker and one OCR page in
// flight per document: with single-threaded onnxruntime sessions
// (src/parse/ocr/models.ts), N workers use N cores.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { ParseMeta, ReportRecord } from './types.ts';
import { UnreadableDocumentError, type UnreadableReason } from './errors.ts';
import { DEFAULT_OCR_MAX_PAGES, DEFAULT_OCR_PAGE_S, DEFAULT_TIMEOUT_S } from './limits.ts';
import type { OcrPlanMessage, TaskLimits } from './worker.ts';

export interface PoolOptions {
  workers?: number;
  /** Per-document time limit in milliseconds (before any OCR allowance). */
  timeoutMs?: number;
  /** Time allowed per scanned page read by OCR, on top of timeoutMs. */
  ocrPageMs?: number;
  /** Scanned pages read at most per document. */
  ocrMaxPages?: number;
  /** Called when a worker starts reading a scan by OCR (which thread, how many pages): for tests and progress. */
  onOcrPlan?: (e: { path: string; pages: number; threadId: number }) => void;
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
  /** Scanned pages the current job is reading by OCR (0 before OCR or without it). */
  ocrPages: number;
}

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

export class ParsePool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  readonly timeoutMs: number;
  readonly ocrPageMs: number;
  readonly ocrMaxPages: number;
  private readonly onOcrPlan?: PoolOptions['onOcrPlan'];

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(1, opts.workers ?? availableParallelism());
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000;
    this.ocrPageMs = opts.ocrPageMs ?? DEFAULT_OCR_PAGE_S * 1000;
    this.ocrMaxPages = opts.ocrMaxPages ?? DEFAULT_OCR_MAX_PAGES;
    this.onOcrPlan = opts.onOcrPlan;
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
    const slot: Slot = { worker: new Worker(BOOT), job: null, timer: null, ocrPages: 0 };
    slot.worker.on('message', (msg: { id: number; record?: ReportRecord; error?: { reason: UnreadableReason; message: string } } | OcrPlanMessage) => {
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      if ('ocrPages' in msg) {
        this.allowOcr(slot, job, msg);
        return;
      }
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
    slot.ocrPages = 0;
  }

  /** Kill the job's worker at `ms` from now unless it answers first. */
  private arm(slot: Slot, job: Job, ms: number): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      const ocr = slot.ocrPages
        ? ` (${this.timeoutMs / 1000} s + ${slot.ocrPages} scanned page(s) × ${this.ocrPageMs / 1000} s for OCR, and it did not stop at its deadline)`
        : '';
      this.replace(slot, new UnreadableDocumentError('timeout', `${this.name(job)}: parsing took longer than its time limit${ocr || ` of ${this.timeoutMs / 1000} s`}; killed and skipped — raise --timeout if the document is just large`));
    }, Math.max(0, ms));
  }

  /** The worker is about to read `ocrPages` scanned pages: move the kill to the parse's extended deadline plus one page. */
  private allowOcr(slot: Slot, job: Job, msg: OcrPlanMessage): void {
    slot.ocrPages = msg.ocrPages;
    this.arm(slot, job, msg.deadline - Date.now() + Math.max(5_000, this.ocrPageMs));
    this.onOcrPlan?.({ path: this.name(job), pages: msg.ocrPages, threadId: msg.threadId });
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
      this.arm(s, job, this.timeoutMs);
      const limits: TaskLimits = { timeoutMs: this.timeoutMs, ocrPageMs: this.ocrPageMs, ocrMaxPages: this.ocrMaxPages };
      const transfer = job.bytes ? { id: job.id, bytes: job.bytes, meta: job.meta, limits } : { id: job.id, path: job.path, meta: job.meta, limits };
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

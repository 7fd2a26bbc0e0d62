// One parse worker: receives {id, path|bytes, meta, limits}, answers {id, record}
// or {id, error}, and, when a scan is about to be read by OCR, {id, ocrPages,
// deadline} so the pool's timer allows for it. Reading the file happens here
// too, so the main thread only schedules work.
import { parentPort, threadId } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import { parseDocument } from './index.ts';
import { UnreadableDocumentError } from './errors.ts';
import type { ParseMeta } from './types.ts';

/** The time limits of one task, as numbers (a function cannot cross postMessage). */
export interface TaskLimits {
  timeoutMs: number;
  ocrPageMs: number;
  ocrMaxPages: number;
}

export interface ParseTask {
  id: number;
  path?: string;
  bytes?: Uint8Array;
  meta: ParseMeta;
  limits?: TaskLimits;
}

/** What the worker tells the pool before OCR starts. */
export interface OcrPlanMessage {
  id: number;
  ocrPages: number;
  deadline: number;
  threadId: number;
}

parentPort?.on('message', async (task: ParseTask) => {
  try {
    const started = Date.now();
    const l = task.limits;
    const meta: ParseMeta = l
      ? {
        ...task.meta,
        limits: {
          deadline: started + l.timeoutMs,
          ocrMaxPages: l.ocrMaxPages,
          // The base limit plus an allowance per page to be read (the budget bounds it).
          onOcrPlan: (pages) => {
            const deadline = started + l.timeoutMs + pages * l.ocrPageMs;
            parentPort!.postMessage({ id: task.id, ocrPages: pages, deadline, threadId } satisfies OcrPlanMessage);
            return deadline;
          },
        },
      }
      : task.meta;
    const bytes = task.bytes ?? (await readFile(task.path!));
    const record = await parseDocument(bytes, meta);
    parentPort!.postMessage({ id: task.id, record });
  } catch (e) {
    const reason = e instanceof UnreadableDocumentError ? e.reason : 'corrupt';
    const message = e instanceof Error ? e.message : String(e);
    parentPort!.postMessage({ id: task.id, error: { reason, message } });
  }
});

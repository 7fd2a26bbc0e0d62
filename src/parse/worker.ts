// One parse worker: receives {id, path|bytes, meta}, answers {id, record} or
// {id, error}. Reading the file happens here too, so the main thread only
// schedules work.
import { parentPort } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import { parseDocument } from './index.ts';
import { UnreadableDocumentError } from './errors.ts';
import type { ParseMeta } from './types.ts';

export interface ParseTask {
  id: number;
  path?: string;
  bytes?: Uint8Array;
  meta: ParseMeta;
}

parentPort?.on('message', async (task: ParseTask) => {
  try {
    const bytes = task.bytes ?? (await readFile(task.path!));
    const record = await parseDocument(bytes, task.meta);
    parentPort!.postMessage({ id: task.id, record });
  } catch (e) {
    const reason = e instanceof UnreadableDocumentError ? e.reason : 'corrupt';
    const message = e instanceof Error ? e.message : String(e);
    parentPort!.postMessage({ id: task.id, error: { reason, message } });
  }
});

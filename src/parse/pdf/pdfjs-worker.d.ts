// pdfjs-dist ships no types for its worker bundle; we only hand the module
// object to pdfjs (globalThis.pdfjsWorker) to run the worker in-process.
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}

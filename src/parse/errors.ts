// Errors a format extractor throws when a document cannot be read at all.
// A typed `reason` lets the pipeline store *why* a document was skipped
// (and retry only what can change, e.g. a timeout) without parsing messages.

export type UnreadableReason =
  | 'corrupt'
  | 'encrypted'
  | 'image_only'
  | 'not_a_report'
  | 'unsupported_format'
  | 'too_large'
  | 'timeout';

export class UnreadableDocumentError extends Error {
  constructor(
    public reason: UnreadableReason,
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableDocumentError';
  }
}

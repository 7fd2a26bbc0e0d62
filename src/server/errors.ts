// The ONE place where failures become HTTP responses. Every route throws (or
// passes to next) an ApiError or any other error; `errorHandler` maps it to a
// status and the single JSON shape {"error":{"code","message"}}. Unknown
// errors become a generic 500: a stack trace or an internal path never leaves
// the server (it is logged instead).
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ArchivedCopyUnreadableError } from '../query/cell-positions.ts';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** 400 naming the parameter and what is wrong with it. */
export const badParam = (name: string, why: string): ApiError => new ApiError(400, 'bad_parameter', `parameter "${name}": ${why}`);
export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', what);

/** Errors thrown by the query layer whose message is safe and useful to show, keyed by how they read. */
const QUERY_ERRORS: { test: RegExp; param: string }[] = [
  { test: /^unknown metric /, param: 'metric' },
  { test: /^unknown region|^region ".*" is ambiguous/, param: 'region' },
];

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) return next(err);
  let e: ApiError;
  if (err instanceof ApiError) e = err;
  else if (err instanceof ArchivedCopyUnreadableError) e = new ApiError(422, 'unreadable_document', err.message);
  else if (err instanceof Error && QUERY_ERRORS.some((q) => q.test.test(err.message))) {
    e = badParam(QUERY_ERRORS.find((q) => q.test.test(err.message))!.param, err.message);
  } else if (isHttpError(err)) {
    // body-parser / express-rate-limit style errors carry their own status.
    e = new ApiError(err.status, err.status === 429 ? 'rate_limited' : err.status === 413 ? 'too_large' : 'bad_request', err.status < 500 ? err.message : 'internal error');
  } else {
    console.error(`[server] ${req.method} ${req.originalUrl}:`, err);
    e = new ApiError(500, 'internal', 'internal error');
  }
  res.status(e.status).set('Cache-Control', 'no-store').type('application/json').send(JSON.stringify({ error: { code: e.code, message: e.message } }));
};

function isHttpError(x: unknown): x is { status: number; message: string } {
  return typeof x === 'object' && x !== null && typeof (x as { status?: unknown }).status === 'number' && (x as { status: number }).status >= 400;
}

/** Any path nobody answered. */
export const notFoundHandler: RequestHandler = (req, _res, next) => next(notFound(`no such resource: ${req.method} ${req.path}`));

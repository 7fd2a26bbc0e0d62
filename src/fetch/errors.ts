// One error type for everything that can go wrong while fetching, so the
// crawler can count failures by kind and decide per kind whether to retry,
// skip the URL, or abort the whole run.

export type FetchErrorKind =
  | 'timeout' // connect, headers or body timeout: transient, retried
  | 'reset' // connection reset / closed before the response: transient, retried
  | 'truncated' // body shorter than Content-Length: transient, retried
  | 'refused' // connection refused: transient, retried
  | 'dns' // the host name does not resolve: not retried (a moved or mistyped site)
  | 'tls' // certificate not verifiable or handshake refused: not retried (the operator must act)
  | 'http_5xx' // server error: retried
  | 'http_429' // rate limited: retried after Retry-After
  | 'http_4xx' // client error other than 429: never retried
  | 'blocked' // an error status whose body is an anti-bot challenge or firewall notice: never retried, never bypassed
  | 'too_large' // body over the configured maximum: skipped
  | 'redirect_loop' // a redirect chain came back to a URL it already visited
  | 'too_many_redirects'
  | 'host_not_allowed' // host not named by a config or the command line
  | 'private_address' // resolves to a private/link-local address not explicitly allowed
  | 'robots_disallowed' // robots.txt Disallow
  | 'invalid_url'
  | 'render' // the headless browser failed, crashed or ran over its time limit on this page: retried in a later run
  | 'host_unavailable' // skipped without a request: the host failed too often in a row (see host-breaker.ts); retry later
  | 'network'; // anything else from the socket layer

/** What the caller should do about a failure. */
export type FetchAdvice = 'retry' | 'skip' | 'abort';

const RETRIABLE: ReadonlySet<FetchErrorKind> = new Set(['timeout', 'reset', 'truncated', 'refused', 'http_5xx', 'http_429', 'network']);
/** Not worth another attempt in this run, but in a later one. */
const LATER: ReadonlySet<FetchErrorKind> = new Set(['host_unavailable', 'render']);

export class FetchError extends Error {
  readonly kind: FetchErrorKind;
  readonly url: string;
  readonly status?: number;
  /** Server-requested wait (Retry-After) in ms, when it sent one. */
  readonly retryAfterMs?: number;

  constructor(kind: FetchErrorKind, url: string, message: string, opts: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(`${kind}: ${message} (${url})`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'FetchError';
    this.kind = kind;
    this.url = url;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }

  get retriable(): boolean {
    return RETRIABLE.has(this.kind);
  }

  /**
   * Retriable kinds are worth another attempt later; everything else is about
   * this one URL (skip it). Nothing a single URL does aborts a crawl.
   */
  get advice(): FetchAdvice {
    return this.retriable || LATER.has(this.kind) ? 'retry' : 'skip';
  }
}

/** Map an undici / Node socket error onto a kind. `phase` tells a reset from a truncation. */
export function classifySocketError(err: unknown, url: string, phase: 'connect' | 'headers' | 'body'): FetchError {
  if (err instanceof FetchError) return err;
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  const msg = e?.message ?? String(err);
  let kind: FetchErrorKind;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') kind = 'timeout';
  else if (code === 'ECONNREFUSED') kind = 'refused';
  else if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') kind = 'truncated';
  else if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') kind = phase === 'body' ? 'truncated' : 'reset';
  else if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') kind = 'too_large';
  else if (code === 'ENOTFOUND') kind = 'dns';
  else if (CERT_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) kind = 'tls';
  else kind = 'network';
  const advice = kind === 'tls' ? `; ${tlsAdvice(code)}` : kind === 'dns' ? '; the host name does not resolve: check the URL or whether the site moved' : '';
  return new FetchError(kind, url, `${msg}${code ? ` [${code}]` : ''} during ${phase}${advice}`, { cause: err });
}

/** OpenSSL's certificate verification failures, as Node reports them. */
const CERT_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED', 'INVALID_CA', 'HOSTNAME_MISMATCH', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
]);

function tlsAdvice(code: string): string {
  if (['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN'].includes(code)) {
    return 'the site\'s certificate chain does not lead to a trusted root (often a missing intermediate certificate, or a CA Node does not ship): add the missing certificate with --ca <pem> once you have checked it; verification is never turned off';
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'the site\'s certificate is out of date; skip it for now, or use its http:// address if it has one';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return 'the certificate is for another host name; check the URL (the www./bare twin?)';
  return 'the TLS connection could not be verified or negotiated (an old protocol or cipher?); skip it, or use its http:// address if it has one';
}

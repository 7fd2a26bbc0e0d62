// Fetching one document named on the command line (`nianbao parse <url>`).
// Crawling many is `nianbao crawl`'s job; this is a single polite GET with a
// time limit, a size limit and an identifying User-Agent.
import { UnreadableDocumentError } from '../parse/errors.ts';
import { MAX_DOCUMENT_BYTES } from '../parse/index.ts';
import { DEFAULT_USER_AGENT } from '../crawl/context.ts';

// The crawler's identifying User-Agent, overridable the same way.
const USER_AGENT = process.env.NIANBAO_USER_AGENT ?? DEFAULT_USER_AGENT;

export async function fetchDocument(url: string, timeoutMs = 30_000): Promise<{ bytes: Uint8Array; contentType?: string; charset?: string }> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { 'user-agent': USER_AGENT }, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (e) {
    throw new Error(`${url}: could not be fetched (${e instanceof Error ? e.message : String(e)}); retry later`);
  }
  if (!res.ok) throw new Error(`${url}: the server answered HTTP ${res.status}${res.status >= 500 ? '; retry later' : ''}`);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_DOCUMENT_BYTES) throw new UnreadableDocumentError('too_large', `${url}: ${length} bytes is over the limit`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const contentType = res.headers.get('content-type') ?? undefined;
  const charset = contentType ? /charset=([\w-]+)/i.exec(contentType)?.[1] : undefined;
  return { bytes, contentType, charset };
}

// The pictures in a report page's body, fetched so their tables can be read
// by OCR: many sites post a report's tables, or the whole scanned report, as
// images in the article. Which pictures are in the body is the parser's
// decision (the crawl may not import it: the pipeline passes it in as
// CrawlContext.bodyImages), so a page gets exactly the images the parser
// will look for. Each goes through the same polite client as every other
// request (robots.txt, per-host delay), conditionally, so an unchanged image
// costs a 304; only the site's own hosts, at most MAX_PAGE_IMAGES per page,
// at most MAX_IMAGE_BYTES each, and only bodies that are images. They are
// archived as records of kind "image" naming their page. One that fails is
// counted in the run report's `images.failed` (with a sample message), not
// among the crawl's errors: the page itself was read.
import { sha256, type FetchRecord, type UrlState } from '../archive/archive.ts';
import { FetchError } from '../fetch/errors.ts';
import type { CrawlContext } from './context.ts';
import type { RunReport } from './run-report.ts';

export const MAX_PAGE_IMAGES = 40;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

/** What the crawler lends this step: its archive, URL states and journal. */
export interface ImageHost {
  ctx: CrawlContext;
  site: string;
  runId: string;
  hosts: Set<string>;
  report: RunReport;
  urlState(key: string): Promise<UrlState | undefined>;
  /** Journal the state before the record is written, then keep it (as the crawler does for every fetch). */
  noteWrite(key: string, state: UrlState): Promise<void>;
  remember(key: string, state: UrlState): void;
  nextState(prev: UrlState | undefined, rec: FetchRecord, record: string): UrlState;
}

export interface PageImage {
  url: string;
  bytes: Uint8Array;
  contentType?: string;
  /** New or changed since the last crawl. */
  changed: boolean;
}

/** An image by its bytes' signature (servers send images as application/octet-stream too); SVG and icons are not read. */
function isImageBody(bytes: Uint8Array, contentType: string | undefined): boolean {
  if (/^image\/(svg|x-icon|vnd\.microsoft\.icon)/i.test(contentType ?? '')) return false;
  const b = bytes;
  return (b[0] === 0xff && b[1] === 0xd8) || (b[0] === 0x89 && b[1] === 0x50) || (b[0] === 0x47 && b[1] === 0x49) || (b[0] === 0x42 && b[1] === 0x4d)
    || (b[0] === 0x49 && b[1] === 0x49) || (b[0] === 0x4d && b[1] === 0x4d) || (b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57)
    || (b[4] === 0x66 && b[5] === 0x74 && b[6] === 0x79 && b[7] === 0x70); // ISO media "ftyp": AVIF/HEIF
}

export async function fetchPageImages(host: ImageHost, page: { url: string; finalUrl: string; bytes: Uint8Array; charset?: string }): Promise<PageImage[]> {
  const find = host.ctx.bodyImages;
  // The finder parses the page on the crawl's thread: a page this large is no article page.
  if (!find || page.bytes.length > MAX_PAGE_BYTES) return [];
  let urls: string[];
  try {
    urls = find(page.bytes, page.finalUrl, page.charset);
  } catch {
    return []; // not HTML the parser can read: it will say so itself
  }
  urls = [...new Set(urls)].filter((u) => /^https?:/i.test(u) && host.hosts.has(new URL(u).hostname)).slice(0, MAX_PAGE_IMAGES);
  if (urls.length === 0) return [];
  const { archive, fetcher } = host.ctx;
  const tally = (host.report.images ??= { new: 0, changed: 0, unchanged: 0, failed: 0 });
  // A picture that is gone or is not a picture costs the parse that picture only: counted here, not as a crawl error.
  const failed = (url: string, message: string) => {
    tally.failed++;
    if (host.report.errorSamples.length < 50) host.report.errorSamples.push({ url, kind: 'image', message });
  };
  const out: PageImage[] = [];
  for (const [order, url] of urls.entries()) {
    try {
      const state = await host.urlState(url);
      const conditional = state?.sha256 ? { etag: state.etag, lastModified: state.lastModified } : {};
      let res = await fetcher.fetch({ url, maxBytes: MAX_IMAGE_BYTES, ...conditional });
      const previous = res.notModified && state?.sha256 ? await archive.getBlob(state.sha256).catch(() => undefined) : undefined;
      if (res.notModified && !previous) res = await fetcher.fetch({ url, maxBytes: MAX_IMAGE_BYTES });
      const bytes = previous ?? res.body;
      const contentType = res.headers['content-type'];
      if (!isImageBody(bytes, contentType)) {
        failed(url, `a body image of ${page.url} is not an image (${contentType ?? 'no content type'}); not archived`);
        continue;
      }
      const hash = previous ? state!.sha256! : sha256(bytes);
      const outcome = previous || state?.sha256 === hash ? 'unchanged' : state?.sha256 ? 'changed' : 'new';
      const record: FetchRecord = {
        key: url, url, finalUrl: res.finalUrl, method: 'GET', status: res.status, headers: res.headers, fetchedAt: new Date().toISOString(), site: host.site,
        sha256: hash, size: bytes.length, kind: 'image', outcome, redirects: res.redirects, runId: host.runId, page: page.url, order,
      };
      const next = host.nextState(state, record, archive.recordPath(record));
      await host.noteWrite(url, next);
      if (!previous) {
        if (state?.sha256 === hash) archive.knowBlob(hash);
        await archive.putBlob(res.body, hash);
      }
      await archive.putRecord(record, next.record);
      host.remember(url, next);
      tally[outcome]++;
      out.push({ url, bytes: new Uint8Array(bytes), contentType, changed: outcome !== 'unchanged' });
    } catch (e) {
      failed(url, `body image of ${page.url}: ${e instanceof FetchError ? `${e.kind}: ` : ''}${(e as Error).message}`);
    }
  }
  return out;
}

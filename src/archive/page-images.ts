// The pictures archived for each report page (records of kind "image" that
// name their page), so a page can be parsed again offline with its table
// images. A crawl fetches all of a page's body images each time it reads
// the page (conditionally: an unchanged one costs a 304), so the page's
// newest run that fetched images holds its current set, in body order.
import type { Archive } from './archive.ts';
import type { FetchRecord } from './archive-files.ts';

/** `url` is the URL the page's body names (the request's, not where a redirect ended), which is what the parser matches. */
export interface ArchivedImage {
  url: string;
  sha256: string;
  contentType?: string;
}

/** Page URL → its images as of the newest run that fetched them. */
export function pageImages(archive: Archive): Map<string, ArchivedImage[]> {
  const newest = new Map<string, { runId: string; fetchedAt: string; recs: FetchRecord[] }>();
  for (const r of archive.records()) {
    if (r.kind !== 'image' || !r.page || !r.sha256) continue;
    const cur = newest.get(r.page);
    if (!cur || (cur.runId !== r.runId && r.fetchedAt > cur.fetchedAt)) newest.set(r.page, { runId: r.runId, fetchedAt: r.fetchedAt, recs: [r] });
    else if (cur.runId === r.runId) cur.recs.push(r);
  }
  const out = new Map<string, ArchivedImage[]>();
  for (const [page, { recs }] of newest) {
    const byUrl = new Map<string, FetchRecord>();
    for (const r of recs) byUrl.set(r.url, r); // a resumed run may have fetched one twice: the last one
    const list = [...byUrl.values()].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    out.set(page, list.map((r) => ({ url: r.url, sha256: r.sha256!, contentType: r.headers?.['content-type'] })));
  }
  return out;
}

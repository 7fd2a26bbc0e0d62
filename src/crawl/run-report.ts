// Making a run report while a crawl runs (counters, error samples) and
// printing it as plain lines; the record itself is archive/run-records.ts.
import type { RunReport } from '../archive/run-records.ts';

export type { RunReport } from '../archive/run-records.ts';

export function emptyReport(site: string, runId: string, startedAt: string, resumed: boolean): RunReport {
  return {
    runId, site, startedAt, finishedAt: '', resumed, requests: 0, pagesFetched: 0, listPages: 0,
    reports: { new: 0, changed: 0, unchanged: 0 }, recovered: 0, blocked: 0, blockedUrls: [], errors: {}, errorSamples: [],
    robots: [], reportUrls: [], handedOn: 0,
  };
}

export function countError(r: RunReport, url: string, kind: string, message: string): void {
  r.errors[kind] = (r.errors[kind] ?? 0) + 1;
  if (r.errorSamples.length < 50) r.errorSamples.push({ url, kind, message });
}

/** A page recorded as blocked (a 200 block page or an error status with a challenge page): counted, never parsed. */
export function countBlocked(r: RunReport, url: string): void {
  r.blocked++;
  r.blockedUrls.push(url);
}

export function formatReport(r: RunReport): string {
  const errs = Object.entries(r.errors).map(([k, n]) => `${k}=${n}`).join(' ') || 'none';
  const lines = [
    `site ${r.site} run ${r.runId}${r.resumed ? ' (resumed)' : ''}: ${r.startedAt} → ${r.finishedAt}`,
    `  fetched ${r.pagesFetched} (lists ${r.listPages}), requests ${r.requests}, recovered from archive ${r.recovered}`,
    `  reports: new ${r.reports.new}, changed ${r.reports.changed}, unchanged ${r.reports.unchanged}; handed on ${r.handedOn}`,
    `  blocked ${r.blocked}; errors: ${errs}`,
  ];
  if (r.images) lines.push(`  body images: new ${r.images.new}, changed ${r.images.changed}, unchanged ${r.images.unchanged}, failed ${r.images.failed}`);
  if (r.rendered) {
    const rd = r.rendered;
    lines.push(`  rendered ${rd.pages} page(s) in the browser (${Math.round(rd.ms / 1000)} s, ${rd.requests} requests through the polite client, ${rd.failures} failed)${rd.browser ? `; browser ${rd.browser}` : ''}`);
  }
  for (const a of r.listApis ?? []) {
    const paging = a.pageParam ? `paged by ${a.pageParam}${a.pageValues ? ` = ${a.pageValues.join(', ')}` : ''}` : 'page parameter not seen';
    lines.push(`  list API ${a.method} ${a.url} (from ${a.page}): ${a.links} links in ${a.itemsPath}[].${a.titleField}/${a.urlField}, ${paging}; --suggest-config writes a config that calls it`);
  }
  for (const rb of r.robots) {
    lines.push(`  robots ${rb.origin}: ${rb.status}${rb.crawlDelaySec ? `, Crawl-delay ${rb.crawlDelaySec}s` : ''}, delay ${rb.effectiveDelayMs} ms, disallowed ${rb.disallowed.length}`);
  }
  return lines.join('\n');
}

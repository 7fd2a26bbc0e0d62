// What one crawl run did, in numbers a person or a script can act on. The same
// object is printed as plain lines, shown as a progress bar on a terminal, and
// emitted as JSON with --json.
import type { RobotsRecord } from './robots.ts';

export interface RunReport {
  runId: string;
  site: string;
  startedAt: string;
  finishedAt: string;
  resumed: boolean;
  /** HTTP attempts made (including retries and robots.txt). */
  requests: number;
  /** Successful fetches (2xx and 304) by this process (a resumed run counts only its own). */
  pagesFetched: number;
  listPages: number;
  /** Report documents (report pages that carry the report, and attachments). */
  reports: { new: number; changed: number; unchanged: number };
  /** Fetches this run recovered from the archive after a crash instead of refetching. */
  recovered: number;
  blocked: number;
  blockedUrls: string[];
  /** Failures by kind (timeout, http_5xx, robots_disallowed, sink …). */
  errors: Record<string, number>;
  errorSamples: Array<{ url: string; kind: string; message: string }>;
  robots: RobotsRecord[];
  /** Report URLs found (report pages and attachments), for checking coverage. */
  reportUrls: string[];
  /** Documents handed to the sink (parser/store). */
  handedOn: number;
}

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
  for (const rb of r.robots) {
    lines.push(`  robots ${rb.origin}: ${rb.status}${rb.crawlDelaySec ? `, Crawl-delay ${rb.crawlDelaySec}s` : ''}, delay ${rb.effectiveDelayMs} ms, disallowed ${rb.disallowed.length}`);
  }
  return lines.join('\n');
}

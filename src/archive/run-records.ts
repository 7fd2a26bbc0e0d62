// The record of one crawl run, as the crawler writes it to
// <data>/crawl/<site>/runs/<runId>.json when the run ends: what it fetched,
// found, handed on and failed on. The data-quality API reads them back.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RobotsRecord } from '../fetch/robots.ts';

/** Where a site's crawl state (frontier, runs, lock) lives under the data directory. */
export const crawlDirOf = (dataDir: string, site?: string): string => (site ? join(dataDir, 'crawl', site) : join(dataDir, 'crawl'));

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
  /** Pages rendered in the headless browser, and what that cost (absent when nothing was rendered). */
  rendered?: { pages: number; failures: number; ms: number; requests: number; browser?: string };
  /** List APIs whose JSON/XML responses gave report links during rendering: enough to configure the site without a browser (`crawl --suggest-config`). */
  listApis?: ListApi[];
  /** Pictures in report pages' bodies fetched for OCR (absent when there were none). */
  images?: { new: number; changed: number; unchanged: number; failed: number };
}

/** A list endpoint seen while rendering, described as a json-api pagination would use it. */
export interface ListApi {
  /** The list page whose scripts called it. */
  page: string;
  url: string;
  method: 'GET' | 'POST';
  /** Query or form parameters (GET / form POST), or the JSON request body (POST with a JSON body). */
  params?: Record<string, string>;
  jsonBody?: unknown;
  /** Dotted path of the parameter that changed between pages (absent: only one page was seen). */
  pageParam?: string;
  pageValues?: number[];
  sizeParam?: string;
  pageSize?: number;
  itemsPath: string;
  titleField: string;
  urlField: string;
  totalPath?: string;
  links: number;
}

/** Every site's run reports under <data>/crawl/<site>/runs, oldest first. */
export function readRunReports(dataDir: string): Map<string, RunReport[]> {
  const out = new Map<string, RunReport[]>();
  const root = crawlDirOf(dataDir);
  if (!existsSync(root)) return out;
  for (const site of readdirSync(root)) {
    const dir = join(root, site, 'runs');
    if (!existsSync(dir)) continue;
    const runs: RunReport[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      try {
        runs.push(JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunReport);
      } catch {
        /* a run report being written right now */
      }
    }
    runs.sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : 1));
    out.set(site, runs);
  }
  return out;
}


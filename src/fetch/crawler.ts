// Crawls one site: seeds its list pages, fetches every discovered request
// through the polite fetcher, archives each response, discovers follow-ups
// (more list pages, report pages, attachments) and hands new or changed
// documents to the sink. All state lives in the journal and the archive, so a
// run killed at any point resumes without refetching what it already has.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FetchOutcome, FetchRecord } from './archive.ts';
import { decodeBody } from './charset.ts';
import type { CrawlContext } from './context.ts';
import { discoverFollowUps, isHtmlLike, seedItems } from './follow-ups.ts';
import { FetchError } from './errors.ts';
import { Frontier, type FrontierItem } from './frontier.ts';
import { detectBlockPage, pageIsReportBody, visibleText } from './discover.ts';
import { countError, emptyReport, type RunReport } from './run-report.ts';
import { writeFileAtomic, readJsonIfExists } from './atomic-file.ts';
import type { DocumentSink } from './sink.ts';
import { expandStartUrls, type SiteConfig } from './site-config.ts';
import { acquireSiteLock } from './site-lock.ts';

export type CrawlEvent =
  | { type: 'queued'; total: number }
  | { type: 'done'; url: string; kind: string; outcome: string; done: number; total: number };

export interface CrawlOptions {
  sink?: DocumentSink;
  /** Start a new run even if the journal holds an unfinished one. */
  fresh?: boolean;
  onEvent?: (ev: CrawlEvent) => void;
}

interface Fetched {
  bytes: Buffer | null;
  outcome: FetchOutcome;
  contentType?: string;
  charset?: string;
  finalUrl: string;
  sha256: string | null;
  /** Decoded markup and its visible text, computed once per document. */
  html?: string;
  text?: string;
}

function decodeOnce(bytes: Buffer | null, contentType: string | undefined): { html?: string; text?: string; charset?: string } {
  if (!bytes || !isHtmlLike(contentType, bytes)) return {};
  const d = decodeBody(bytes, contentType);
  return { html: d.text, text: visibleText(d.text), charset: d.charset };
}

const newRunId = () => `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;

export function siteHosts(site: SiteConfig): string[] {
  const hosts = new Set<string>(site.hosts.map((h) => h.split(':')[0].toLowerCase()));
  for (const u of expandStartUrls(site)) hosts.add(new URL(u).hostname);
  if (site.pagination.type === 'json-api') hosts.add(new URL(site.pagination.url).hostname);
  return [...hosts];
}

export async function crawlSite(ctx: CrawlContext, site: SiteConfig, opts: CrawlOptions = {}): Promise<RunReport> {
  const dir = path.join(ctx.dataDir, 'crawl', site.id);
  const unlock = await acquireSiteLock(dir, site.id);
  try {
    return await new SiteCrawl(ctx, site, opts, dir).run();
  } finally {
    await unlock();
  }
}

class SiteCrawl {
  private frontier!: Frontier;
  private report!: RunReport;
  private running = new Set<Promise<void>>();
  private doneCount = 0;
  private readonly hosts: Set<string>;

  constructor(private readonly ctx: CrawlContext, private readonly site: SiteConfig, private readonly opts: CrawlOptions, private readonly dir: string) {
    this.hosts = new Set(siteHosts(site));
  }

  async run(): Promise<RunReport> {
    for (const h of this.hosts) this.ctx.allowedHosts.add(h);
    const p = this.site.politeness;
    for (const h of this.hosts) {
      if (p.delayMs !== undefined || p.concurrency !== undefined) {
        // The port is part of the gate's host key (mirrors on 127.0.0.1:port are separate hosts).
        for (const u of expandStartUrls(this.site)) if (new URL(u).hostname === h) this.ctx.gate.setPolicy(new URL(u).host, { delayMs: p.delayMs, concurrency: p.concurrency });
      }
    }
    this.frontier = await Frontier.open(this.dir, this.site.id, { fresh: this.opts.fresh, newRunId });
    this.report = emptyReport(this.site.id, this.frontier.runId, this.frontier.startedAt, this.frontier.resumed);
    if (this.frontier.resumed) this.replayJournal();
    const requestsBefore = this.ctx.requests.count;
    try {
      const start = this.frontier.resumed ? this.frontier.pending() : await this.frontier.add(seedItems(this.site));
      for (const it of start) this.schedule(it);
      this.emitQueued();
      while (this.running.size) await Promise.race(this.running);
      await this.frontier.end();
    } finally {
      await this.frontier.close();
    }
    this.report.requests = this.ctx.requests.count - requestsBefore;
    this.report.finishedAt = new Date().toISOString();
    this.report.robots = this.ctx.robots ? [...this.ctx.robots.records.values()].filter((r) => this.hosts.has(new URL(r.origin).hostname)) : [];
    await writeFileAtomic(path.join(this.dir, 'runs', `${this.report.runId}.json`), JSON.stringify(this.report, null, 1));
    return this.report;
  }

  private emitQueued(): void {
    this.opts.onEvent?.({ type: 'queued', total: this.frontier.items.size });
  }

  private schedule(item: FrontierItem): void {
    const p: Promise<void> = this.process(item).finally(() => this.running.delete(p));
    this.running.add(p);
  }

  private async process(item: FrontierItem): Promise<void> {
    let outcome = 'error';
    let doc = false;
    try {
      const got = await this.fetchOrRecover(item);
      outcome = got.outcome;
      doc = await this.afterFetch(item, got);
    } catch (e) {
      const err = e instanceof FetchError ? e : undefined;
      const kind = err?.kind ?? 'internal';
      // A probed next page (index_N / N.html) that does not exist is the end of the list, not a failure.
      const endOfList = err?.status === 404 && item.kind === 'list' && item.page !== undefined && item.page.mode !== 'json-api' && item.page.n > 0;
      outcome = endOfList ? 'end-of-list' : `error:${kind}`;
      if (!endOfList) countError(this.report, item.url, kind, (e as Error).message);
    }
    try {
      await this.frontier.markDone(item.key, outcome, doc);
    } catch (e) {
      countError(this.report, item.url, 'journal', (e as Error).message);
    }
    this.doneCount++;
    this.opts.onEvent?.({ type: 'done', url: item.url, kind: item.kind, outcome, done: this.doneCount, total: this.frontier.items.size });
  }

  /** Fetch, unless this run already fetched and archived it before a crash. */
  private async fetchOrRecover(item: FrontierItem): Promise<Fetched> {
    const { archive, fetcher } = this.ctx;
    const state = await archive.urlState(item.key);
    if (state && state.runId === this.frontier.runId) {
      const rec = await readJsonIfExists<FetchRecord>(path.join(archive.root, state.record));
      this.report.recovered++;
      const bytes = state.sha256 ? await archive.getBlob(state.sha256) : null;
      const contentType = rec?.headers['content-type'];
      return { bytes, outcome: rec?.outcome ?? 'unchanged', contentType, charset: rec?.charset, finalUrl: rec?.finalUrl ?? item.url, sha256: state.sha256, ...decodeOnce(bytes, contentType) };
    }
    // List pages are always read in full so new reports are found; documents
    // are fetched conditionally so an unchanged site transfers almost nothing.
    const conditional = item.kind !== 'list' && state?.sha256 ? { etag: state.etag, lastModified: state.lastModified } : {};
    const res = await fetcher.fetch({ url: item.url, method: item.method, body: item.body, ...conditional });
    this.report.pagesFetched++;
    if (item.kind === 'list') this.report.listPages++;
    const contentType = res.headers['content-type'];
    let bytes: Buffer | null = res.body;
    let outcome: FetchOutcome;
    let hash: string | null;
    let decoded: ReturnType<typeof decodeOnce>;
    if (res.notModified) {
      bytes = await archive.getBlob(state!.sha256!);
      decoded = decodeOnce(bytes, contentType);
      hash = state!.sha256;
      outcome = 'unchanged';
    } else {
      decoded = decodeOnce(res.body, contentType);
      if (decoded.html !== undefined) {
        const why = detectBlockPage(decoded.html, decoded.text);
        if (why) {
          this.report.blocked++;
          this.report.blockedUrls.push(item.url);
          countError(this.report, item.url, 'blocked', `block page (${why}); recorded, not parsed, not bypassed`);
        }
        outcome = why ? 'blocked' : 'new';
      } else outcome = 'new';
      hash = await archive.putBlob(res.body);
      if (outcome !== 'blocked') {
        if (item.kind === 'list') outcome = 'list';
        else if (state?.sha256) outcome = state.sha256 === hash ? 'unchanged' : 'changed';
      }
    }
    await archive.putRecord(
      {
        key: item.key, url: item.url, finalUrl: res.finalUrl, method: item.method ?? 'GET', requestBody: item.body, status: res.status, headers: res.headers,
        fetchedAt: new Date().toISOString(), site: this.site.id, listTitle: item.listTitle, charset: decoded.charset, sha256: hash, size: bytes?.length ?? 0,
        kind: item.kind, outcome, redirects: res.redirects, runId: this.frontier.runId,
      },
      outcome === 'blocked' ? {} : { etag: res.headers['etag'], lastModified: res.headers['last-modified'] },
    );
    return { bytes, outcome, contentType, charset: decoded.charset, finalUrl: res.finalUrl, sha256: hash, ...decoded };
  }

  /** Follow-ups and hand-off; returns whether the item was a report document. */
  private async afterFetch(item: FrontierItem, got: Fetched): Promise<boolean> {
    if (got.outcome === 'blocked' || !got.bytes) return false;
    const html = got.html;
    const follow = discoverFollowUps(this.site, item, html, got.finalUrl, got.text);
    // Off-site links are dropped here: only hosts the config names are fetched.
    const allowed = follow.items.filter((it) => this.hosts.has(new URL(it.url).hostname));
    let budget = this.site.maxListPages - this.frontier.listCount;
    const capped = allowed.filter((it) => it.kind !== 'list' || budget-- > 0);
    const fresh = await this.frontier.add(capped);
    for (const it of fresh) this.schedule(it);
    if (fresh.length) this.emitQueued();

    if (item.kind === 'list' || follow.isShell || follow.isList) return false;
    const isDoc = item.kind === 'attachment' || (html !== undefined && (pageIsReportBody(html, got.text) || follow.attachments === 0));
    if (!isDoc) return false;
    if (!this.report.reportUrls.includes(item.url)) this.report.reportUrls.push(item.url);
    if (got.outcome === 'new' || got.outcome === 'changed') this.report.reports[got.outcome]++;
    else this.report.reports.unchanged++;
    if (this.opts.sink && (got.outcome === 'new' || got.outcome === 'changed')) {
      try {
        await this.opts.sink.accept({
          bytes: got.bytes, sha256: got.sha256 ?? '', url: item.url, finalUrl: got.finalUrl,
          contentType: got.contentType, charset: got.charset, site: this.site.id, listTitle: item.listTitle, kind: item.kind === 'attachment' ? 'attachment' : 'report', change: got.outcome,
        });
        this.report.handedOn++;
      } catch (e) {
        countError(this.report, item.url, 'sink', `${(e as Error).message}; the document stays archived and can be re-parsed`);
      }
    }
    return true;
  }

  /** A resumed run's report starts from what the journal says the killed process already did. */
  private replayJournal(): void {
    for (const [key, outcome] of this.frontier.done) {
      const item = this.frontier.items.get(key);
      if (!item) continue;
      if (outcome === 'blocked') {
        this.report.blocked++;
        this.report.blockedUrls.push(item.url);
      } else if (outcome.startsWith('error:')) {
        const kind = outcome.slice(6);
        this.report.errors[kind] = (this.report.errors[kind] ?? 0) + 1;
      }
      if (!this.frontier.docs.has(key)) continue;
      this.report.reportUrls.push(item.url);
      if (outcome === 'new' || outcome === 'changed') this.report.reports[outcome]++;
      else this.report.reports.unchanged++;
    }
  }
}

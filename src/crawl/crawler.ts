// src/crawl: what to fetch and when (site configs, discovery, frontier, the crawler, follow-ups, run-sites, the scheduler, site locks, run reports, progress), through src/fetch into src/archive.
//
// Crawls one site: seeds its list pages, fetches every discovered request
// through the polite fetcher, archives each response, discovers follow-ups
// (more list pages, report pages, attachments) and hands new or changed
// documents to the sink. All state lives in the journal and the archive, so a
// run killed at any point resumes without refetching what it already has.
// Archive writes are group-committed: see docs/crawling.md, "Durability".
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sha256, type FetchOutcome, type FetchRecord, type UrlState } from '../archive/archive.ts';
import { charsetFromContentType, chooseCharset, decodeWith } from '../common/charset.ts';
import type { CrawlContext } from './context.ts';
import { discoverFollowUps, isHtmlLike, seedItems } from './follow-ups.ts';
import { FetchError } from '../fetch/errors.ts';
import { Frontier, type FrontierItem } from './frontier.ts';
import { detectBlockPage, visibleText } from '../fetch/block-page.ts';
import { mentionsExtension, pageIsReportBody, utf8VisibleTextLonger } from './discover.ts';
import { countBlocked, countError, emptyReport, type RunReport } from './run-report.ts';
import { crawlDirOf } from '../archive/run-records.ts';
import { readJsonIfExists, writeFileAtomic } from '../archive/atomic-file.ts';
import type { DocumentSink } from './sink.ts';
import { expandStartUrls, type SiteConfig } from './site-config.ts';
import { acquireSiteLock } from './site-lock.ts';
import { FetchError as RenderError } from '../fetch/errors.ts';
import type { Preloaded, RenderedPage, RenderResult } from '../fetch/renderer.ts';
import { isRouteUrl } from './render-discovery.ts';
import { MAX_JS_PAGES, renderedFollowUps, renderedKey, renderReason } from './render-step.ts';
import { fetchPageImages, type ImageHost, type PageImage } from './body-images.ts';

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
  /** Decoded markup and its visible text, computed once per document (absent for binaries and plain report pages). */
  html?: string;
  text?: string;
  /**
   * A report page whose body is the report and that links no attachment:
   * long visible text (so not a block page, shell or list) and no attachment
   * extension in its markup. Nothing to discover, so it is never decoded.
   */
  plainReport?: boolean;
  /** The URL's state after this fetch (journaled with "done"); absent when nothing was archived. */
  state?: UrlState;
  /** Set when this is a page rendered in the browser (its DOM, with what the browser saw). */
  render?: RenderResult;
}

type Inspected = Pick<Fetched, 'html' | 'text' | 'charset' | 'plainReport'>;

/** A URL's state after a fetch: a 304 or a block page keeps the validators and hash of the good copy. */
function nextState(prev: UrlState | undefined, rec: FetchRecord, record: string): UrlState {
  const blocked = rec.outcome === 'blocked';
  const keepPrev = rec.outcome === 'unchanged' && rec.status === 304;
  const etag = rec.headers['etag'], lastModified = rec.headers['last-modified'];
  return {
    key: rec.key,
    url: rec.url,
    sha256: blocked ? (prev?.sha256 ?? null) : keepPrev ? (prev?.sha256 ?? rec.sha256) : rec.sha256,
    etag: blocked ? prev?.etag : (etag ?? (keepPrev ? prev?.etag : undefined)),
    lastModified: blocked ? prev?.lastModified : (lastModified ?? (keepPrev ? prev?.lastModified : undefined)),
    fetchedAt: rec.fetchedAt,
    runId: rec.runId,
    record,
  };
}

const newRunId = () => `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;

export function siteHosts(site: SiteConfig): string[] {
  const hosts = new Set<string>(site.hosts.map((h) => h.split(':')[0].toLowerCase()));
  for (const u of expandStartUrls(site)) hosts.add(new URL(u).hostname);
  if (site.pagination.type === 'json-api') hosts.add(new URL(site.pagination.url).hostname);
  return [...hosts];
}

export async function crawlSite(ctx: CrawlContext, site: SiteConfig, opts: CrawlOptions = {}): Promise<RunReport> {
  const dir = crawlDirOf(ctx.dataDir, site.id);
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
  /** Items whose processing is waiting only for their "done" line to be committed. */
  private waitingCommit = 0;
  private readonly hosts: Set<string>;
  /** Latest state per URL of this site: urls.json, then the journal's durable "done" states, then this run's fetches. */
  private readonly states = new Map<string, UrlState>();
  /** An archive from before urls.json may still hold per-URL state files. */
  private legacyStates = false;
  /** Attachment extensions to look for when attachments are downloaded (lower case). */
  private readonly attachmentExts: string[] | undefined;

  constructor(private readonly ctx: CrawlContext, private readonly site: SiteConfig, private readonly opts: CrawlOptions, private readonly dir: string) {
    this.hosts = new Set(siteHosts(site));
    this.attachmentExts = site.attachments.download ? site.attachments.extensions.map((e) => e.toLowerCase()) : undefined;
  }

  private get statesFile(): string {
    return path.join(this.dir, 'urls.json');
  }

  private async loadStates(): Promise<void> {
    const saved = await readJsonIfExists<Record<string, UrlState>>(this.statesFile);
    for (const [k, v] of Object.entries(saved ?? {})) this.states.set(k, v);
    for (const [k, v] of this.frontier.doneStates) this.states.set(k, v);
    this.legacyStates = await this.ctx.archive.hasLegacyUrlStates();
    if (!this.frontier.resumed) {
      // A new run replacing an unfinished journal: keep what it made durable, and remove what a machine crash may have torn.
      for (const st of this.frontier.wrote.values()) await this.ctx.archive.discardIfTorn(st.record, st.sha256);
      this.frontier.wrote.clear();
      if (this.frontier.doneStates.size) await this.saveStates();
    }
  }

  private async saveStates(): Promise<void> {
    await writeFileAtomic(this.statesFile, JSON.stringify(Object.fromEntries(this.states)), { barrier: this.ctx.archive.barrier });
  }

  private async urlState(key: string): Promise<UrlState | undefined> {
    const s = this.states.get(key);
    if (s || !this.legacyStates) return s;
    return this.ctx.archive.legacyUrlState(key);
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
    const barrier = this.ctx.archive.barrier;
    barrier.addRoot(this.dir);
    this.frontier = await Frontier.open(this.dir, this.site.id, { fresh: this.opts.fresh, newRunId, barrier: () => barrier.sync() });
    await this.loadStates();
    this.report = emptyReport(this.site.id, this.frontier.runId, this.frontier.startedAt, this.frontier.resumed);
    if (this.frontier.resumed) this.replayJournal();
    const requestsBefore = this.ctx.requests.count;
    try {
      const start = this.frontier.resumed ? this.frontier.pending() : await this.frontier.add(seedItems(this.site));
      for (const it of start) this.schedule(it);
      this.emitQueued();
      while (this.running.size) await Promise.race(this.running);
      this.report.requests = this.ctx.requests.count - requestsBefore;
      this.report.finishedAt = new Date().toISOString();
      this.report.robots = this.ctx.robots ? [...this.ctx.robots.records.values()].filter((r) => this.hosts.has(new URL(r.origin).hostname)) : [];
      // The URL states and the run report go through the barrier that runs before "end".
      await this.saveStates();
      await writeFileAtomic(path.join(this.dir, 'runs', `${this.report.runId}.json`), JSON.stringify(this.report, null, 1), { barrier });
      await this.frontier.end();
    } finally {
      await this.frontier.close();
    }
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
    let state: UrlState | undefined;
    try {
      const got = isRouteUrl(item.url) && this.ctx.renderer && this.site.render !== false ? await this.renderRoute(item) : await this.fetchOrRecover(item);
      outcome = got.outcome;
      state = got.state;
      doc = await this.afterFetch(item, got);
    } catch (e) {
      const err = e instanceof FetchError ? e : undefined;
      const kind = err?.kind ?? 'internal';
      // A probed next page (index_N / N.html) that does not exist is the end of the list, not a failure.
      const endOfList = err?.status === 404 && item.kind === 'list' && item.page !== undefined && item.page.mode !== 'json-api' && item.page.n > 0;
      outcome = endOfList ? 'end-of-list' : kind === 'blocked' ? 'blocked' : `error:${kind}`;
      // Refused with an error status and a challenge page: counted with the 200 block pages.
      if (kind === 'blocked') countBlocked(this.report, item.url);
      if (!endOfList) countError(this.report, item.url, kind, (e as Error).message);
    }
    // Durable once the batch's barrier has run (group commit); when every
    // running item is only waiting for that, there is no reason to wait longer.
    const committed = this.frontier.markDone(item.key, outcome, doc, state);
    if (++this.waitingCommit === this.running.size) this.frontier.commitNow();
    try {
      await committed;
    } catch (e) {
      countError(this.report, item.url, 'journal', (e as Error).message);
    } finally {
      this.waitingCommit--;
    }
    this.doneCount++;
    this.opts.onEvent?.({ type: 'done', url: item.url, kind: item.kind, outcome, done: this.doneCount, total: this.frontier.items.size });
  }

  /**
   * What the crawl needs from a body: for HTML-like ones, the charset and,
   * unless it is a plain report page (see Fetched.plainReport), the decoded
   * markup and visible text.
   */
  private inspect(item: FrontierItem, bytes: Buffer | null, contentType: string | undefined): Inspected {
    if (!bytes || !isHtmlLike(contentType, bytes)) return {};
    const chosen = chooseCharset(bytes, charsetFromContentType(contentType));
    const charset = chosen.charset;
    if (item.kind === 'report' && charset === 'utf-8' && utf8VisibleTextLonger(bytes, 1500)) {
      // The attachment test discoverFollowUps would run on the markup, on the UTF-8 bytes (it matches exactly when it would).
      if (!this.attachmentExts || !mentionsExtension(bytes, this.attachmentExts)) return { charset, plainReport: true };
    }
    const html = chosen.text ?? decodeWith(bytes, charset, chosen.skip);
    return { html, text: visibleText(html), charset };
  }

  /** Fetch, unless this run already fetched and archived it before a crash. */
  private async fetchOrRecover(item: FrontierItem): Promise<Fetched> {
    const written = this.frontier.wrote.get(item.key);
    if (written) {
      const recovered = await this.recover(item, written);
      if (recovered) return recovered;
    }
    const { archive, fetcher } = this.ctx;
    const state = await this.urlState(item.key);
    // List pages are always read in full so new reports are found; documents
    // are fetched conditionally so an unchanged site transfers almost nothing.
    const conditional = item.kind !== 'list' && state?.sha256 ? { etag: state.etag, lastModified: state.lastModified } : {};
    let res = await fetcher.fetch({ url: item.url, method: item.method, body: item.body, contentType: item.contentType, ...conditional });
    this.report.pagesFetched++;
    if (item.kind === 'list') this.report.listPages++;
    let previous: Buffer | undefined;
    if (res.notModified) {
      previous = await archive.getBlob(state!.sha256!).catch(() => undefined);
      // The archived copy is gone (removed by hand?): fetch it in full once more.
      if (!previous) res = await fetcher.fetch({ url: item.url, method: item.method, body: item.body, contentType: item.contentType });
    }
    const contentType = res.headers['content-type'];
    let bytes: Buffer | null = res.body;
    let outcome: FetchOutcome;
    let hash: string | null;
    let inspected: Inspected;
    if (res.notModified && previous) {
      bytes = previous;
      inspected = this.inspect(item, bytes, contentType);
      hash = state!.sha256;
      outcome = 'unchanged';
    } else {
      inspected = this.inspect(item, res.body, contentType);
      if (inspected.html !== undefined) {
        const why = detectBlockPage(inspected.html, inspected.text);
        if (why) {
          countBlocked(this.report, item.url);
          countError(this.report, item.url, 'blocked', `block page (${why}); recorded, not parsed, not bypassed`);
        }
        outcome = why ? 'blocked' : 'new';
      } else outcome = 'new';
      hash = sha256(res.body);
      if (outcome !== 'blocked') {
        if (item.kind === 'list') outcome = 'list';
        else if (state?.sha256) outcome = state.sha256 === hash ? 'unchanged' : 'changed';
      }
    }
    const record: FetchRecord = {
      key: item.key, url: item.url, finalUrl: res.finalUrl, method: item.method ?? 'GET', requestBody: item.body, status: res.status, headers: res.headers,
      fetchedAt: new Date().toISOString(), site: this.site.id, listTitle: item.listTitle, charset: inspected.charset, sha256: hash, size: bytes?.length ?? 0,
      kind: item.kind, outcome, redirects: res.redirects, runId: this.frontier.runId,
    };
    const next = nextState(state, record, archive.recordPath(record));
    // Journal where the record goes before writing it: a process killed after
    // the write finds it on resume instead of fetching (and recording) again.
    await this.frontier.noteWrite(item.key, next);
    if (hash && !(res.notModified && previous)) {
      // A body the URL's durable state already names is in the archive.
      if (state?.sha256 === hash) archive.knowBlob(hash);
      await archive.putBlob(res.body, hash);
    }
    await archive.putRecord(record, next.record);
    this.states.set(item.key, next);
    return { bytes, outcome, contentType, charset: inspected.charset, finalUrl: res.finalUrl, sha256: hash, ...inspected, state: next };
  }

  /**
   * A fetch this run made before it was killed, journaled as "wrote" but not
   * yet "done": used if its record and blob are on disk and intact (they are
   * after a kill -9; after a power loss they may not be, and it is fetched again).
   */
  private async recover(item: FrontierItem, st: UrlState): Promise<Fetched | undefined> {
    const { archive } = this.ctx;
    const rec = await archive.readRecord(st.record);
    const bytes = rec?.sha256 ? ((await archive.verifiedBlob(rec.sha256)) ?? null) : null;
    if (!rec || rec.runId !== this.frontier.runId || rec.key !== item.key || (rec.sha256 && !bytes)) {
      await archive.discardIfTorn(st.record, rec?.sha256 ?? st.sha256);
      return undefined;
    }
    // Written by the killed process: make them durable with this process's next batch.
    archive.adopt(st.record, rec.sha256);
    this.report.recovered++;
    this.states.set(item.key, st);
    const contentType = rec.headers['content-type'];
    return { bytes, outcome: rec.outcome, contentType, charset: rec.charset, finalUrl: rec.finalUrl, sha256: rec.sha256, ...this.inspect(item, bytes, contentType), state: st };
  }

  /** Follow-ups and hand-off; returns whether the item was a report document. */
  private async afterFetch(item: FrontierItem, got: Fetched): Promise<boolean> {
    if (got.outcome === 'blocked' || !got.bytes) return false;
    let follow = got.plainReport ? { items: [] as FrontierItem[], isShell: false, attachments: 0 } as ReturnType<typeof discoverFollowUps> : discoverFollowUps(this.site, item, got.html, got.finalUrl, got.text);
    let render = got.render;
    if (!render && this.ctx.renderer && renderReason(this.site, item, got, follow)) {
      const r = await this.renderPage(item, { url: got.finalUrl, bytes: got.bytes, contentType: got.contentType });
      render = r.result;
      // A report page's document is now its rendered DOM; a list keeps its raw record as the fetch's own.
      if (item.kind !== 'list' && r.doc) got = r.doc;
    }
    if (render) {
      const more = renderedFollowUps(this.site, item, render);
      follow = { ...follow, items: [...follow.items, ...more.items], attachments: follow.attachments + more.attachments };
      this.noteApis(more.apis);
    }
    const html = got.html;
    // Off-site links are dropped here: only hosts the config names are fetched.
    const allowed = follow.items.filter((it) => this.hosts.has(new URL(it.url).hostname));
    let budget = this.site.maxListPages - this.frontier.listCount;
    const capped = allowed.filter((it) => it.kind !== 'list' || budget-- > 0);
    const fresh = await this.frontier.add(capped);
    for (const it of fresh) this.schedule(it);
    if (fresh.length) this.emitQueued();

    if (item.kind === 'list' || follow.isShell || follow.isList) return false;
    const isDoc = item.kind === 'attachment' || got.plainReport || (html !== undefined && (pageIsReportBody(html, got.text) || follow.attachments === 0));
    if (!isDoc) return false;
    if (!this.report.reportUrls.includes(item.url)) this.report.reportUrls.push(item.url);
    if (got.outcome === 'new' || got.outcome === 'changed') this.report.reports[got.outcome]++;
    else this.report.reports.unchanged++;
    // A page whose tables are pictures changes when a picture does.
    const images = await this.bodyImagesOf(item, got);
    const change = got.outcome === 'new' || got.outcome === 'changed' ? got.outcome : images.some((i) => i.changed) ? 'changed' : undefined;
    if (this.opts.sink && change) {
      try {
        await this.opts.sink.accept({
          bytes: got.bytes!, sha256: got.sha256 ?? '', url: item.url, finalUrl: got.finalUrl, contentType: got.contentType, charset: got.charset, site: this.site.id,
          listTitle: item.listTitle, kind: item.kind === 'attachment' ? 'attachment' : 'report', change, ...(images.length ? { images: images.map(({ url, bytes, contentType }) => ({ url, bytes, contentType })) } : {}),
        });
        this.report.handedOn++;
      } catch (e) {
        countError(this.report, item.url, 'sink', `${(e as Error).message}; the document stays archived and can be re-parsed`);
      }
    }
    return true;
  }

  /** A report page's body images, fetched and archived (src/crawl/body-images.ts); none for attachments. */
  private bodyImagesOf(item: FrontierItem, got: Fetched): Promise<PageImage[]> {
    if (item.kind === 'attachment' || !got.bytes || !isHtmlLike(got.contentType, got.bytes)) return Promise.resolve([]);
    const host: ImageHost = {
      ctx: this.ctx, site: this.site.id, runId: this.frontier.runId, hosts: this.hosts, report: this.report, nextState,
      urlState: (k) => this.urlState(k), noteWrite: (k, st) => this.frontier.noteWrite(k, st), remember: (k, st) => void this.states.set(k, st),
    };
    return fetchPageImages(host, { url: item.url, finalUrl: got.finalUrl, bytes: got.bytes, charset: got.charset });
  }

  /** A single-page-app route: only the browser can show it. Recovered like a fetch after a crash. */
  private async renderRoute(item: FrontierItem): Promise<Fetched> {
    const written = this.frontier.wrote.get(item.key);
    if (written) {
      const recovered = await this.recover(item, written);
      if (recovered) return recovered;
    }
    // The app's shell, if this run already has it, is not asked for again.
    const shellKey = item.url.replace(/#.*$/, '');
    const shell = this.states.get(shellKey);
    let raw: Preloaded | undefined;
    if (shell?.runId === this.frontier.runId && shell.sha256) {
      const body = await this.ctx.archive.getBlob(shell.sha256).catch(() => undefined);
      const rec = body && await this.ctx.archive.readRecord(shell.record);
      if (body && rec) raw = { status: 200, headers: rec.headers, body };
    }
    const { doc } = await this.renderPage(item, raw && { url: shellKey, bytes: raw.body, contentType: raw.headers['content-type'] }, true);
    this.report.pagesFetched++;
    if (item.kind === 'list') this.report.listPages++;
    return doc!;
  }

  /**
   * Render a page; its DOM is archived as a rendered record beside the raw
   * page's (every JS page of a list; the final state of a report page). A
   * crash of the browser is retried once with a new browser; any other
   * failure fails the page with kind "render".
   */
  private async renderPage(item: FrontierItem, raw: { url: string; bytes: Buffer; contentType?: string } | undefined, isRoute = false): Promise<{ result: RenderResult; doc?: Fetched }> {
    const renderer = this.ctx.renderer!;
    const preloaded = new Map<string, Preloaded>();
    if (raw) preloaded.set(raw.url.replace(/#.*$/, ''), { status: 200, headers: raw.contentType ? { 'content-type': raw.contentType } : {}, body: raw.bytes });
    const req = { url: item.url, preloaded, maxMorePages: item.kind === 'list' ? Math.min(MAX_JS_PAGES, this.site.maxListPages) : 0 };
    const stats = (this.report.rendered ??= { pages: 0, failures: 0, ms: 0, requests: 0 });
    let result: RenderResult;
    try {
      result = await renderer.render(req).catch((e: unknown) => {
        if (e instanceof RenderError && /crashed/.test(e.message)) return renderer.render(req);
        throw e;
      });
    } catch (e) {
      stats.failures++;
      throw e;
    } finally {
      stats.browser = renderer.stats.browser || undefined;
    }
    stats.pages++;
    stats.ms += result.ms;
    stats.requests += result.requests;
    // A route's shell fetched by the browser is archived as the raw page, once per run.
    if (isRoute && result.document) {
      const shellKey = result.document.url;
      if (this.states.get(shellKey)?.runId !== this.frontier.runId) {
        await this.archiveBody({ ...item, key: shellKey, url: shellKey }, shellKey, result.document.finalUrl, result.document.body, result.document.headers, false);
      }
    }
    let doc: Fetched | undefined;
    for (const [i, p] of result.pages.entries()) {
      if (item.kind !== 'list' && i < result.pages.length - 1) continue;
      const key = isRoute && i === 0 ? item.key : renderedKey(item.key, i);
      doc = await this.archiveRendered(item, key, p);
    }
    if (doc) doc.render = result;
    return { result, doc };
  }

  private async archiveRendered(item: FrontierItem, key: string, p: RenderedPage): Promise<Fetched> {
    const bytes = Buffer.from(p.html, 'utf8');
    const headers = { 'content-type': 'text/html; charset=utf-8' };
    const { outcome, hash, state } = await this.archiveBody(item, key, p.url, bytes, headers, true);
    return { bytes, outcome, contentType: headers['content-type'], charset: 'utf-8', finalUrl: p.url, sha256: hash, html: p.html, text: visibleText(p.html), state };
  }

  /** Archive a body that did not come from fetchOrRecover (a rendered DOM, a shell the browser fetched): journal, blob, record, state. */
  private async archiveBody(item: FrontierItem, key: string, finalUrl: string, bytes: Buffer, headers: Record<string, string>, rendered: boolean): Promise<{ outcome: FetchOutcome; hash: string; state: UrlState }> {
    const { archive } = this.ctx;
    const hash = sha256(bytes);
    const prev = await this.urlState(key);
    const outcome: FetchOutcome = item.kind === 'list' ? 'list' : !prev?.sha256 ? 'new' : prev.sha256 === hash ? 'unchanged' : 'changed';
    const record: FetchRecord = {
      key, url: item.url, finalUrl, method: 'GET', status: 200, headers, fetchedAt: new Date().toISOString(), site: this.site.id, listTitle: item.listTitle,
      charset: rendered ? 'utf-8' : undefined, sha256: hash, size: bytes.length, kind: item.kind, outcome, redirects: [], runId: this.frontier.runId, ...(rendered ? { rendered } : {}),
    };
    const state = nextState(prev, record, archive.recordPath(record));
    await this.frontier.noteWrite(key, state);
    if (prev?.sha256 === hash) archive.knowBlob(hash);
    await archive.putBlob(bytes, hash);
    await archive.putRecord(record, state.record);
    this.states.set(key, state);
    return { outcome, hash, state };
  }

  /** List APIs seen while rendering, once each, for the run report and --suggest-config. */
  private noteApis(apis: NonNullable<RunReport['listApis']>): void {
    if (!apis.length) return;
    const list = (this.report.listApis ??= []);
    for (const a of apis) {
      const same = list.find((x) => x.url === a.url && x.method === a.method && x.itemsPath === a.itemsPath);
      if (same) same.links += a.links;
      else list.push(a);
    }
  }

  /** A resumed run's report starts from what the journal says the killed process already did. */
  private replayJournal(): void {
    for (const [key, outcome] of this.frontier.done) {
      const item = this.frontier.items.get(key);
      if (!item) continue;
      if (outcome === 'blocked') countBlocked(this.report, item.url);
      else if (outcome.startsWith('error:')) {
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

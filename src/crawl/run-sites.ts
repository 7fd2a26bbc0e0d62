// Shared by `crawl` and `schedule`: resolve targets to site configs, build the
// crawl context from command-line options, crawl each site, hand documents on
// to the sink the caller gives (the pipeline's parse-and-store sink, or none).
import path from 'node:path';
import { createContext, type ContextOptions, type CrawlContext } from './context.ts';
import { crawlSite, type CrawlEvent } from './crawler.ts';
import type { RunReport } from './run-report.ts';
import type { DocumentSink, IngestTally, RunSink, SinkFactory } from './sink.ts';
import { adHocConfig, loadSiteConfig, loadSiteConfigs, type SiteConfig } from './site-config.ts';

export async function resolveTargets(targets: string[], scrapersDir: string, all: boolean): Promise<SiteConfig[]> {
  const out: SiteConfig[] = all ? await loadSiteConfigs(scrapersDir) : [];
  for (const t of targets) {
    if (/^https?:\/\//i.test(t)) out.push(adHocConfig(t));
    else if (t.endsWith('.json')) out.push(await loadSiteConfig(t));
    else out.push(await loadSiteConfig(path.join(scrapersDir, `${t}.json`)));
  }
  if (!out.length) throw new Error('nothing to crawl: name a list-page URL, a site id from scrapers/, or use --all');
  return out;
}

export interface RunSitesOptions extends ContextOptions {
  /** One sink per site run (src/pipeline: parse and store); absent, documents are only archived. */
  sink?: SinkFactory;
  fresh?: boolean;
  maxListPages?: number;
  progress?: (site: string) => { onEvent(ev: CrawlEvent): void; stop(): void };
  /** A context shared across calls (the scheduler's), left open afterwards. */
  ctx?: CrawlContext;
}

export interface SiteRun {
  site: string;
  /** Absent when the site could not be run at all (see `error`). */
  report?: RunReport;
  ingest: IngestTally;
  /** Why the site did not run (e.g. SiteBusyError: another run holds its lock); other sites still run. */
  error?: Error;
}

export async function runSites(sites: SiteConfig[], o: RunSitesOptions): Promise<SiteRun[]> {
  const ctx = o.ctx ?? createContext(o);
  const out: SiteRun[] = [];
  try {
    for (const s0 of sites) {
      const site = o.maxListPages ? { ...s0, maxListPages: o.maxListPages } : s0;
      // --no-parse: documents stay in the archive only (nothing kept in memory).
      const runSink: RunSink | undefined = o.sink?.();
      const sink: DocumentSink = runSink ?? { accept: async () => undefined };
      const progress = o.progress?.(site.id);
      let report: RunReport;
      try {
        report = await crawlSite(ctx, site, { sink, fresh: o.fresh, onEvent: (ev) => progress?.onEvent(ev) });
      } catch (e) {
        await runSink?.close();
        out.push({ site: site.id, ingest: null, error: e as Error });
        continue;
      } finally {
        progress?.stop();
      }
      let ingest: IngestTally = null;
      if (runSink) {
        try {
          await runSink.close();
          ingest = await runSink.finish(ctx.archive, [report.runId]);
        } catch (e) {
          report.errors['ingest'] = (report.errors['ingest'] ?? 0) + 1;
          report.errorSamples.push({ url: site.id, kind: 'ingest', message: `${(e as Error).message}; documents stay archived, run \`nianbao reparse\` later` });
        }
      }
      out.push({ site: site.id, report, ingest });
    }
  } finally {
    if (!o.ctx) await ctx.close();
  }
  return out;
}

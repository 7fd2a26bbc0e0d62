// `nianbao crawl`: collect reports from sites (configs in scrapers/ or a bare
// list-page URL), archive them, parse them and ingest them into the store.
import type { Command } from 'commander';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { contactWarning, DEFAULT_USER_AGENT } from '../crawl/context.ts';
import { suggestConfig } from '../crawl/suggest-config.ts';
import { createProgress } from '../crawl/progress.ts';
import { formatReport } from '../crawl/run-report.ts';
import { resolveTargets, runSites, type RunSitesOptions } from '../crawl/run-sites.ts';
import { storeSinkFactory } from '../pipeline/store-sink.ts';
import { ConfigError } from '../crawl/site-config.ts';
import { CaFileError, readCaFiles } from '../fetch/tls-trust.ts';
import { parseMapping } from '../fetch/url-map.ts';
import { bodyImageUrls } from '../parse/html/index.ts';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`expected a non-negative number, got "${v}"`);
  return n;
};
const collect = (v: string, prev: string[] = []) => [...prev, v];

export interface CrawlCliOptions {
  scrapers: string;
  all?: boolean;
  map?: string[];
  allowPrivate?: string[];
  ca?: string[];
  userAgent: string;
  delay: number;
  concurrency: number;
  globalConcurrency: number;
  connectTimeout: number;
  readTimeout: number;
  maxBody: number;
  retries: number;
  maxListPages?: number;
  fresh?: boolean;
  parse: boolean;
  json?: boolean;
  render: boolean;
  browser?: string;
  renderTimeout: number;
  renderPages: number;
  suggestConfig?: boolean;
}

/** The fetch options shared by `crawl` and `schedule`. */
export function addFetchOptions(cmd: Command): Command {
  return cmd
    .option('--scrapers <dir>', 'directory of site configs', './scrapers')
    .option('--map <origin=mirror>', 'fetch a site from a mirror, keeping its real URLs (repeatable), e.g. https://www.example.gov.cn=http://127.0.0.1:8080', collect)
    .option('--allow-private <ip>', 'allow this private/loopback address (repeatable); refused otherwise', collect)
    .option('--ca <pem>', 'also trust the certificates in this PEM file (repeatable), e.g. an intermediate a site fails to send; verification is never turned off', collect)
    .option('--user-agent <ua>', 'identifying User-Agent', process.env.NIANBAO_USER_AGENT ?? DEFAULT_USER_AGENT)
    .option('--delay <ms>', 'per-host delay between requests (robots.txt Crawl-delay can raise it)', int, 1000)
    .option('--concurrency <n>', 'requests in flight per host', int, 1)
    .option('--global-concurrency <n>', 'requests in flight overall', int, 16)
    .option('--connect-timeout <ms>', 'TCP/TLS connect timeout', int, 10_000)
    .option('--read-timeout <ms>', 'timeout waiting for headers or between body chunks', int, 30_000)
    .option('--max-body <bytes>', 'largest response accepted', int, 50 * 1024 * 1024)
    .option('--retries <n>', 'retries on timeouts, resets, 5xx and 429', int, 3)
    .option('--max-list-pages <n>', 'cap on list pages per site', int)
    .option('--no-parse', 'archive only: do not parse or ingest')
    .option('--no-render', 'never start the headless browser (pages that need JavaScript then yield nothing)')
    .option('--browser <path>', 'Chromium to render with (else CHROMIUM_PATH, then the system\'s)')
    .option('--render-timeout <ms>', 'time limit per rendered page, politeness waits included', int, 120_000)
    .option('--render-pages <n>', 'pages rendered at once', int, 2);
}

/** Called once per command: the contact warning is printed once. */
export function runOptions(data: string, o: CrawlCliOptions): RunSitesOptions {
  const warning = contactWarning(o.userAgent);
  if (warning) console.error(`warning: ${warning}`);
  return {
    dataDir: data,
    userAgent: o.userAgent,
    delayMs: o.delay,
    perHostConcurrency: Math.max(1, o.concurrency),
    globalConcurrency: Math.max(1, o.globalConcurrency),
    connectTimeoutMs: o.connectTimeout,
    readTimeoutMs: o.readTimeout,
    maxBodyBytes: o.maxBody,
    retries: o.retries,
    map: (o.map ?? []).map(parseMapping),
    allowPrivate: o.allowPrivate ?? [],
    extraCa: readCaFiles(o.ca ?? []),
    sink: o.parse ? storeSinkFactory(data) : undefined,
    fresh: o.fresh,
    maxListPages: o.maxListPages,
    render: o.render,
    browserPath: o.browser,
    renderTimeoutMs: o.renderTimeout,
    renderPages: Math.max(1, o.renderPages),
    // Report pages' body images are fetched (and archived) for OCR, also with --no-parse, so a later ingest has them.
    bodyImages: bodyImageUrls,
  };
}

export function registerCrawl(program: Command): void {
  addFetchOptions(
    program
      .command('crawl')
      .description('collect reports from government sites: list-page URLs or site ids from scrapers/')
      .argument('[targets...]', 'list-page URLs (zero-config) or site ids / config files')
      .option('--all', 'crawl every site in the scrapers directory')
      .option('--fresh', 'start a new run even if an unfinished one could be resumed')
      .option('--json', 'print the run reports as JSON on stdout')
      .option('--suggest-config', 'when a site\'s reports came from a JSON list API, write a site config that calls it directly (into --scrapers)'),
  ).action(async (targets: string[], o: CrawlCliOptions, cmd: Command) => {
    const data = (cmd.optsWithGlobals() as { data: string }).data;
    let sites, options;
    try {
      sites = await resolveTargets(targets, o.scrapers, o.all ?? false);
      options = runOptions(data, o);
    } catch (e) {
      console.error((e as Error).message);
      process.exitCode = e instanceof ConfigError || e instanceof CaFileError ? 2 : 1;
      return;
    }
    const runs = await runSites(sites, {
      ...options,
      progress: (site) => createProgress(site, { tty: Boolean(process.stderr.isTTY) && !o.json }),
    });
    const shown = runs.map((r) => ({ ...r, error: r.error?.message }));
    if (o.json) console.log(JSON.stringify(shown.length === 1 ? shown[0] : shown, null, 1));
    else {
      for (const r of runs) {
        if (!r.report) {
          console.log(`site ${r.site}: not run: ${r.error?.message}`);
          continue;
        }
        console.log(formatReport(r.report));
        if (r.ingest) console.log(`  store: ${r.ingest.added} added, ${r.ingest.unchanged} unchanged, ${r.ingest.failed} failed`);
      }
    }
    if (o.suggestConfig) await writeSuggestions(sites, runs, o.scrapers);
    // Per-document failures are in the reports; a site that could not run at all fails the command.
    if (runs.some((r) => r.error)) process.exitCode = 1;
  });
}

/** --suggest-config: one config per site whose run saw a list API; an existing config is never overwritten. */
async function writeSuggestions(sites: Awaited<ReturnType<typeof resolveTargets>>, runs: Awaited<ReturnType<typeof runSites>>, dir: string): Promise<void> {
  for (const r of runs) {
    const site = sites.find((s) => s.id === r.site);
    const cfg = site && r.report ? suggestConfig(site, r.report) : undefined;
    if (!cfg) {
      console.error(`site ${r.site}: no list API seen while rendering; no config suggested`);
      continue;
    }
    await fs.mkdir(dir, { recursive: true });
    let file = path.join(dir, `${cfg.id}.json`);
    // Names starting with "_" are not loaded by --all, so a suggestion beside an existing config stays inert until renamed.
    if (await fs.stat(file).then(() => true, () => false)) file = path.join(dir, `_${cfg.id}.suggested.json`);
    await fs.writeFile(file, JSON.stringify(cfg, null, 2) + '\n');
    console.error(`site ${r.site}: wrote ${file} (pagination json-api: ${cfg.pagination.type === 'json-api' ? `${cfg.pagination.method} ${cfg.pagination.url}` : ''})`);
  }
}

// Declarative site configs (scrapers/<site-id>.json), validated at load with
// zod. A config that does not validate stops the command with the file and the
// field at fault, rather than crawling with a half-understood config.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { ATTACHMENT_EXTENSIONS, DEFAULT_REPORT_EXCLUDE, DEFAULT_REPORT_TITLE } from './discover.ts';

const regex = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid JavaScript regular expression');

const cron = z.string().refine((s) => {
  try {
    new Cron(s, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}, 'must be a cron expression croner accepts, e.g. "0 3 * * 1"');

const startUrl = z.string().refine((s) => {
  try {
    const u = new URL(s.replaceAll('{year}', '2024'));
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL (may contain {year})');

const Pagination = z.discriminatedUnion('type', [
  /** Everything zero-config knows: 下一页/尾页, countPage, numbered pages, Hanweb datastore. */
  z.object({ type: z.literal('auto') }).strict(),
  /** TRS static pages: index.html, index_1.html … (count from countPage when present, else until a 404). */
  z.object({ type: z.literal('index_n'), ext: z.enum(['html', 'shtml', 'htm']).default('html') }).strict(),
  /** <list>/1.html, 2.html … (Shaanxi platform, VSB): probed until a page adds no report. */
  z.object({ type: z.literal('numbered'), first: z.number().int().min(0).default(1), ext: z.enum(['html', 'shtml', 'htm']).default('html') }).strict(),
  /** Hanweb jcms jpage: POST /module/web/jpage/dataproxy.jsp with the column's ids. */
  z.object({
    type: z.literal('hanweb-dataproxy'),
    columnid: z.string().regex(/^\d+$/),
    unitid: z.string().regex(/^\d+$/),
    webid: z.string().regex(/^\d+$/),
    proxyPath: z.string().startsWith('/').default('/module/web/jpage/dataproxy.jsp'),
    perPage: z.number().int().positive().default(15),
    /** Number of records to ask for; when absent it is read from the column page's <totalrecord>. */
    totalRecord: z.number().int().positive().optional(),
  }).strict(),
  /** A JSON list endpoint (e.g. chinatax getFileListByCodeId). */
  z.object({
    type: z.literal('json-api'),
    url: z.url(),
    method: z.enum(['GET', 'POST']).default('GET'),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** A JSON request body (POST) instead of form or query params; pageParam and sizeParam are then dotted paths into it. */
    jsonBody: z.record(z.string(), z.unknown()).optional(),
    pageParam: z.string(),
    sizeParam: z.string().optional(),
    pageSize: z.number().int().positive().default(20),
    firstPage: z.number().int().min(0).default(1),
    /** Dotted paths into the response, e.g. "results.data.results". */
    itemsPath: z.string(),
    titleField: z.string(),
    urlField: z.string(),
    totalPath: z.string().optional(),
  }).strict(),
  z.object({ type: z.literal('none') }).strict(),
]);

export const SiteConfigSchema = z.object({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _ only (it names files)'),
  publisher: z.object({
    name: z.string().min(1),
    region: z.string().optional(),
    regionCode: z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code').optional(),
    level: z.enum(['national', 'province', 'city', 'county', 'township', 'zone']).optional(),
  }).strict(),
  cms: z.enum(['trs', 'hanweb', 'ucap', 'gd-post', 'shaanxi', 'vsb', 'json-api', 'other']),
  /** False until a live run against the real site has confirmed the config. */
  verified: z.boolean(),
  startUrls: z.array(startUrl).min(1),
  /** Expands {year} in startUrls: per-year folders such as …/2023n/. */
  years: z.object({ from: z.number().int().min(2008), to: z.union([z.number().int(), z.literal('current')]).default('current') }).strict().optional(),
  /** Extra hosts the crawl may follow links to (attachments on a file server, the www./bare twin). */
  hosts: z.array(z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i)).default([]),
  pagination: Pagination.default({ type: 'auto' }),
  reports: z.object({
    titlePattern: regex.default(DEFAULT_REPORT_TITLE),
    /** Link titles that match titlePattern but are not reports (notices, outlines, templates). "" disables. */
    excludePattern: regex.default(DEFAULT_REPORT_EXCLUDE),
    urlPattern: regex.optional(),
  }).strict().default({ titlePattern: DEFAULT_REPORT_TITLE, excludePattern: DEFAULT_REPORT_EXCLUDE }),
  attachments: z.object({
    extensions: z.array(z.enum(['pdf', 'doc', 'docx', 'wps', 'ofd', 'xls', 'xlsx'])).default([...ATTACHMENT_EXTENSIONS] as Array<'pdf'>),
    download: z.boolean().default(true),
  }).strict().default({ extensions: [...ATTACHMENT_EXTENSIONS] as Array<'pdf'>, download: true }),
  politeness: z.object({
    delayMs: z.number().int().min(0).optional(),
    concurrency: z.number().int().min(1).max(8).optional(),
  }).strict().default({}),
  maxListPages: z.number().int().positive().default(200),
  /**
   * Headless-browser rendering: "auto" renders a list page only when the
   * static path finds no report links on it (and a report page only when its
   * body is empty without scripts); true renders every list page; false never.
   */
  render: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  schedule: cron.optional(),
  notes: z.string().optional(),
}).strict();

export type SiteConfig = z.infer<typeof SiteConfigSchema>;
export type PaginationConfig = z.infer<typeof Pagination>;

export class ConfigError extends Error {
  constructor(readonly file: string, readonly issues: string[]) {
    super(`invalid site config ${file}:\n  ${issues.join('\n  ')}\nFix the field(s) named above; nothing was crawled.`);
    this.name = 'ConfigError';
  }
}

export function parseSiteConfig(raw: unknown, file = '<inline>'): SiteConfig {
  const r = SiteConfigSchema.safeParse(raw);
  if (!r.success) {
    throw new ConfigError(file, r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`));
  }
  const base = path.basename(file, '.json');
  if (file !== '<inline>' && base !== r.data.id) throw new ConfigError(file, [`id: "${r.data.id}" must match the file name "${base}"`]);
  return r.data;
}

export async function loadSiteConfig(file: string): Promise<SiteConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(file, [missing ? '(file): no such config; name a site id from the scrapers directory, a config file, or a list-page URL' : `(file): ${(e as Error).message}`]);
  }
  return parseSiteConfig(raw, file);
}

/** Every scrapers/*.json; one invalid file fails the whole load, naming it. */
export async function loadSiteConfigs(dir: string): Promise<SiteConfig[]> {
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('_')).sort();
  return Promise.all(names.map((n) => loadSiteConfig(path.join(dir, n))));
}

/** Start URLs with {year} expanded over the configured years. */
export function expandStartUrls(cfg: SiteConfig, now = new Date()): string[] {
  const out: string[] = [];
  for (const u of cfg.startUrls) {
    if (!u.includes('{year}')) {
      out.push(u);
      continue;
    }
    const from = cfg.years?.from ?? 2019;
    const to = cfg.years?.to === undefined || cfg.years.to === 'current' ? now.getFullYear() : cfg.years.to;
    for (let y = from; y <= to; y++) out.push(u.replaceAll('{year}', String(y)));
  }
  return out;
}

/** Zero-config crawl of one list URL: a config with every default. */
export function adHocConfig(listUrl: string): SiteConfig {
  const u = new URL(listUrl);
  return parseSiteConfig({
    id: u.host.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'site',
    publisher: { name: u.host },
    cms: 'other',
    verified: false,
    startUrls: [listUrl],
  });
}

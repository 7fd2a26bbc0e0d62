// Data quality: how much of each region and year is covered (reports found,
// parsed into values, failing a check), which figures were machine-read from
// scans and which of those OCR doubted, and how the crawler fared per site —
// last run, blocked pages, errors — read from its run reports
// (<data>/crawl/<site>/runs/*.json) and the scheduler's job history.
import { Router } from 'express';
import { loadRegions } from '../agency/index.ts';
import { JobHistory, type JobEntry } from '../archive/job-history.ts';
import { readRunReports } from '../archive/run-records.ts';
import { agencyMask } from '../query/filters.ts';
import type { ReportRow } from '../store/tables.ts';
import { badParam } from './errors.ts';
import { filterParams, stringParam, yearsParam } from './params.ts';
import { notModified, sendList } from './respond.ts';
import type { StoreHandle } from './store-handle.ts';

const DIGITS = { province: 2, city: 4, region: 6 } as const;

/** The warnings that name one OCR'd cell the reader doubts (src/parse/interpret). */
export const OCR_FLAGS = ['ocr_low_confidence', 'ocr_suspect_cell'];

/** A report's OCR warnings about single cells; their messages begin with the cell's metric id. */
function ocrFlags(r: ReportRow): { code: string; cell: string | null; page: number | null; message: string }[] {
  let warnings: { code?: string; message?: string; at?: { page?: number } }[] = [];
  try {
    warnings = JSON.parse(r.warnings) as typeof warnings;
  } catch {
    return [];
  }
  return warnings.filter((w) => w.code && OCR_FLAGS.includes(w.code)).map((w) => ({
    code: w.code!, cell: /^((?:t[234]|l)\.\S+):/.exec(w.message ?? '')?.[1] ?? null, page: w.at?.page ?? null, message: w.message ?? '',
  }));
}

export interface SiteStatus {
  site: string;
  last_run: string | null;
  last_status: string | null;
  runs: number;
  requests: number;
  reports_new: number;
  reports_changed: number;
  reports_unchanged: number;
  blocked: number;
  blocked_urls: string;
  errors: string;
  message: string | null;
}

/** The latest run of every site that has crawled or been scheduled. */
export async function siteStatuses(dataDir: string): Promise<SiteStatus[]> {
  const runs = readRunReports(dataDir);
  const jobs = new Map<string, JobEntry>();
  for (const j of await JobHistory.of(dataDir).list()) if (j.status !== 'skipped') jobs.set(j.site, j);
  const sites = [...new Set([...runs.keys(), ...jobs.keys()])].sort();
  return sites.map((site) => {
    const rs = runs.get(site) ?? [];
    const last = rs.at(-1);
    const job = jobs.get(site);
    const lastAt = [last?.finishedAt, job?.finishedAt].filter(Boolean).sort().at(-1) ?? null;
    const errors = last ? Object.entries(last.errors).map(([k, n]) => `${k}=${n}`).join(' ') : job?.errors ? Object.entries(job.errors).map(([k, n]) => `${k}=${n}`).join(' ') : '';
    return {
      site, last_run: lastAt, last_status: job && job.finishedAt === lastAt ? job.status : last ? (Object.keys(last.errors).length ? 'errors' : 'ok') : null,
      runs: rs.length, requests: last?.requests ?? 0,
      reports_new: last?.reports.new ?? 0, reports_changed: last?.reports.changed ?? 0, reports_unchanged: last?.reports.unchanged ?? 0,
      blocked: last?.blocked ?? 0, blocked_urls: (last?.blockedUrls ?? []).slice(0, 5).join(' '), errors, message: job?.message ?? null,
    };
  });
}

export function qualityRouter(store: StoreHandle, dataDir: string): Router {
  const r = Router();

  r.get('/quality/coverage', (req, res) => {
    if (notModified(req, res, store)) return;
    const by = stringParam(req, 'by') ?? 'province';
    if (!(by in DIGITS)) throw badParam('by', `must be one of ${Object.keys(DIGITS).join(', ')}`);
    const digits = DIGITS[by as keyof typeof DIGITS];
    const s = store.get();
    const regions = loadRegions();
    const failing = new Set<number>();
    for (const c of s.checks()) if (c.status === 'fail') failing.add(c.report);
    const cells = new Map<string, { region_code: string; region_name: string; year: number | null; reports: number; parsed: number; with_failed_checks: number; superseded: number }>();
    for (const rep of s.reports) {
      const a = rep.agency_key !== null ? s.agencies[rep.agency_key] : null;
      const code = a?.region_code ? a.region_code.slice(0, digits).padEnd(6, '0') : '';
      const key = `${code}|${rep.year}`;
      let c = cells.get(key);
      if (!c) {
        const name = code ? (regions.byCode.has(code) ? regions.fullName(code) : (a?.region_name ?? code)) : '（未归属 unattributed）';
        c = { region_code: code, region_name: name, year: rep.year, reports: 0, parsed: 0, with_failed_checks: 0, superseded: 0 };
        cells.set(key, c);
      }
      if (rep.status === 'superseded') {
        c.superseded++;
        continue;
      }
      c.reports++;
      if (rep.status === 'current' && rep.values > 0) c.parsed++;
      if (rep.status === 'current' && failing.has(rep.key)) c.with_failed_checks++;
    }
    const rows = [...cells.values()].sort((a, b) => (a.region_code < b.region_code ? -1 : a.region_code > b.region_code ? 1 : (a.year ?? 0) - (b.year ?? 0)));
    sendList(req, res, { name: `coverage-${by}`, rows, meta: { by, note: 'reports: distinct documents (current or unattributed); parsed: current reports with table values; superseded copies are counted apart' } });
  });

  r.get('/quality/ocr', (req, res) => {
    if (notModified(req, res, store)) return;
    const s = store.get();
    const f = filterParams(req);
    const { mask } = agencyMask(s.agencies, f);
    const filtered = f.agencies || f.regions || f.kinds || f.levels;
    const years = yearsParam(req);
    const rows = s.reports
      .filter((x) => x.status === 'current' && (x.ocr_values ?? 0) > 0 && (!years || (x.year !== null && years.includes(x.year))))
      .filter((x) => !filtered || (x.agency_key !== null && mask[x.agency_key]))
      .flatMap((x) => ocrFlags(x).map((w) => {
        const a = x.agency_key !== null ? s.agencies[x.agency_key] : null;
        return { agency: a?.name ?? x.agency_printed, agency_id: a?.id ?? null, year: x.year, report: x.sha256, code: w.code, cell: w.cell, page: w.page, message: w.message, cells_url: `/api/reports/${x.sha256}/cells` };
      }));
    sendList(req, res, {
      name: 'ocr-flags', rows,
      meta: { note: `cells of current reports read by OCR that the parser flagged: ${OCR_FLAGS.join(', ')}; the values are stored as read, never corrected` },
    });
  });

  r.get('/quality/sites', async (req, res) => {
    // Crawl state changes without a new store generation: short cache only.
    res.set('Cache-Control', 'no-cache');
    sendList(req, res, { name: 'sites', rows: (await siteStatuses(dataDir)) as unknown as Record<string, unknown>[] });
  });

  return r;
}

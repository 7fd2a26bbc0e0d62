// Reports (with links to the source and the archived copy) and consistency
// check results. The archived copy is served in a CSP sandbox: a saved
// government page is content from the internet and must not run as our origin.
import { Router } from 'express';
import { agencyMask } from '../query/filters.ts';
import { badParam, notFound } from './errors.ts';
import { reportValues } from '../query/query.ts';
import type { CellLocator } from '../query/cell-positions.ts';
import { archivedCopy, archivedImages, lookups, missingCells, reportView } from './lookups.ts';
import { filterParams, listParam, readParams, stringParam, yearsParam } from './params.ts';
import { intParam, notModified, sendList } from './respond.ts';
import type { StoreHandle } from './store-handle.ts';

const STATUSES = ['current', 'superseded', 'unattributed'];
const CHECK_STATUSES = ['pass', 'fail', 'not_assessable'];
const DOC_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', pdf: 'application/pdf', text: 'text/plain; charset=utf-8', markdown: 'text/plain; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
};

export function reportRouter(store: StoreHandle, dataDir: string, cells: CellLocator): Router {
  const r = Router();

  r.get('/reports', (req, res) => {
    if (notModified(req, res, store)) return;
    const s = store.get();
    const status = listParam(req, 'status');
    for (const x of status ?? []) if (!STATUSES.includes(x)) throw badParam('status', `"${x}" is not one of ${STATUSES.join(', ')}`);
    const f = filterParams(req);
    const filtered = f.agencies || f.regions || f.kinds || f.levels;
    const { mask } = agencyMask(s.agencies, f);
    const years = yearsParam(req);
    // missing=only: the reports whose documents lack template cells (incomplete), for the data-quality view.
    const missing = stringParam(req, 'missing');
    if (missing !== undefined && missing !== 'only') throw badParam('missing', `"${missing}" is not "only"`);
    // read=ocr: reports with values read by OCR from scans (the data-quality view); read=printed: those without.
    if (stringParam(req, 'min_confidence') !== undefined) throw badParam('min_confidence', 'is not a filter of reports (see read=ocr and each report\'s ocr_min_confidence)');
    const read = readParams(req).read ?? 'any';
    const rows = s.reports
      .filter((x) => (!status || status.includes(x.status)) && (!years || (x.year !== null && years.includes(x.year))))
      .filter((x) => !missing || Boolean(x.missing))
      .filter((x) => read === 'any' || (read === 'ocr') === (x.ocr_values ?? 0) > 0)
      .filter((x) => !filtered || (x.agency_key !== null && mask[x.agency_key]))
      .map((x) => reportView(s, dataDir, x));
    sendList(req, res, { name: 'reports', rows });
  });

  r.get('/reports/:sha', (req, res) => {
    if (notModified(req, res, store)) return;
    const s = store.get();
    const rep = lookups(s).reportBySha.get(req.params.sha);
    if (!rep) throw notFound(`no report with sha256 ${req.params.sha}`);
    const checks = s.checks().filter((c) => c.report === rep.key);
    const narrative = s.narrative().filter((n) => n.report === rep.key).map((n) => ({ ...n, evidence: JSON.parse(n.evidence) as unknown }));
    res.json({ report: reportView(s, dataDir, rep), warnings: JSON.parse(rep.warnings) as unknown, missing: missingCells(rep), narrative, checks });
  });

  r.get('/reports/:sha/cells', async (req, res) => {
    if (notModified(req, res, store)) return;
    const s = store.get();
    const rep = lookups(s).reportBySha.get(req.params.sha);
    if (!rep) throw notFound(`no report with sha256 ${req.params.sha}`);
    const copy = archivedCopy(dataDir, rep);
    const found = copy && (await cells.locate(rep, () => copy.read(), await reportValues(s, rep), () => archivedImages(dataDir, rep)));
    if (!found) throw notFound(`no archived copy of report ${rep.sha256} on this server, so where its figures were printed cannot be shown`);
    const { record, rows, matches } = found;
    sendList(req, res, {
      name: `cells-${rep.sha256.slice(0, 12)}`, rows,
      meta: {
        report: rep.sha256, parser_version: record.parser.version, stored_parser_version: rep.parser_version, matches_store: matches,
        note: matches
          ? 'positions found by parsing the archived copy again; every value equals the stored one'
          : 'positions found by parsing the archived copy again; some values differ from the stored ones (see stored_value): re-ingest or reparse to bring the store up to date',
      },
    });
  });

  r.get('/reports/:sha/document', (req, res) => {
    const s = store.get();
    const rep = lookups(s).reportBySha.get(req.params.sha);
    if (!rep) throw notFound(`no report with sha256 ${req.params.sha}`);
    const bytes = archivedCopy(dataDir, rep)?.read();
    if (!bytes) throw notFound(`no archived copy of report ${rep.sha256} on this server`);
    res.set('Content-Security-Policy', "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'");
    res.set('Cache-Control', 'public, max-age=86400, immutable');
    res.set('ETag', `"${rep.sha256}"`);
    if (req.fresh) return void res.status(304).end();
    res.type(DOC_TYPES[rep.format] ?? 'application/octet-stream').send(bytes);
  });

  r.get('/checks', (req, res) => {
    if (notModified(req, res, store)) return;
    const s = store.get();
    const status = listParam(req, 'status');
    for (const x of status ?? []) if (!CHECK_STATUSES.includes(x)) throw badParam('status', `"${x}" is not one of ${CHECK_STATUSES.join(', ')}`);
    const relation = intParam(req, 'relation', undefined, 1, 9);
    const f = filterParams(req);
    const filtered = f.agencies || f.regions || f.kinds || f.levels;
    const { mask } = agencyMask(s.agencies, f);
    const years = yearsParam(req);
    const id = stringParam(req, 'id');
    const rows = s.checks()
      .filter((c) => s.active[c.report] && (!status || status.includes(c.status)) && (relation === undefined || c.relation === relation))
      .filter((c) => (!years || (c.year !== null && years.includes(c.year))) && (!id || c.id === id))
      .filter((c) => !filtered || (c.agency !== null && mask[c.agency]))
      .map((c) => {
        const a = c.agency !== null ? s.agencies[c.agency] : null;
        return { agency: a?.name ?? null, agency_id: a?.id ?? null, year: c.year, id: c.id, relation: c.relation, status: c.status, left: c.left, right: c.right, cells: c.cells, note: c.note, report: s.reports[c.report]?.sha256 ?? null };
      });
    sendList(req, res, { name: 'checks', rows });
  });

  return r;
}

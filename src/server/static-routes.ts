// Pages, dashboard specs and the browser libraries. vega, vega-lite and
// vega-embed are served from node_modules (their UMD builds, as classic
// scripts), so the dashboards work with no internet and no CDN. The one ESM
// file the page imports from a package, vega-interpreter (which evaluates
// Vega expressions without eval, so the CSP can forbid 'unsafe-eval'), has its
// bare import of 'vega-util' rewritten to the path we serve vega-util from.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { notFound } from './errors.ts';

const ROOT = join(import.meta.dirname, '../..');
const NM = join(ROOT, 'node_modules');
export const DASHBOARDS_DIR = join(ROOT, 'dashboards');
const PUBLIC = join(import.meta.dirname, 'public');

const VENDOR: Record<string, string> = {
  'vega.min.js': join(NM, 'vega/build/vega.min.js'),
  'vega-lite.min.js': join(NM, 'vega-lite/build/vega-lite.min.js'),
  'vega-embed.min.js': join(NM, 'vega-embed/build/vega-embed.min.js'),
};

export interface DashboardSummary {
  id: string;
  order: number;
  title: string;
  title_en: string;
  description: string;
}

/** Dashboard specs in dashboards/*.json, read at start (they are data files shipped with the code). */
export function loadDashboards(dir = DASHBOARDS_DIR): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const spec = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
    out.set(String(spec.id ?? f.replace(/\.json$/, '')), spec);
  }
  return out;
}

export function staticRouter(): Router {
  const r = Router();
  const dashboards = loadDashboards();
  const longCache = { maxAge: '1h', etag: true, index: false };

  r.get('/', (_req, res) => res.sendFile(join(PUBLIC, 'index.html')));
  // Browsers ask for /favicon.ico on any page (a 404 there is a console error
  // on every dashboard); every current browser draws an SVG served under it.
  const favicon = (_req: express.Request, res: express.Response) => res.type('image/svg+xml').sendFile(join(PUBLIC, 'favicon.svg'), { maxAge: '1d' });
  r.get('/favicon.ico', favicon);
  r.get('/favicon.svg', favicon);
  r.get('/d/:id', (req, res) => {
    if (!dashboards.has(req.params.id)) throw notFound(`no dashboard ${JSON.stringify(req.params.id)}`);
    res.sendFile(join(PUBLIC, 'dashboard.html'));
  });
  r.use('/static', express.static(PUBLIC, longCache));

  r.get('/api/dashboards', (_req, res) => {
    const list: DashboardSummary[] = [...dashboards.values()].map((d) => ({
      id: String(d.id), order: Number(d.order ?? 99), title: String(d.title), title_en: String(d.title_en), description: String(d.description ?? ''),
    }));
    res.set('Cache-Control', 'public, max-age=300').json({ dashboards: list.sort((a, b) => a.order - b.order) });
  });
  r.get('/api/dashboards/:id', (req, res) => {
    const d = dashboards.get(req.params.id);
    if (!d) throw notFound(`no dashboard ${JSON.stringify(req.params.id)}`);
    res.set('Cache-Control', 'public, max-age=300').json(d);
  });

  r.get('/vendor/:file', (req, res) => {
    const file = req.params.file;
    if (file === 'vega-interpreter.js') {
      const src = readFileSync(join(NM, 'vega-interpreter/build/vega-interpreter.js'), 'utf8').replace(/from 'vega-util'/g, "from '/vendor/vega-util/index.js'");
      res.type('text/javascript').set('Cache-Control', 'public, max-age=3600').send(src);
      return;
    }
    const path = VENDOR[file];
    if (!path || !existsSync(path)) throw notFound(`no vendor file ${JSON.stringify(file)}`);
    res.sendFile(path, { maxAge: '1h' });
  });
  r.use('/vendor/vega-util', express.static(join(NM, 'vega-util/build'), longCache));
  return r;
}

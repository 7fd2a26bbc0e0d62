// src/server: the Express API and dashboards over query, store and archive. It never crawls (POST /api/crawl queues a job for `nianbao schedule`); cell positions are re-parsed on a worker thread through src/query.
//
// The Express application: security headers, rate limiting, the read-only API,
// the one write endpoint (token-guarded), pages and the single error handler.
// Built by a function so tests and the benchmark run the very same app.
import express, { type Express } from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { join } from 'node:path';
import { storeDirOf } from '../store/paths.ts';
import { CellLocator } from '../query/cell-positions.ts';
import { crawlRouter } from './crawl-route.ts';
import { ApiError, errorHandler, notFoundHandler } from './errors.ts';
import { qualityRouter } from './quality.ts';
import { reportRouter } from './report-routes.ts';
import { staticRouter } from './static-routes.ts';
import { StoreHandle } from './store-handle.ts';
import { valuesRouter } from './values-routes.ts';

export interface AppOptions {
  /** The global --data directory (store in <data>/store, archive in <data>/archive). */
  dataDir: string;
  /** Token for write endpoints; none → writes refused. Defaults to NIANBAO_TOKEN. */
  token?: string;
  scrapersDir?: string;
  /** API requests per minute per client address (default 1200). */
  rateLimitPerMinute?: number;
}

/** The app, its store handle, and `close` for what it holds open (the store's files, the re-parse worker). */
export function createApp(o: AppOptions): { app: Express; store: StoreHandle; close(): Promise<void> } {
  const store = new StoreHandle(storeDirOf(o.dataDir));
  const cells = new CellLocator();
  const app = express();
  app.disable('x-powered-by');
  // Our ETags come from the store generation (respond.ts), checked before any query runs.
  app.set('etag', false);

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          // Same-origin scripts only: no inline script, no eval (Vega runs on its expression interpreter).
          'script-src': ["'self'"],
          // vega-embed and vega-tooltip set element styles.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'connect-src': ["'self'"],
          'font-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      // Served on plain http on loopback by default: no HSTS, no upgrade of our own requests.
      strictTransportSecurity: false,
    }),
  );

  app.use(
    '/api',
    rateLimit({
      windowMs: 60_000,
      limit: o.rateLimitPerMinute ?? 1200,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new ApiError(429, 'rate_limited', 'too many requests: slow down and retry after the time in the RateLimit header')),
    }),
  );

  app.get('/api', (_req, res) => {
    res.json({
      name: 'nianbao API', docs: '/docs/api.md', openapi: '/api/openapi.json',
      endpoints: ['/api/metrics', '/api/agencies', '/api/agencies/{id}', '/api/agencies/{id}/values', '/api/values', '/api/compare', '/api/reports', '/api/reports/{sha256}', '/api/reports/{sha256}/cells', '/api/reports/{sha256}/document', '/api/checks', '/api/quality/coverage', '/api/quality/sites', '/api/dashboards', 'POST /api/crawl/{site}'],
    });
  });
  app.get('/api/openapi.json', (_req, res) => res.sendFile(join(import.meta.dirname, '../../docs/openapi.json')));
  app.get('/docs/api.md', (_req, res) => res.type('text/markdown; charset=utf-8').sendFile(join(import.meta.dirname, '../../docs/api.md')));
  const dataDir = o.dataDir;
  app.use('/api', valuesRouter(store, dataDir), reportRouter(store, dataDir, cells), qualityRouter(store, dataDir));
  app.use('/api', express.json({ limit: '10kb' }), crawlRouter({ dataDir, scrapersDir: o.scrapersDir ?? join(import.meta.dirname, '../../scrapers'), token: o.token ?? process.env.NIANBAO_TOKEN }));
  app.use(staticRouter());
  app.use(notFoundHandler);
  app.use(errorHandler);
  return {
    app, store,
    close: async () => {
      await cells.close();
      await store.close();
    },
  };
}

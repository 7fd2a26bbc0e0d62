// The one write endpoint: POST /api/crawl/:site starts a crawl of a configured
// site (scrapers/<site>.json) in the background. It exists only when a token
// is configured (NIANBAO_TOKEN); without one every write is refused, so a
// server started for browsing can never be made to fetch the internet.
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type Request } from 'express';
import { DEFAULT_USER_AGENT } from '../fetch/context.ts';
import { resolveTargets, runSites } from '../fetch/run-sites.ts';
import { ApiError, notFound } from './errors.ts';

export interface CrawlRouteOptions {
  dataDir: string;
  scrapersDir: string;
  token?: string;
}

function authorised(req: Request, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]), b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function crawlRouter(o: CrawlRouteOptions): Router {
  const r = Router();
  const running = new Map<string, string>();

  r.post('/crawl/:site', async (req, res) => {
    if (!o.token) throw new ApiError(403, 'writes_disabled', 'write endpoints are disabled: start the server with NIANBAO_TOKEN set to enable them');
    if (!authorised(req, o.token)) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'unauthorised', 'send the configured token as "Authorization: Bearer <token>"');
    }
    const site = req.params.site;
    if (!/^[\w.-]+$/.test(site) || !existsSync(join(o.scrapersDir, `${site}.json`))) throw notFound(`no site config ${JSON.stringify(site)} in ${o.scrapersDir}`);
    if (running.has(site)) throw new ApiError(409, 'busy', `a crawl of ${site} started at ${running.get(site)} is still running`);
    const [cfg] = await resolveTargets([site], o.scrapersDir, false);
    const startedAt = new Date().toISOString();
    running.set(site, startedAt);
    // Background: the result lands in the run reports and the store, which /api/quality/sites shows.
    // The fetcher's own polite defaults (1 request at a time per host, robots.txt obeyed).
    void runSites([cfg], { dataDir: o.dataDir, userAgent: process.env.NIANBAO_USER_AGENT ?? DEFAULT_USER_AGENT, parse: true })
      .catch((e: unknown) => console.error(`[server] crawl ${site} failed:`, e))
      .finally(() => running.delete(site));
    res.status(202).json({ site, status: 'started', started_at: startedAt, progress: '/api/quality/sites' });
  });

  return r;
}

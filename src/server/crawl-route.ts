// The one write endpoint: POST /api/crawl/:site asks for a crawl of a
// configured site (scrapers/<site>.json). The server never crawls in its own
// process: the request is queued in <data>/jobs/queue for `nianbao schedule`,
// which runs it like a cron tick (polite, one run per site at a time) and
// records it in the job history. The endpoint exists only when a token is
// configured (NIANBAO_TOKEN); without one every write is refused, so a server
// started for browsing can never be made to fetch the internet.
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type Request } from 'express';
import { enqueueCrawl, liveScheduler } from '../archive/job-queue.ts';
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
  r.post('/crawl/:site', async (req, res) => {
    if (!o.token) throw new ApiError(403, 'writes_disabled', 'write endpoints are disabled: start the server with NIANBAO_TOKEN set to enable them');
    if (!authorised(req, o.token)) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'unauthorised', 'send the configured token as "Authorization: Bearer <token>"');
    }
    const site = req.params.site;
    if (!/^[\w.-]+$/.test(site) || !existsSync(join(o.scrapersDir, `${site}.json`))) throw notFound(`no site config ${JSON.stringify(site)} in ${o.scrapersDir}`);
    const { job, queued } = await enqueueCrawl(o.dataDir, site, 'api');
    const scheduler = await liveScheduler(o.dataDir);
    res.status(202).json({
      site, status: queued ? 'queued' : 'already_queued', queued_at: job.queuedAt,
      scheduler: scheduler ? { pid: scheduler.pid, polls_every_ms: scheduler.pollMs } : null,
      note: scheduler
        ? 'nianbao schedule takes the job on its next poll; the run shows in /api/quality/sites and `nianbao jobs`'
        : 'no `nianbao schedule` is running on this data directory: the job waits in the queue until one starts',
      progress: '/api/quality/sites',
    });
  });

  return r;
}

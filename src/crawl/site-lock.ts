// One run of a site at a time, across processes (a scheduled run and a manual
// `nianbao crawl` of the same site must not interleave their journals). The
// lock is a file holding the owner's pid; a lock whose pid is gone (the owner
// was killed) is taken over.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { processAlive } from '../common/process-alive.ts';

export class SiteBusyError extends Error {
  constructor(readonly site: string, readonly pid: number) {
    super(`site ${site} is already being crawled by process ${pid}; wait for that run to finish (or stop it) and try again`);
    this.name = 'SiteBusyError';
  }
}

export async function acquireSiteLock(dir: string, site: string): Promise<() => Promise<void>> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'lock');
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fh = await fs.open(file, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return async () => {
        await fs.rm(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && processAlive(pid)) throw new SiteBusyError(site, pid);
      if (pid === process.pid) throw new SiteBusyError(site, pid);
      await fs.rm(file, { force: true }); // stale: its owner is dead
    }
  }
  throw new Error(`could not take the lock ${file}; remove it if no crawl of ${site} is running`);
}

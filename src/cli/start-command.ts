// `nianbao start` (what `npm start` runs): with no store yet, build one from
// the bundled sample reports in data/samples (no network needed), then start
// the dashboards server and print its URL.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { discoverSources, ingestSources, parseCacheOf } from '../pipeline/ingest.ts';
import { storeDirOf } from '../store/paths.ts';
import { dataDir } from './data-dir.ts';
import { addServeOptions, checkPort, serveUntilStopped, type ServeCliOptions } from './serve-command.ts';

const SAMPLES = join(import.meta.dirname, '../../data/samples');

export function registerStart(program: Command): void {
  addServeOptions(
    program.command('start').description('build the store from the bundled samples if there is none, then serve the dashboards and API'),
  ).action(async (o: ServeCliOptions, cmd: Command) => {
    const data = dataDir(cmd);
    await checkPort(o); // a busy port is said now, not after building the store
    const storeDir = storeDirOf(data);
    if (!existsSync(join(storeDir, 'manifest.json'))) {
      console.log(`No store in ${storeDir} yet: ingesting the bundled sample reports from ${SAMPLES} …`);
      const s = await ingestSources(discoverSources([SAMPLES]), { storeDir, cacheDir: parseCacheOf(data) });
      console.log(`${s.added} reports added, ${s.failed.length} failed, ${s.newValues} values.`);
    }
    await serveUntilStopped(data, o);
  });
}

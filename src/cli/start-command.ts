// `nianbao start` (what `npm start` runs): with no store yet, build one from
// the bundled sample reports in data/samples (no network needed), then show
// what the samples say. The dashboards server (issue 5) will take over here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { discoverSources, ingestSources } from '../store/ingest.ts';
import { dataDir, parseCacheOf, storeDirOf } from './store-paths.ts';
import { runParse } from './parse-command.ts';

const SAMPLES = join(import.meta.dirname, '../../data/samples');

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('build the store from the bundled samples if there is none, then summarise the samples')
    .action(async (_opts: unknown, cmd: Command) => {
      const data = dataDir(cmd);
      const storeDir = storeDirOf(data);
      if (!existsSync(join(storeDir, 'manifest.json'))) {
        console.log(`No store in ${storeDir} yet: ingesting the bundled sample reports from ${SAMPLES} …`);
        const s = await ingestSources(discoverSources([SAMPLES]), { storeDir, cacheDir: parseCacheOf(data) });
        console.log(`${s.added} reports added, ${s.failed.length} failed, ${s.newValues} values.`);
      }
      process.exitCode = await runParse([SAMPLES], {});
      console.log('\nNext: nianbao query --metric t3.new_received.total --by agency,year   (nianbao --help for every command)');
    });
}

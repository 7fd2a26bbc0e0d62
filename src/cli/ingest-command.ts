import type { Command } from 'commander';
import { archiveSources, discoverSources, ingestSources, parseCacheOf, type IngestSummary } from '../pipeline/ingest.ts';
import { archiveOf } from '../archive/paths.ts';
import { storeDirOf } from '../store/paths.ts';
import { dataDir } from './data-dir.ts';

function report(s: IngestSummary): void {
  const rate = s.seconds > 0 ? Math.round(s.newValues / s.seconds) : 0;
  console.log(
    `${s.documents} documents: ${s.added} added, ${s.unchanged} unchanged, ${s.superseded} superseded an older version, ${s.failed.length} failed; ` +
      `${s.newValues} values in ${s.seconds.toFixed(1)} s (${rate} values/s)${s.changed ? '' : ' — store unchanged'}`,
  );
  for (const f of s.failed) console.error(`failed: ${f.source}: ${f.error}`);
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('parse documents (files, directories, a crawler archive, or JSON/JSONL parse records) into the store')
    .argument('<inputs...>', 'files, directories or archive directories')
    .option('--part-rows <n>', 'values per part file (bounds memory)', (v) => Number(v))
    .action(async (inputs: string[], opts: { partRows?: number }, cmd: Command) => {
      const data = dataDir(cmd);
      const summary = await ingestSources(discoverSources(inputs), { storeDir: storeDirOf(data), cacheDir: parseCacheOf(data), partRows: opts.partRows });
      report(summary);
      if (summary.failed.length && summary.added + summary.unchanged === 0) process.exitCode = 1;
    });
}

export function registerReparse(program: Command): void {
  program
    .command('reparse')
    .description('re-run the current parser over every archived document; new parses supersede older ones')
    .action(async (_opts: unknown, cmd: Command) => {
      const data = dataDir(cmd);
      const summary = await ingestSources(archiveSources(archiveOf(data)), { storeDir: storeDirOf(data), cacheDir: parseCacheOf(data) });
      report(summary);
    });
}

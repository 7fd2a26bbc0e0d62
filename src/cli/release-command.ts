// `nianbao release --out <dir>`: the current store as a versioned open-data
// package (src/query/release.ts), with each document's fetch time taken from
// the raw archive when there is one.
import { existsSync, readdirSync } from 'node:fs';
import type { Command } from 'commander';
import { openArchive } from '../archive/archive.ts';
import { archiveOf } from '../archive/paths.ts';
import { writeRelease } from '../query/release.ts';
import { StoreReader } from '../store/reader.ts';
import { storeDirOf } from '../store/paths.ts';
import { dataDir } from './data-dir.ts';

/** sha256 → first time a document with those bytes was fetched (ISO 8601), from the archive's fetch records. */
function fetchTimes(archiveDir: string): ((sha: string) => string | null) | undefined {
  if (!existsSync(archiveDir)) return undefined;
  const first = new Map<string, string>();
  for (const r of openArchive(archiveDir).records()) {
    if (!r.sha256 || !r.fetchedAt) continue;
    const seen = first.get(r.sha256);
    if (!seen || r.fetchedAt < seen) first.set(r.sha256, r.fetchedAt);
  }
  return (sha) => first.get(sha) ?? null;
}

export function registerRelease(program: Command): void {
  program
    .command('release')
    .description('write the current store as a citable open-data package: Frictionless datapackage.json, CSV (UTF-8 BOM) and Parquet, SHA256SUMS, CITATION.cff, README')
    .requiredOption('--out <dir>', 'directory to create (must not exist or be empty)')
    .option('--version <v>', 'package version (default: <store generation>.0.0)')
    .option('--title <t>', 'package title')
    .option('--author <name...>', 'author(s) to cite (default: nianbao contributors)')
    .option('--license <spdx>', "SPDX id of the package's own licence (the compilation; see its README)", 'CC-BY-4.0')
    .action(async (o: { out: string; version?: string; title?: string; author?: string[]; license: string }, cmd: Command) => {
      if (existsSync(o.out) && readdirSync(o.out).length) {
        console.error(`nianbao release: ${o.out} exists and is not empty; give --out a new directory`);
        process.exit(1);
      }
      const data = dataDir(cmd);
      const store = StoreReader.open(storeDirOf(data));
      try {
        const r = await writeRelease(store, o.out, { version: o.version, title: o.title, authors: o.author, license: o.license, fetchedAt: fetchTimes(archiveOf(data)) });
        console.log(`release ${r.version} written to ${r.dir}: ${Object.entries(r.rows).map(([k, n]) => `${n} ${k}`).join(', ')}`);
      } finally {
        await store.close();
      }
    });
}

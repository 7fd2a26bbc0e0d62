// Crash-safe file writes: write a temp file in the target directory, fsync it,
// rename over the target. A reader (or a crawl resumed after kill -9) sees the
// old file or the new one, never half of one.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * `durable: false` skips the fsync for files that are caches of durable ones
 * (the per-URL state derived from fetch records): rename still makes them
 * atomic against a killed process, and after a power loss the worst case is
 * one refetch.
 */
// Directories already created by this process: mkdir is not free when a crawl writes thousands of files.
const madeDirs = new Set<string>();
let tmpCounter = 0;

export async function ensureDir(dir: string): Promise<void> {
  if (madeDirs.has(dir)) return;
  await fs.mkdir(dir, { recursive: true });
  madeDirs.add(dir);
}

export async function writeFileAtomic(file: string, data: Uint8Array | string, opts: { durable?: boolean } = {}): Promise<void> {
  await ensureDir(path.dirname(file));
  const tmp = path.join(path.dirname(file), `.tmp-${process.pid}-${(tmpCounter++).toString(36)}`);
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    if (opts.durable !== false) await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
}

export async function readJsonIfExists<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

// Crash-safe file writes: write a temp file in the target directory, rename it
// over the target. A reader (or a crawl resumed after kill -9) sees the old
// file or the new one, never half of one. Durable by default (fsync before the
// rename); the archive instead hands its writes to a SyncBarrier and makes a
// whole batch durable at once (group commit, see durability.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SyncBarrier } from './durability.ts';

// Directories already created by this process: mkdir is not free when a crawl writes thousands of files.
const madeDirs = new Set<string>();
let tmpCounter = 0;

export async function ensureDir(dir: string, barrier?: SyncBarrier): Promise<void> {
  if (madeDirs.has(dir)) return;
  const first = await fs.mkdir(dir, { recursive: true });
  if (first && barrier) {
    // Every level from the first one created down to `dir` is a new directory entry.
    for (let d = dir; d.length >= first.length; d = path.dirname(d)) barrier.madeDir(d);
  }
  madeDirs.add(dir);
}

/**
 * `barrier`: skip the fsync and let the barrier make the file durable with
 * the rest of its batch (the rename still makes it atomic against a killed
 * process). Without one, the file is fsynced before the rename.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string, opts: { barrier?: SyncBarrier } = {}): Promise<void> {
  const dir = path.dirname(file);
  await ensureDir(dir, opts.barrier);
  const tmp = path.join(dir, `.tmp-${process.pid}-${(tmpCounter++).toString(36)}`);
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    if (!opts.barrier) await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
  opts.barrier?.wrote(file);
}

export async function readJsonIfExists<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

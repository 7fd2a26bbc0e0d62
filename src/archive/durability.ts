// Group commit for the archive: blobs, records and journal lines are written
// (appended to open files, or temp file + rename, so never torn) without an
// fsync each; a barrier then makes everything written so far durable in one
// step, and only after it does the journal mark the documents done (see
// docs/crawling.md, "Durability").
//
// The barrier fsyncs every file and directory written since the previous one,
// in parallel. With the pack layout that is a handful of files per batch (the
// current segment's pack, index and records logs, the journal, a renamed
// file), so it costs one flush of the data itself. `NIANBAO_SYNC=syncfs` asks
// for one syncfs(2) of the archive's filesystem instead (`sync -f`, coreutils);
// that spawns a process per barrier, which costs more than it saves now that
// a batch touches few files, so it is no longer the default.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export class SyncBarrier {
  private files = new Set<string>();
  private dirs = new Set<string>();
  private mode: 'syncfs' | 'fsync' = process.platform === 'linux' && process.env.NIANBAO_SYNC === 'syncfs' ? 'syncfs' : 'fsync';
  private readonly roots = new Set<string>();

  /** `roots`: directories whose filesystems the barrier syncs (syncfs mode). */
  constructor(roots: string[]) {
    for (const r of roots) this.roots.add(r);
  }

  addRoot(dir: string): void {
    this.roots.add(dir);
  }

  /** A file written (and renamed into place) since the last barrier. */
  wrote(file: string): void {
    this.files.add(file);
    this.dirs.add(path.dirname(file));
  }

  /** A directory created since the last barrier (its entry in the parent must be made durable too). */
  madeDir(dir: string): void {
    this.dirs.add(dir);
    this.dirs.add(path.dirname(dir));
  }

  /** Make everything written before this call durable. */
  async sync(): Promise<void> {
    const files = this.files, dirs = this.dirs;
    this.files = new Set();
    this.dirs = new Set();
    if (this.mode === 'syncfs') {
      try {
        await syncfs([...this.roots]);
        return;
      } catch {
        this.mode = 'fsync'; // no usable `sync -f` here: fsync file by file from now on
      }
    }
    await fsyncAll([...files], false);
    await fsyncAll([...dirs], true);
  }
}

function syncfs(roots: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sync', ['-f', ...roots], { timeout: 120_000 }, (err) => (err ? reject(err) : resolve()));
  });
}

async function fsyncAll(paths: string[], dirs: boolean): Promise<void> {
  let i = 0;
  const one = async (p: string) => {
    let fh;
    try {
      fh = await fs.open(p, 'r');
    } catch (e) {
      // A temp file renamed away or a directory removed since: nothing left to sync.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    try {
      await fh.sync();
    } catch (e) {
      // Some filesystems refuse fsync on a directory; the files themselves were synced.
      if (!dirs || !['EINVAL', 'EISDIR', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    } finally {
      await fh.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, paths.length) }, async () => {
    while (i < paths.length) await one(paths[i++]);
  }));
}

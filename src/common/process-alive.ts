// Is a process still there? Lock files (a store's writer, a site's crawl) and
// the scheduler's heartbeat hold a pid; a pid that is gone means its owner was
// killed and the lock or heartbeat is stale. EPERM means the process exists
// but belongs to another user: still alive.
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

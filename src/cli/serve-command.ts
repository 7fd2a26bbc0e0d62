// `nianbao serve`: the dashboards and the read-only API over the store in
// <data>/store (see docs/api.md).
import { createServer } from 'node:net';
import type { Command } from 'commander';
import { startServer, type RunningServer } from '../server/serve.ts';
import { dataDir } from './data-dir.ts';

export interface ServeCliOptions {
  host: string;
  port: number;
}

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port: expected 0–65535, got "${v}"`);
  return n;
};

/** Add --host/--port to a command (`serve` and `start` share them). PORT and HOST are honoured as hosting platforms set them; the NIANBAO_ names win. */
export function addServeOptions(cmd: Command): Command {
  const env = process.env;
  // An unusable PORT is reported when serving starts (checkPort), not when any other subcommand is parsed.
  const envPort = env.NIANBAO_PORT || env.PORT;
  return cmd
    .option('--host <host>', 'address to listen on (127.0.0.1 = this machine only; env NIANBAO_HOST or HOST)', env.NIANBAO_HOST || env.HOST || '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port; env NIANBAO_PORT or PORT)', port, envPort === undefined ? 3000 : Number(envPort));
}

/** One line for a port that cannot be had, instead of a stack trace; null for other errors. */
export function listenProblem(e: unknown, o: ServeCliOptions): string | null {
  const code = (e as NodeJS.ErrnoException)?.code;
  const next = o.port > 0 && o.port < 65535 ? o.port + 1 : 8080;
  const hint = `try --port ${next} or PORT=${next}`;
  if (code === 'EADDRINUSE') return `port ${o.port} is in use; ${hint}`;
  if (code === 'EACCES') return `port ${o.port} needs privileges on this machine; ${hint}`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${o.host}: not an address of this machine; try --host 127.0.0.1`;
  return null;
}

function fail(line: string): never {
  console.error(`nianbao: ${line}`);
  process.exit(1);
}

/**
 * Before slow work (`start` builds a store first): the port is a number and
 * can be listened on now, else one line and status 1. The server's own listen
 * still reports a port taken in between.
 */
export async function checkPort(o: ServeCliOptions): Promise<void> {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) fail(`the port (from NIANBAO_PORT or PORT) must be 0–65535, got "${process.env.NIANBAO_PORT || process.env.PORT}"`);
  if (o.port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(o.port, o.host, () => resolve());
    });
  } catch (e) {
    const line = listenProblem(e, o);
    if (line) fail(line);
    throw e;
  }
  await new Promise<void>((r) => probe.close(() => r()));
}

/** Start the server and keep it running until SIGINT/SIGTERM; a port or address that cannot be had ends the process with one line and status 1. */
export async function serveUntilStopped(data: string, o: ServeCliOptions): Promise<RunningServer> {
  await checkPort(o);
  let s: RunningServer;
  try {
    s = await startServer({ dataDir: data, host: o.host, port: o.port });
  } catch (e) {
    const line = listenProblem(e, o);
    if (!line) throw e;
    fail(line);
  }
  console.log(`nianbao dashboards and API on ${s.url}/  (API: ${s.url}/api, Ctrl-C to stop)`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return s;
}

export function registerServe(program: Command): void {
  addServeOptions(program.command('serve').description('serve the dashboards and the read-only JSON/CSV/Arrow API over the store'))
    .action(async (o: ServeCliOptions, cmd: Command) => {
      await serveUntilStopped(dataDir(cmd), o);
    });
}

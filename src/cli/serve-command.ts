// `nianbao serve`: the dashboards and the read-only API over the store in
// <data>/store (see docs/api.md).
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

/** Add --host/--port to a command (`serve` and `start` share them). */
export function addServeOptions(cmd: Command): Command {
  return cmd
    .option('--host <host>', 'address to listen on (127.0.0.1 = this machine only)', process.env.NIANBAO_HOST ?? '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', port, Number(process.env.NIANBAO_PORT ?? 3000));
}

/** Start the server and keep it running until SIGINT/SIGTERM. */
export async function serveUntilStopped(data: string, o: ServeCliOptions): Promise<RunningServer> {
  const s = await startServer({ dataDir: data, host: o.host, port: o.port });
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

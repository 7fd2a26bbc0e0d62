// `nianbao serve` / `start` as a newcomer meets them: PORT and HOST are
// honoured, and a port already taken is one clear line and status 1, not a
// stack trace (and `start` says so before building a store).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/nianbao');
let data: string;
let busy: Server;
let busyPort: number;

function run(args: string[], env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--data', data, ...args], { env: { ...process.env, NIANBAO_PORT: '', NIANBAO_HOST: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (b) => {
      out += b;
      if (until?.test(out)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'nianbao-serve-cli-'));
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((r) => busy.close(() => r()));
  rmSync(data, { recursive: true, force: true });
});

describe('serve and start on the command line', () => {
  for (const cmd of ['serve', 'start']) {
    it(`${cmd}: a busy port is one line and status 1`, async () => {
      const r = await run([cmd], { PORT: String(busyPort) });
      expect(r.code).toBe(1);
      expect(r.err.trim()).toBe(`nianbao: port ${busyPort} is in use; try --port ${busyPort + 1} or PORT=${busyPort + 1}`);
      expect(r.out).not.toContain('ingesting'); // start did not build a store first
    });
  }

  it('honours PORT and HOST', async () => {
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((r) => free.close(() => r()));
    const r = await run(['serve'], { PORT: String(port), HOST: '127.0.0.1' }, /dashboards and API on/);
    expect(r.out).toContain(`http://127.0.0.1:${port}/`);
  });

  it('says which variable holds an unusable port', async () => {
    const r = await run(['serve'], { PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('must be 0–65535, got "eighty"');
  });
});

// /api/reports/{sha256}/cells when the archived copy cannot be parsed again:
// one JSON error with its own code, never a hung or crashed server. The copy
// here is SYNTHETIC: random bytes recorded as a report (not government data).
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.ts';
import { ingestSources } from '../../src/pipeline/ingest.ts';
import { syntheticRecord } from '../store/synthetic.ts';
import { startTestServer } from './helpers.ts';

let srv: RunningServer;
let sha = '';

beforeAll(async () => {
  const data = mkdtempSync(join(tmpdir(), 'nianbao-cells-'));
  const garbage = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251));
  const file = join(data, 'garbage.pdf');
  writeFileSync(file, Buffer.concat([Buffer.from('%PDF-1.7\n'), garbage]));
  const record = syntheticRecord({ agency: '合成测试机关900', year: 2023, seed: 1 });
  sha = createHash('sha256').update(Buffer.concat([Buffer.from('%PDF-1.7\n'), garbage])).digest('hex');
  record.source = { sha256: sha, format: 'pdf', path: file };
  await ingestSources([{ kind: 'record', record, origin: 'synthetic' }], { storeDir: join(data, 'store'), parser: null });
  srv = await startTestServer(data);
}, 60_000);
afterAll(() => srv?.close());

it('answers 422 unreadable_document for a copy that no longer parses, and keeps serving', async () => {
  const r = await fetch(`${srv.url}/api/reports/${sha}/cells`);
  expect(r.status).toBe(422);
  const body = (await r.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('unreadable_document');
  expect(body.error.message).toContain(sha);
  expect((await fetch(`${srv.url}/api/reports/${sha}`)).status).toBe(200);
}, 60_000);

// Shared by the server tests: a store built from the bundled samples in a temp
// --data directory, optionally with one SYNTHETIC record whose agency name and
// title are hostile HTML (to prove the pages render such strings as text).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverSources, ingestSources } from '../../src/pipeline/ingest.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';

export const SAMPLES = join(import.meta.dirname, '../../data/samples');
/**
 * Parses are cached by sha256 + parser version, so test runs after the first
 * skip re-parsing. One cache per checkout: two checkouts on one machine may
 * carry different parsers under the same version number.
 */
const PARSE_CACHE = join(tmpdir(), `nianbao-test-parse-cache-${createHash('sha256').update(import.meta.dirname).digest('hex').slice(0, 12)}`);

export const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">合成测试局';
export const HOSTILE_TITLE = 'SYNTHETIC TEST RECORD 合成测试记录 <script>window.__xss=2</script>';

/**
 * A clearly labelled synthetic report (not a government figure): it exists
 * only in temp test stores. Its few numbers are arbitrary and consistent.
 */
export function syntheticHostileRecord(): Record<string, unknown> {
  const v = (row: string, value: number) => ({ table: 't3', row, col: 'total', value, cell: 'number', raw: String(value), unit: null, at: { table: 1, row: 0, col: 0 } });
  return {
    source: { sha256: 'f'.repeat(64), format: 'html', path: 'synthetic://hostile-name-test' },
    agency: { name: HOSTILE_NAME },
    year: 2023, published: null, template: '2021', title: HOSTILE_TITLE,
    values: [v('new_received', 40), v('carried_over', 0), v('granted', 30), v('partially_granted', 5), v('total_processed', 35), v('carried_forward', 5)],
    missing: [], narrative: [], checks: [], warnings: ['SYNTHETIC: made by test/server/helpers.ts, not a real report'],
    parser: { version: 'synthetic-test' },
  };
}

export interface TestStore {
  data: string;
  cleanup(): void;
}

export async function buildSampleStore(opts: { hostile?: boolean } = {}): Promise<TestStore> {
  const data = mkdtempSync(join(tmpdir(), 'nianbao-server-test-'));
  const inputs = [SAMPLES];
  if (opts.hostile) {
    const dir = join(data, 'synthetic');
    mkdirSync(dir);
    writeFileSync(join(dir, 'SYNTHETIC-hostile-name.json'), JSON.stringify(syntheticHostileRecord()));
    inputs.push(dir);
  }
  await ingestSources(discoverSources(inputs), { storeDir: join(data, 'store'), cacheDir: PARSE_CACHE });
  return { data, cleanup: () => rmSync(data, { recursive: true, force: true }) };
}

export async function startTestServer(data: string, extra: { token?: string; rateLimitPerMinute?: number } = {}): Promise<RunningServer> {
  return startServer({ dataDir: data, host: '127.0.0.1', port: 0, rateLimitPerMinute: extra.rateLimitPerMinute ?? 100_000, token: extra.token ?? '' });
}

// Debug aid: the worker pool against in-process parsing on the same documents,
// with 1 and 2 workers, to separate pool overhead from parallel speed-up.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../src/parse/index.ts';
import { ParsePool } from '../src/parse/pool.ts';

const dir = join(import.meta.dirname, '../../shared/corpus/reports');
const files = readdirSync(dir).map((f) => join(dir, f));
const batch = Array.from({ length: 6 }, () => files).flat();
let t = performance.now();
for (const f of batch) await parseDocument(readFileSync(f), { path: f });
console.log('in-process', (performance.now() - t).toFixed(0), 'ms for', batch.length);
for (const workers of [1, 2]) {
  const pool = new ParsePool({ workers });
  await Promise.all(files.map((f) => pool.parseFile(f))); // warm the workers
  t = performance.now();
  await Promise.all(batch.map((f) => pool.parseFile(f)));
  console.log(`pool(${workers})`, (performance.now() - t).toFixed(0), 'ms');
  await pool.close();
}

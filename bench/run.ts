// `npm run bench`: every figure as one JSON object per line, each a ratio to a
// baseline measured in the same run. `npm run bench -- parse` runs one group.
// A group that fails is reported on stderr and the others still run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchFigure } from './figure.ts';

const GROUPS: { name: string; file: string; fn: string }[] = [
  { name: 'parse', file: 'parse.ts', fn: 'benchParse' },
  { name: 'ocr', file: 'ocr.ts', fn: 'benchOcr' },
  { name: 'ocr-memory', file: 'ocr-memory.ts', fn: 'benchOcrMemory' },
  { name: 'crawl', file: 'crawl.ts', fn: 'benchCrawl' },
  { name: 'store', file: 'store.ts', fn: 'benchStore' },
  { name: 'server', file: 'server.ts', fn: 'benchServer' },
];

const only = process.argv.slice(2);
let over = 0;
let failed = 0;
for (const g of GROUPS) {
  if (only.length && !only.includes(g.name)) continue;
  const path = join(import.meta.dirname, g.file);
  if (!existsSync(path)) continue;
  try {
    const mod = (await import(path)) as Record<string, () => Promise<BenchFigure[]>>;
    for (const f of await mod[g.fn]()) {
      console.log(JSON.stringify(f));
      if (f.target !== null && f.ratio > f.target) over++;
    }
  } catch (e) {
    failed++;
    console.error(`bench ${g.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
if (over) console.error(`${over} figure(s) over target`);
if (failed) process.exitCode = 1;

// Child process of export-memory.test.ts: exports a store in the three formats
// and reports the process's peak RSS, so the test can compare stores of
// different sizes. Usage: tsx export-child.ts <storeDir> <outDir> [formats…]
import { join } from 'node:path';
import { exportStore, type ExportFormat } from '../../src/query/export.ts';
import { StoreReader } from '../../src/store/reader.ts';

const [storeDir, outDir, ...formats] = process.argv.slice(2);
const store = StoreReader.open(storeDir);
const rss0 = process.resourceUsage().maxRSS;
const rows: Record<string, number> = {};
let parts = 0;
for (const f of (formats.length ? formats : ['csv', 'arrow', 'parquet']) as ExportFormat[]) {
  parts = 0;
  rows[f] = await exportStore(store, f, join(outDir, `v.${f}`), { onPart: () => { parts++; globalThis.gc?.(); } });
}
await store.close();
console.log(JSON.stringify({ rows, parts, startKB: rss0, peakKB: process.resourceUsage().maxRSS }));

// Export is streaming: its memory does not grow with the store. Two SYNTHETIC
// stores with the same part size, one 8× the other, are exported (CSV, Arrow,
// Parquet) in child processes that report their peak RSS; the larger store
// may not need more than a fraction of its own export's size beyond what the
// smaller one needed. (The previous export built the whole Arrow stream in
// memory first: +230 MB for Arrow and +360 MB for Parquet here.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { exportStore, type ExportFormat } from '../../src/query/export.ts';
import type { PartInfo } from '../../src/store/manifest.ts';
import { StoreReader } from '../../src/store/reader.ts';
import { StoreWriter } from '../../src/store/writer.ts';
import { syntheticRecord } from './synthetic.ts';

const PART_ROWS = 100_000;

async function build(dir: string, records: number): Promise<number> {
  const w = StoreWriter.open(dir, { partRows: PART_ROWS });
  for (let i = 0; i < records; i++) w.add(syntheticRecord({ agency: `合成测试机关${i}`, year: 2020 + (i % 2), seed: i }));
  const { manifest } = await w.commit();
  w.close();
  return manifest.totals.values;
}

function exportInChild(storeDir: string, outDir: string): { rows: Record<string, number>; parts: number; startKB: number; peakKB: number } {
  const child = join(import.meta.dirname, 'export-child.ts');
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, storeDir, outDir], { encoding: 'utf8', cwd: join(import.meta.dirname, '../..') });
  if (r.status !== 0) throw new Error(`export child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

it('exports a multi-part store holding about one part at a time (peak RSS does not grow with the store)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-export-mem-'));
  try {
    const smallValues = await build(join(dir, 'small'), 3000);
    const largeValues = await build(join(dir, 'large'), 24000);
    const small = exportInChild(join(dir, 'small'), join(dir, 'out-small'));
    const large = exportInChild(join(dir, 'large'), join(dir, 'out-large'));
    expect(small.rows).toEqual({ csv: smallValues, arrow: smallValues, parquet: smallValues });
    expect(large.rows).toEqual({ csv: largeValues, arrow: largeValues, parquet: largeValues });
    expect(large.parts).toBeGreaterThanOrEqual(16);
    const arrowBytes = statSync(join(dir, 'out-large', 'v.arrow')).size;
    const growth = (large.peakKB - large.startKB - (small.peakKB - small.startKB)) * 1024;
    // Whole-store buffering would need at least the Arrow export's size; the
    // streaming export needs one part plus one Parquet row group.
    expect(growth, `peak grew by ${Math.round(growth / 1e6)} MB for a ${Math.round(arrowBytes / 1e6)} MB export`).toBeLessThan(arrowBytes * 0.5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);

it('reads the next part only after the previous one has been written out (one part in flight), in every format', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-export-flight-'));
  try {
    const w = StoreWriter.open(join(dir, 'store'), { partRows: 500 });
    for (let i = 0; i < 60; i++) w.add(syntheticRecord({ agency: `合成测试机关${i}`, year: 2020 + (i % 3), seed: i }));
    await w.commit();
    w.close();
    const store = StoreReader.open(join(dir, 'store'));
    const parts = store.manifest.values.map((p) => p.file);
    expect(parts.length).toBeGreaterThan(5);
    for (const format of ['csv', 'arrow', 'parquet'] as ExportFormat[]) {
      const events: string[] = [];
      const read = store.partSlices.bind(store);
      store.partSlices = (p: PartInfo, o?: { cache?: boolean }) => {
        events.push(`read ${p.file}${o?.cache === false ? '' : ' (cached)'}`);
        return read(p, o);
      };
      await exportStore(store, format, join(dir, `v.${format}`), { onPart: (p) => events.push(`wrote ${p.part}`) });
      store.partSlices = read;
      expect(events, format).toEqual(parts.flatMap((f) => [`read ${f}`, `wrote ${f}`]));
    }
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

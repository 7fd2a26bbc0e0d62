import { join } from 'node:path';
import type { Command } from 'commander';
import { exportStore, type ExportFormat } from '../query/export.ts';
import { parseReadOptions } from '../query/filters.ts';
import { StoreReader } from '../store/reader.ts';
import { storeDirOf } from '../store/paths.ts';
import { dataDir } from './data-dir.ts';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export current values with their agency as CSV (UTF-8 BOM), Parquet or Arrow')
    .requiredOption('--format <f>', 'csv|parquet|arrow')
    .option('--out <file>', 'output file (default <data>/export/values.<ext>)')
    .option('--read <how>', 'any|printed|ocr: only values printed as text, or only values read by OCR from scans', 'any')
    .option('--min-confidence <p>', 'leave out values read by OCR below this confidence (0–1)')
    .action(async (o: { format: string; out?: string; read?: string; minConfidence?: string }, cmd: Command) => {
      if (!['csv', 'parquet', 'arrow'].includes(o.format)) throw new Error('--format must be csv, parquet or arrow');
      const read = parseReadOptions(o.read, o.minConfidence);
      const data = dataDir(cmd);
      const out = o.out ?? join(data, 'export', `values.${o.format}`);
      const store = StoreReader.open(storeDirOf(data));
      try {
        const rows = await exportStore(store, o.format as ExportFormat, out, read);
        console.log(`${rows} values written to ${out}`);
      } finally {
        await store.close();
      }
    });
}

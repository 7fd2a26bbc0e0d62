import type { Command } from 'commander';
import { parseReadOptions } from '../query/filters.ts';
import { formatResult } from '../query/format.ts';
import { agencyProfile, runQuery, type BlankTreatment, type GroupKey } from '../query/query.ts';
import { StoreReader } from '../store/reader.ts';
import { storeDirOf } from '../store/paths.ts';
import { dataDir } from './data-dir.ts';

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('one metric, filtered, grouped and aggregated (or --profile: every value of one agency)')
    .option('--metric <id>', 't3.new_received.total, a derived metric (disclosure_rate …) or narrative.<name>')
    .option('--by <keys>', 'group by: agency,year,region,province,city,kind,level', 'agency,year')
    .option('--agency <ids>', 'agency ids or names (repeatable, comma-separated)', list)
    .option('--region <codes>', 'region codes/prefixes or names, e.g. 64 or 宁夏 or 淮安市', list)
    .option('--kind <kinds>', 'agency kinds, e.g. 审计,人民政府', list)
    .option('--level <levels>', 'national,province,city,county,township', list)
    .option('--year <years>', 'reporting years', list)
    .option('--blanks <how>', 'zero|null: how blank and dash cells count', 'null')
    .option('--top <n>', 'keep the top n groups by value', (v) => Number(v))
    .option('--order <dir>', 'asc|desc ordering by value')
    .option('--read <how>', 'any|printed|ocr: only values printed as text, or only values read by OCR from scans', 'any')
    .option('--min-confidence <p>', 'leave out reports with a value read by OCR below this confidence (0–1)')
    .option('--profile <agency>', 'print every value of one agency by year')
    .option('--format <f>', 'table|csv|json', 'table')
    .action(async (o: Record<string, string | string[] | number | undefined>, cmd: Command) => {
      const store = StoreReader.open(storeDirOf(dataDir(cmd)));
      try {
        if (o.profile) {
          const p = await agencyProfile(store, String(o.profile));
          console.log(o.format === 'json' ? JSON.stringify(p, null, 1) : p.rows.map((r) => `${r.year}\t${r.metric}\t${r.value ?? ''}\t${r.cell}${r.derived ? '\tderived' : ''}${r.ocr_confidence !== null ? `\tocr ${r.ocr_confidence}` : ''}`).join('\n'));
          return;
        }
        if (!o.metric) throw new Error('--metric is required');
        if (o.blanks !== 'zero' && o.blanks !== 'null') throw new Error('--blanks must be zero or null');
        const read = parseReadOptions(o.read as string | undefined, o.minConfidence as string | undefined);
        const result = await runQuery(store, {
          metric: String(o.metric), by: String(o.by).split(',').filter(Boolean) as GroupKey[],
          agencies: o.agency as string[] | undefined, regions: o.region as string[] | undefined, kinds: o.kind as string[] | undefined,
          levels: o.level as string[] | undefined, years: (o.year as string[] | undefined)?.map(Number),
          blanks: o.blanks as BlankTreatment, top: o.top as number | undefined, order: o.order as 'asc' | 'desc' | undefined, ...read,
        });
        process.stdout.write(formatResult(result, o.format as 'table' | 'csv' | 'json') + (o.format === 'json' ? '\n' : ''));
      } finally {
        await store.close();
      }
    });
}

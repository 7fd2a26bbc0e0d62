// `nianbao release` over a store of the real corpus: the package is checked by
// the Frictionless project's own JS validator (datapackage: the descriptor
// against the tabular-data-package profile, every row cast to its schema,
// primary keys unique, foreign keys resolved), it is byte-identical when made
// twice, and its Parquet and CSV give back every value of `nianbao export`.
//
// One accommodation, for a bug of the validator and not of the package: the
// CSVs are UTF-8 with a byte-order mark (so Excel shows the Chinese), and
// datapackage 1.1.10 decodes with Node's StringDecoder, which keeps the BOM,
// so the first header would read "\uFEFFid". The rows are therefore validated
// from a copy whose only difference is the three BOM bytes (asserted below).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Package } from 'datapackage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverSources, ingestSources } from '../../src/pipeline/ingest.ts';
import { exportStore } from '../../src/query/export.ts';
import { writeRelease } from '../../src/query/release.ts';
import { StoreReader } from '../../src/store/reader.ts';

const CORPUS = resolve(process.cwd(), '../shared/corpus/reports');
const PARSE_CACHE = join(tmpdir(), 'nianbao-test-parse-cache');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

let dir: string;
let pkgDir: string;
let exportCsv: string;
let summaryRows: Record<string, number>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-release-'));
  const storeDir = join(dir, 'store');
  await ingestSources(discoverSources([CORPUS]), { storeDir, cacheDir: PARSE_CACHE });
  const store = StoreReader.open(storeDir);
  try {
    pkgDir = join(dir, 'pkg');
    summaryRows = (await writeRelease(store, pkgDir, { version: '1.0.0-test' })).rows;
    await writeRelease(store, join(dir, 'pkg-again'), { version: '1.0.0-test' });
    exportCsv = join(dir, 'export.csv');
    await exportStore(store, 'csv', exportCsv);
  } finally {
    await store.close();
  }
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The package with the BOM of every CSV removed and nothing else changed (see the top of this file). */
function withoutBom(src: string, dest: string, edit?: (name: string, text: string) => string): string {
  mkdirSync(dest, { recursive: true });
  for (const n of readdirSync(src)) {
    let bytes = readFileSync(join(src, n));
    if (n.endsWith('.csv')) {
      expect(bytes.subarray(0, 3).equals(BOM), `${n} starts with a BOM`).toBe(true);
      bytes = bytes.subarray(3);
      if (edit) bytes = Buffer.from(edit(n, bytes.toString('utf8')), 'utf8');
    }
    writeFileSync(join(dest, n), bytes);
  }
  return join(dest, 'datapackage.json');
}

describe('nianbao release', () => {
  it('has the files a researcher needs, byte-identical when made twice', () => {
    const files = readdirSync(pkgDir).sort();
    expect(files).toEqual(['CITATION.cff', 'README.md', 'SHA256SUMS', 'agencies.csv', 'checks.csv', 'datapackage.json', 'metrics.csv', 'narrative.csv', 'reports.csv', 'values.csv', 'values.parquet']);
    for (const f of files) expect(readFileSync(join(dir, 'pkg-again', f)).equals(readFileSync(join(pkgDir, f))), f).toBe(true);
    // SHA256SUMS in the format `sha256sum -c` reads, for every other file.
    const sums = readFileSync(join(pkgDir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums.map((l) => l.split('  ')[1])).toEqual(files.filter((f) => f !== 'SHA256SUMS'));
    for (const l of sums) {
      const [hash, name] = l.split('  ');
      expect(createHash('sha256').update(readFileSync(join(pkgDir, name))).digest('hex')).toBe(hash);
    }
    execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: pkgDir });
    const cff = readFileSync(join(pkgDir, 'CITATION.cff'), 'utf8');
    expect(cff).toMatch(/^cff-version: 1\.2\.0$/m);
    expect(cff).toContain('version: "1.0.0-test"');
    const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
    for (const s of ['## Coverage', '| year 年度 |', '| level 层级 |', '| province 省级 |', 'lower bounds', '2018→2019', '## Licence']) expect(readme).toContain(s);
  });

  it('is a valid Tabular Data Package whose every row casts to its schema and whose keys resolve (Frictionless validator)', async () => {
    const pkg = await Package.load(withoutBom(pkgDir, join(dir, 'checked')));
    expect(pkg.errors.map(String)).toEqual([]);
    expect(pkg.valid).toBe(true);
    expect(pkg.descriptor.profile).toBe('tabular-data-package');
    expect(pkg.resourceNames).toEqual(['values', 'reports', 'agencies', 'metrics', 'checks', 'narrative']);
    for (const r of pkg.resources) {
      const rows = await r.read({ relations: true });
      expect(rows.length, r.name).toBe(summaryRows[r.name]);
      expect(rows.length, r.name).toBeGreaterThan(0);
    }
    const reports = await pkg.getResource('reports').read({ keyed: true });
    expect(reports.map((x) => x.status)).toContain('superseded');
    expect(reports.every((x) => typeof x.failed_checks === 'number')).toBe(true);
  }, 120_000);

  it('the validator bites: a value of an agency the package does not list is refused', async () => {
    const path = withoutBom(pkgDir, join(dir, 'broken'), (n, text) => (n === 'values.csv' ? text.replace(/\n[^,\n]+,/, '\nnowhere:不存在,') : text));
    const pkg = await Package.load(path);
    await expect(pkg.getResource('values').read({ relations: true })).rejects.toThrow(/[Ff]oreign key/);
  }, 120_000);

  it('its Parquet and its CSV give back every value of `nianbao export`', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    // Both loaded as a pandas or R user would (DuckDB's CSV reader skips the BOM), compared as multisets of whole rows.
    const cols = 'agency_id, agency, region_code, kind, level, year, metric, "table", "row", col, value, cell, derived, ocr_confidence, report_sha256';
    const load = async (from: string) => (await con.runAndReadAll(`select ${cols} from ${from} order by all`)).getRowObjectsJson();
    const csv = (p: string) => `read_csv('${p}', header = true, all_varchar = false, types = {'region_code': 'VARCHAR', 'year': 'INTEGER', 'value': 'DOUBLE', 'ocr_confidence': 'DOUBLE'})`;
    const exported = await load(csv(exportCsv));
    expect(exported.length).toBe(summaryRows.values);
    expect(await load(`read_parquet('${join(pkgDir, 'values.parquet')}')`)).toEqual(exported.map((r) => ({ ...r, region_code: r.region_code ?? '', kind: r.kind ?? '', level: r.level ?? '' })));
    expect(await load(csv(join(pkgDir, 'values.csv')))).toEqual(exported);
    con.closeSync();
  }, 120_000);
});

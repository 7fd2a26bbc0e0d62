// An agency's profile read straight from the fact parts' buffers
// (agency-rows.ts) must equal the profile read by decoding the parts:
// every agency, blanks (null values), derived totals and OCR confidences included, across
// several parts per year and superseded versions.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agencyProfile, type ProfileRow } from '../../src/query/query.ts';
import { ingestSources, type Source } from '../../src/pipeline/ingest.ts';
import { isValid, ocrConfidence, StoreReader } from '../../src/store/reader.ts';
import { syntheticRecord } from './synthetic.ts';

const rec = (r: ReturnType<typeof syntheticRecord>): Source => ({ kind: 'record', record: r, origin: 'synthetic' });

/** The profile as the decoded path computes it: every batch of every part, the agency's run binary-searched. */
async function decodedProfile(store: StoreReader, key: number): Promise<ProfileRow[]> {
  const cells = store.manifest.dictionaries.cell;
  const rows: ProfileRow[] = [];
  for await (const s of store.scanAll()) {
    for (let i = 0; i < s.length; i++) {
      if (s.agency[i] !== key || !store.active[s.report[i]]) continue;
      rows.push({ year: s.year, metric: s.metric, value: isValid(s.valueValid, i) ? s.value[i] : null, cell: cells[s.cell[i]], derived: (s.derived[i >> 3] & (1 << (i & 7))) !== 0, ocr_confidence: ocrConfidence(s, i) });
    }
  }
  return rows.sort((x, y) => (x.year ?? 0) - (y.year ?? 0) || (x.metric < y.metric ? -1 : x.metric > y.metric ? 1 : 0));
}

describe('agency rows read from the parts without decoding them', () => {
  it('give the same profile as decoding, for every agency', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nianbao-agency-rows-')), 'store');
    const records = [];
    for (let a = 0; a < 23; a++) {
      for (const year of [2021, 2022, 2023]) {
        records.push(syntheticRecord({ agency: `合成测试机关${String(a).padStart(3, '0')}`, year, seed: a * 3 + year, blankCols: a % 4 === 0 ? ['research', 'total'] : undefined, ocr: a % 3 === 1 ? 0.9 : undefined }));
      }
    }
    // A second version of one report: the first becomes superseded and must not show.
    records.push(syntheticRecord({ agency: '合成测试机关005', year: 2022, seed: 99 }));
    // Small parts: several per year, so agencies and metrics span part boundaries.
    await ingestSources(records.map(rec), { storeDir: dir, parser: null, partRows: 700 });
    const store = StoreReader.open(dir);
    try {
      expect(store.manifest.values.length).toBeGreaterThan(3);
      let compared = 0;
      // The direct path really is taken (not a silent fallback to decoding).
      for (const p of store.manifest.values) expect(await store.agencyRows(p, 0)).toBeDefined();
      for (const a of store.agencies) {
        const got = await agencyProfile(store, a.id);
        const other = StoreReader.open(dir);
        const want = await decodedProfile(other, a.key);
        await other.close();
        expect(got.rows, a.id).toEqual(want);
        compared += want.length;
        expect(want.some((r) => r.value === null)).toBe(a.name.endsWith('000') || a.name.endsWith('004') || a.name.endsWith('008') || a.name.endsWith('012') || a.name.endsWith('016') || a.name.endsWith('020'));
      }
      expect(compared).toBeGreaterThan(3000);
      const ocrAgency = await agencyProfile(store, store.agencies.find((a) => a.name.endsWith('001'))!.id);
      expect(ocrAgency.rows.filter((r) => r.metric.startsWith('t3.')).every((r) => r.ocr_confidence !== null && r.ocr_confidence >= 0.86)).toBe(true);
      expect(ocrAgency.rows.filter((r) => r.metric.startsWith('t4.')).every((r) => r.ocr_confidence === null)).toBe(true);
    } finally {
      await store.close();
    }
  });
});

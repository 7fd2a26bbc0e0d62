// Tables printed without ruling lines (the stream strategy): "without rulings"
// variants of the corpus PDFs (every painted path removed, text kept; made in
// memory by variants/strip-rulings.ts) must give the source report's cells.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { parseDocument } from '../../src/parse/index.ts';
import { PDFJS_OPTIONS } from '../../src/parse/pdf/index.ts';
import { extractRulingLines } from '../../src/parse/pdf/ruling-lines.ts';
import type { Matrix } from '../../src/parse/pdf/matrix.ts';
import type { ReportRecord } from '../../src/parse/types.ts';
import { goldenForm, type GoldenRecord } from '../golden/golden-form.ts';
import { VARIANT_GOLDEN, VARIANT_SOURCES, makeVariant, variantName } from './variants/sources.ts';

const SOURCE_GOLDEN = join(import.meta.dirname, '../golden/reports');

/** Ruling segments pdfjs' operator list still draws, over all pages. */
async function rulingCount(bytes: Uint8Array): Promise<number> {
  const doc = await getDocument({ data: bytes.slice(), ...PDFJS_OPTIONS }).promise;
  let n = 0;
  try {
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const ops = await page.getOperatorList();
      const lines = extractRulingLines(ops.fnArray, ops.argsArray, page.getViewport({ scale: 1 }).transform as Matrix);
      n += lines.horizontal.length + lines.vertical.length;
    }
  } finally {
    await doc.destroy();
  }
  return n;
}

for (const source of VARIANT_SOURCES) {
  describe(`${variantName(source)} (a variant of the corpus report without its table borders)`, () => {
    let bytes: Uint8Array;
    let removed: number;
    let record: ReportRecord;
    beforeAll(async () => {
      ({ bytes, removed } = await makeVariant(source));
      record = await parseDocument(bytes, { path: variantName(source) });
    }, 120_000);

    it('has no ruling lines left, and its text', async () => {
      expect(removed).toBeGreaterThan(50);
      expect(await rulingCount(bytes)).toBe(0);
      expect(record.warnings.some((w) => w.code === 'table_without_rulings')).toBe(false);
    }, 60_000);

    it("gives the source report's cells (≥ 99 % by table, row and column; today all)", () => {
      const want = (JSON.parse(readFileSync(join(SOURCE_GOLDEN, `${source}.json`), 'utf8')) as GoldenRecord).values;
      const got = goldenForm(record).values;
      const wrong = Object.keys(want).filter((k) => JSON.stringify(got[k]) !== JSON.stringify(want[k]));
      expect(wrong.length / Object.keys(want).length).toBeLessThanOrEqual(0.01);
      expect(wrong).toEqual([]);
      expect(Object.keys(got).filter((k) => !(k in want))).toEqual([]);
    });

    it('says which tables were rebuilt from text positions', () => {
      const rebuilt = record.warnings.filter((w) => w.code === 'table_from_text_positions');
      expect(rebuilt.length).toBeGreaterThanOrEqual(2);
      for (const w of rebuilt) expect(w.at?.page).toBeGreaterThan(0);
    });

    it('matches its golden record', () => {
      const golden = JSON.parse(readFileSync(join(VARIANT_GOLDEN, `${variantName(source)}.json`), 'utf8'));
      expect(goldenForm(record)).toEqual(golden);
    });
  });
}

// Every corpus report against its golden file (checked by hand against the
// document; see scripts/update-goldens.ts). A mismatch fails CI.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/parse/index.ts';
import { goldenForm } from '../golden/golden-form.ts';
import { REPORTS } from './helpers.ts';

const GOLDEN = join(import.meta.dirname, '../golden/reports');

describe('corpus reports match their golden records', () => {
  for (const f of readdirSync(REPORTS).sort()) {
    it(f, async () => {
      const record = await parseDocument(readFileSync(join(REPORTS, f)), { path: f });
      const golden = JSON.parse(readFileSync(join(GOLDEN, `${f}.json`), 'utf8'));
      expect(goldenForm(record)).toEqual(golden);
    });
  }

  it('has a golden file for every report and none for files that are gone', () => {
    expect(readdirSync(GOLDEN).map((g) => g.replace(/\.json$/, '')).sort()).toEqual(readdirSync(REPORTS).sort());
  });
});

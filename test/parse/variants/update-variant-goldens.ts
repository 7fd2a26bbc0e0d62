// Writes test/golden/variants/<variant>.json from the current parser, like
// scripts/update-goldens.ts does for the corpus: review every changed line
// against the source report (its own golden in test/golden/reports) before
// committing. Usage: npx tsx test/parse/variants/update-variant-goldens.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../../../src/parse/index.ts';
import { goldenForm } from '../../golden/golden-form.ts';
import { VARIANT_GOLDEN, VARIANT_SOURCES, makeVariant, variantName } from './sources.ts';

for (const source of VARIANT_SOURCES) {
  const { bytes } = await makeVariant(source);
  const name = variantName(source);
  const r = await parseDocument(bytes, { path: name });
  const text = JSON.stringify(goldenForm(r), null, 1).replace(/\[\n\s+([^[\]{}]*?)\n\s*\]/g, (_m, body: string) => `[${body.replace(/\n\s+/g, ' ')}]`);
  writeFileSync(join(VARIANT_GOLDEN, `${name}.json`), `${text}\n`);
  console.log(name);
}

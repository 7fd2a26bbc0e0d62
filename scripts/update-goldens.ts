// Writes test/golden/reports/<file>.json from the current parser. A golden
// file is a claim about the document: review every changed line against the
// document itself (git diff) before committing; never commit one unread.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../src/parse/index.ts';
import { goldenForm } from '../test/golden/golden-form.ts';

const corpus = join(import.meta.dirname, '../../shared/corpus/reports');
for (const f of readdirSync(corpus).sort()) {
  const r = await parseDocument(readFileSync(join(corpus, f)), { path: f });
  // One cell per line keeps golden diffs readable.
  const text = JSON.stringify(goldenForm(r), null, 1).replace(/\[\n\s+([^[\]{}]*?)\n\s*\]/g, (_m, body: string) => `[${body.replace(/\n\s+/g, ' ')}]`);
  writeFileSync(join(import.meta.dirname, '../test/golden/reports', `${f}.json`), `${text}\n`);
  console.log(f);
}

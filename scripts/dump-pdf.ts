// Prints what the PDF extractor makes of a file: paragraphs as lines,
// tables as pipe rows (covered copies of merged cells shown as ^text),
// then warnings and timing. Usage: npx tsx scripts/dump-pdf.ts file.pdf [--origin-only]
import { readFileSync } from 'node:fs';
import { extractPdf } from '../src/parse/pdf/index.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx scripts/dump-pdf.ts file.pdf [--origin-only]');
  process.exit(2);
}
const originOnly = process.argv.includes('--origin-only');
const t0 = performance.now();
const doc = await extractPdf(new Uint8Array(readFileSync(file)));
const ms = performance.now() - t0;
console.log(`# ${file}: ${doc.pages} pages, title=${JSON.stringify(doc.title ?? null)}`);
console.log(`# meta ${JSON.stringify(doc.meta)}`);
for (const b of doc.blocks) {
  if (b.kind === 'text') {
    console.log(`[p${b.page}] ${b.text}`);
    continue;
  }
  console.log(`[p${b.page}] TABLE ${b.index} (${b.rows.length} rows)`);
  for (const row of b.rows) {
    const cells = row.map((c) => (c.origin ? c.text : originOnly ? '' : `^${c.text}`));
    console.log(`  p${row[0]?.page ?? '?'} | ${cells.join(' | ')} |`);
  }
}
for (const w of doc.warnings) console.log(`# warning ${w.code}: ${w.message}`);
console.log(`# ${ms.toFixed(0)} ms`);

// Debug aid: time the PDF extractor against a bare getTextContent pass, per file.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { extractPdf } from '../src/parse/pdf/index.ts';
import { parseDocument } from '../src/parse/index.ts';

async function base(bytes: Uint8Array) {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false }).promise;
  for (let p = 1; p <= doc.numPages; p++) await (await doc.getPage(p)).getTextContent();
  await doc.destroy();
}
// CPU time, not wall time: the extraction runs on this thread (pdfjs's fake
// worker), and CPU time is far less disturbed by other processes.
async function time(fn: () => Promise<unknown>, n = 7) {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    t.push((c.user + c.system) / 1000);
  }
  return t.sort((a, b) => a - b)[Math.floor(n / 2)];
}
for (const f of process.argv.slice(2)) {
  const bytes = new Uint8Array(readFileSync(f));
  await base(bytes);
  await extractPdf(new Uint8Array(bytes));
  const b = await time(() => base(bytes));
  const e = await time(() => extractPdf(new Uint8Array(bytes)));
  const p = await time(() => parseDocument(bytes, {}));
  console.log(f.split('/').pop(), 'base', b.toFixed(0), 'extract', e.toFixed(0), 'parse', p.toFixed(0), 'ratio', (p / b).toFixed(2));
}

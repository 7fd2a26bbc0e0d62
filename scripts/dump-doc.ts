// Print a DocModel readably, for debugging extractors:
//   npx tsx scripts/dump-doc.ts file.html|file.docx [--charset gbk] [--url URL]
// Paragraphs are printed as they are; tables as pipe rows, with "~" before the
// text of grid positions covered by a merged cell (origin: false).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { DocModel } from '../src/parse/types.ts';
import { extractHtml } from '../src/parse/html/index.ts';
import { extractDocx } from '../src/parse/docx/index.ts';

export function formatDoc(doc: DocModel): string {
  const out: string[] = [];
  out.push(`format: ${doc.format}`);
  out.push(`title: ${doc.title ?? '(none)'}`);
  for (const [k, v] of Object.entries(doc.meta)) out.push(`meta.${k}: ${v.replace(/\n/g, ' | ')}`);
  for (const w of doc.warnings) out.push(`warning ${w.code}: ${w.message}${w.at ? ' ' + JSON.stringify(w.at) : ''}`);
  out.push('');
  for (const b of doc.blocks) {
    if (b.kind === 'text') {
      out.push(b.text);
      continue;
    }
    const width = b.rows.reduce((m, r) => Math.max(m, r.length), 0);
    out.push(`[table ${b.index}: ${b.rows.length} rows × ${width} cols]`);
    b.rows.forEach((row, i) => {
      const cells = row.map((c) => (c.origin ? c.text : `~${c.text}`));
      out.push(`${String(i).padStart(3)} | ${cells.join(' | ')} |`);
    });
    out.push('');
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  if (!file) {
    console.error('usage: npx tsx scripts/dump-doc.ts FILE [--charset CHARSET] [--url URL]');
    process.exit(2);
  }
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const bytes = new Uint8Array(readFileSync(file));
  const ext = extname(file).toLowerCase();
  const doc = ext === '.docx' ? await extractDocx(bytes) : extractHtml(bytes, { charset: opt('--charset'), url: opt('--url') });
  console.log(formatDoc(doc));
}

await main();

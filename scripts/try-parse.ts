// Debug aid: parse one document and print a compact, readable summary.
import { readFileSync } from 'node:fs';
import { parseDocument } from '../src/parse/index.ts';

const f = process.argv[2];
const r = await parseDocument(readFileSync(f), { path: f });
console.log(JSON.stringify({ agency: r.agency, year: r.year, published: r.published, template: r.template, title: r.title }));
const m = new Map<string, string[]>();
for (const v of r.values) {
  const k = `${v.table}.${v.row}`;
  m.set(k, [...(m.get(k) ?? []), `${v.col}=${v.cell === 'number' ? v.value : `${v.cell}:${v.raw}${v.value !== null ? `(${v.value})` : ''}`}${v.unit ? v.unit : ''}${v.derived ? '(derived)' : ''}`]);
}
for (const [k, v] of m) console.log(k.padEnd(36), v.join(' '));
const missingRows = [...new Set(r.missing.map((x) => `${x.table}.${x.row}`))];
console.log('missing rows:', missingRows.join(' '));
for (const n of r.narrative) console.log('narrative', n.metric, n.value, n.unit, n.evidence.map((e) => e.clause).join(' | '));
console.log('checks not passing:');
for (const c of r.checks.filter((c) => c.status !== 'pass')) console.log(' ', c.id, c.status, c.left, c.right, c.note ?? '');
console.log('warnings:');
for (const w of r.warnings) console.log(' ', w.code, w.message.slice(0, 160));

// Debug aid: compare the values two documents of the same report give.
import { readFileSync } from 'node:fs';
import { parseDocument } from '../src/parse/index.ts';

const [a, b] = process.argv.slice(2);
const ra = await parseDocument(readFileSync(a), { path: a });
const rb = await parseDocument(readFileSync(b), { path: b });
const key = (v: { table: string; row: string; col: string }) => `${v.table}.${v.row}.${v.col}`;
const ma = new Map(ra.values.map((v) => [key(v), `${v.cell}:${v.value}`]));
const mb = new Map(rb.values.map((v) => [key(v), `${v.cell}:${v.value}`]));
let diffs = 0;
for (const k of new Set([...ma.keys(), ...mb.keys()])) {
  if (ma.get(k) !== mb.get(k)) {
    diffs++;
    console.log(k, ma.get(k), mb.get(k));
  }
}
console.log(`${diffs} differences; identity`, ra.agency?.name, rb.agency?.name, ra.year, rb.year, ra.template, rb.template);

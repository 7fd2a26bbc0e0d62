// Child of bench/ocr-memory.ts: parse one PDF, print the process's peak RSS.
import { readFileSync } from 'node:fs';
import { parseDocument } from '../src/parse/index.ts';

const file = process.argv[2];
let outcome = 'parsed';
try {
  const r = await parseDocument(new Uint8Array(readFileSync(file)), { path: file });
  outcome = `parsed: ${r.values.length} values`;
} catch (e) {
  // A variant that reads as no report still measures what reading it cost.
  outcome = e instanceof Error ? e.message : String(e);
}
console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, outcome }));

// Expands the CLI's document arguments: files as given, directories walked
// (hidden files skipped), http(s) URLs kept for fetching.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type DocumentInput = { kind: 'file'; path: string } | { kind: 'url'; url: string };

const DOCUMENT_EXT = /\.(html?|shtml|xhtml|pdf|docx?|wps|ofd|txt|md|markdown)$/i;

export async function expandInputs(args: string[]): Promise<{ inputs: DocumentInput[]; problems: string[] }> {
  const inputs: DocumentInput[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    if (/^https?:\/\//i.test(arg)) {
      inputs.push({ kind: 'url', url: arg });
      continue;
    }
    let st;
    try {
      st = await stat(arg);
    } catch {
      problems.push(`${arg}: no such file or directory`);
      continue;
    }
    if (st.isDirectory()) {
      for (const f of await walk(arg)) inputs.push({ kind: 'file', path: f });
    } else {
      inputs.push({ kind: 'file', path: arg });
    }
  }
  return { inputs, problems };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && DOCUMENT_EXT.test(e.name)) out.push(p);
  }
  return out;
}

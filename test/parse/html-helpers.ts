// Helpers shared by the HTML extractor tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { UnreadableDocumentError } from '../../src/parse/errors.ts';
import type { DocModel, GridCell, TableBlock } from '../../src/parse/types.ts';

// The shared corpus sits next to the checkout: <repo>/../shared/corpus/reports.
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const corpus = (name: string): Uint8Array => new Uint8Array(readFileSync(`${REPO}../shared/corpus/reports/${name}`));
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export const tables = (doc: DocModel): TableBlock[] => doc.blocks.filter((b): b is TableBlock => b.kind === 'table');
export const texts = (doc: DocModel): string[] => doc.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));
export const rowStarting = (t: TableBlock, label: string): GridCell[] => {
  const row = t.rows.find((r) => r.some((c) => c.text.startsWith(label)));
  if (!row) throw new Error(`no row labelled ${label}`);
  return row;
};
/** Texts of the cells right of the label columns (the numbers of a table-3 row). */
export const values = (row: GridCell[], from: number): string[] => row.slice(from).map((c) => c.text);

export async function unreadable(fn: () => unknown): Promise<UnreadableDocumentError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    return err as UnreadableDocumentError;
  }
  throw new Error('expected UnreadableDocumentError');
}

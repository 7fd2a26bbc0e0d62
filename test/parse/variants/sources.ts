// The corpus PDFs whose "without rulings" variants the stream-table tests
// parse. The variants are made in memory from the real files (see
// strip-rulings.ts): nothing is committed but their golden records.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORTS } from '../helpers.ts';
import { stripRulings } from './strip-rulings.ts';

export const VARIANT_SOURCES = [
  '2019_shanghai_shizhengfubangongting.rerendered.pdf',
  '2023_huaian_hongzequ.pdf',
  '2024_huaian_hongzequ.pdf',
  '2024_huaian_shizhengfu.pdf',
] as const;

export const VARIANT_GOLDEN = join(import.meta.dirname, '../../golden/variants');

/** The variant's file name: the source's with `.norulings` before `.pdf`. */
export const variantName = (source: string) => source.replace(/\.pdf$/, '.norulings.pdf');

export async function makeVariant(source: string): Promise<{ bytes: Uint8Array; removed: number }> {
  return stripRulings(new Uint8Array(readFileSync(join(REPORTS, source))));
}

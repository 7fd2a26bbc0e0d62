import { join } from 'node:path';

/** The shared corpus beside the checkout (never copied into the repo). */
export const CORPUS = join(import.meta.dirname, '../../../shared/corpus');
export const REPORTS = join(CORPUS, 'reports');
export const EXCERPTS = join(CORPUS, 'excerpts');

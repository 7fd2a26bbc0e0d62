// Query output: aligned table for a terminal, CSV (UTF-8 with BOM), JSON. All
// three state the blank treatment and what `missing` counts, so a figure never
// travels without them.
import { MISSING_NOTE, OCR_NOTE, type QueryResult, type QueryRow } from './query.ts';

const COLS: (keyof QueryRow)[] = ['agency', 'agency_id', 'region_code', 'region_name', 'province', 'city', 'kind', 'level', 'year', 'regime', 'value', 'blanks', 'cells', 'missing', 'ocr', 'ocr_min_confidence', 'excluded'];

function columnsOf(r: QueryResult): (keyof QueryRow)[] {
  return COLS.filter((c) => r.rows.some((row) => c in row));
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && !Number.isInteger(v)) return v.toFixed(6).replace(/0+$/, '');
  return String(v);
}

export function formatResult(r: QueryResult, format: 'table' | 'csv' | 'json'): string {
  if (format === 'json') return JSON.stringify(r, null, 1);
  const cols = columnsOf(r);
  if (format === 'csv') {
    const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const lines = [cols.join(','), ...r.rows.map((row) => cols.map((c) => esc(cell(row[c]))).join(','))];
    const read = r.read ? `; read=${r.read.read}${r.read.min_confidence !== null ? ` min_confidence=${r.read.min_confidence}` : ''}: ${r.read.note}` : '';
    return '\uFEFF' + `# metric=${r.metric} blanks=${r.blanks}: ${r.blanks_note}; ${MISSING_NOTE}${read}\n` + lines.join('\n') + '\n';
  }
  const grid = [cols as string[], ...r.rows.map((row) => cols.map((c) => cell(row[c])))];
  // CJK characters take two terminal columns.
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u2e80-\uffef]/.test(ch) ? 2 : 1), 0);
  const widths = cols.map((_, j) => Math.max(...grid.map((g) => width(g[j]))));
  const lines = grid.map((g) => g.map((s, j) => s + ' '.repeat(widths[j] - width(s))).join('  ').trimEnd());
  const read = r.read ? `read: ${r.read.read}${r.read.min_confidence !== null ? `, min confidence ${r.read.min_confidence}` : ''} — ${r.read.note}\n` : '';
  const ocr = cols.includes('ocr') ? `${OCR_NOTE}\n` : '';
  return `metric ${r.metric} (${r.definition})\nblanks: ${r.blanks} — ${r.blanks_note}\n${MISSING_NOTE}\n${read}${ocr}` + lines.join('\n') + `\n(${r.rows.length} rows)\n`;
}

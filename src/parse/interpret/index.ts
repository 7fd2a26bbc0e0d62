// The interpreter: a DocModel from any format → the canonical ReportRecord.
// Identity, template, the three tables, narrative figures and checks, with
// every guess recorded as a warning.
import type { CellValue, CheckResult, DocModel, MissingCell, ParseWarning, ReportRecord, SourceInfo, Template } from '../types.ts';
import { T2_ROWS, T3_COLS, T4_COLS, T4_ROWS } from '../schema.ts';
import { buildRowStream } from './rows.ts';
import { readIdentity } from './identity.ts';
import { interpretTable2 } from './table2.ts';
import { interpretTable3, rowOrder } from './table3.ts';
import { interpretTable4 } from './table4.ts';
import { readNarrative } from './narrative.ts';
import { runChecks } from './checks.ts';
import { describeAgency } from './describe-agency.ts';
import { deriveBlankTotals } from './derived-totals.ts';
import { ocrSuspects } from './ocr-suspects.ts';

import { readLegacy } from '../legacy/index.ts';

// 1.1.0: derived row totals, labelled rows before positional guesses, near-match agency names, OFD,
// legacy (l) values with their checks, OCR of scanned pages, tables printed without rulings.
export const PARSER_VERSION = '1.1.0';

const EVIDENCE_2021 = ['issued', 'repealed', 'in_force'];
const EVIDENCE_2019 = ['new_made', 'new_published', 'total_published', 'previous_year', 'change', 'projects'];

function decideTemplate(
  year: number | null,
  headerCols: Set<string>,
  t2Rows: Set<string>,
  otherSubrows: boolean | null,
  hasValues: boolean,
  warnings: ParseWarning[],
): Template {
  if (year !== null && year < 2019) return 'legacy';
  let v2021 = EVIDENCE_2021.filter((c) => headerCols.has(c)).length + (otherSubrows ? 1 : 0);
  if (headerCols.has('decisions') && !headerCols.has('previous_year')) v2021 += 1;
  const v2019 = EVIDENCE_2019.filter((c) => headerCols.has(c)).length + (t2Rows.has('other_services') || t2Rows.has('procurement') ? 1 : 0);
  if (v2021 > 0 && v2019 > 0) {
    warnings.push({ code: 'template_mixed', message: `the tables mix the 2019 and 2021 formats (${v2019} signs of 2019, ${v2021} of 2021)` });
  }
  if (v2021 > v2019) return '2021';
  if (v2019 > v2021) return '2019';
  if (!hasValues) return 'unknown';
  if (year === null) return 'unknown';
  warnings.push({ code: 'template_from_year', message: `the tables do not tell the format apart; assumed the ${year >= 2021 ? 2021 : 2019} format from the year` });
  return year >= 2021 ? '2021' : '2019';
}

/** Every cell the template defines, for the `missing` list. */
function templateCells(template: Template, otherSubrows: boolean): MissingCell[] {
  if (template !== '2019' && template !== '2021') return [];
  const cells: MissingCell[] = [];
  for (const r of T2_ROWS) for (const c of template === '2019' ? r.cols2019 : r.cols2021) cells.push({ table: 't2', row: r.id, col: c });
  for (const r of rowOrder(template === '2021' && otherSubrows)) for (const c of T3_COLS) cells.push({ table: 't3', row: r, col: c });
  for (const r of T4_ROWS) for (const c of T4_COLS) cells.push({ table: 't4', row: r, col: c });
  return cells;
}

export function interpret(doc: DocModel, source: SourceInfo): ReportRecord {
  const warnings: ParseWarning[] = [...doc.warnings];
  const identity = readIdentity(doc);
  warnings.push(...identity.warnings);
  const stream = buildRowStream(doc.blocks, doc.format === 'text');
  const t3 = interpretTable3(stream);
  const t4 = interpretTable4(stream);
  let guessed: '2019' | '2021' | null = null;
  const t2 = interpretTable2(stream, () => (guessed ??= identity.year !== null && identity.year < 2021 ? '2019' : '2021'));
  let tableValues: CellValue[] = [...t2.values, ...t3.values, ...t4.values];
  if (doc.format === 'text') {
    // A text conversion cannot tell a blank cell from one it lost (the seed
    // keeps only some cells of a row): its empty cells are reported as not
    // printed, never as blanks the document chose to leave.
    const empty = tableValues.filter((v) => v.cell === 'blank').length;
    if (empty) {
      tableValues = tableValues.filter((v) => v.cell !== 'blank');
      warnings.push({ code: 'conversion_empty_cells', message: `${empty} empty table cells of a text conversion are reported as not printed (missing), not as blanks` });
    }
  }
  const template = decideTemplate(identity.year, t2.headerCols, t2.rowsFound, t3.otherSubrows, tableValues.length > 0, warnings);
  let values: CellValue[] = [];
  let missing: MissingCell[] = [];
  let legacyChecks: CheckResult[] = [];
  if (template === 'legacy') {
    // Pre-2019 statistics tables are province-specific: they are read into
    // the legacy schema (the `l` family), never copied into t2/t3/t4.
    const legacy = readLegacy(doc);
    values = legacy.values;
    legacyChecks = legacy.checks;
    warnings.push(...legacy.warnings);
  } else {
    warnings.push(...t2.warnings, ...t3.warnings, ...t4.warnings);
    values = deriveBlankTotals(tableValues, warnings);
    const have = new Set(values.map((v) => `${v.table}.${v.row}.${v.col}`));
    missing = templateCells(template, t3.otherSubrows ?? false).filter((c) => !have.has(`${c.table}.${c.row}.${c.col}`));
    if (missing.length && values.length) {
      const rows = [...new Set(missing.map((m) => `${m.table}.${m.row}`))];
      warnings.push({ code: 'cells_missing', message: `${missing.length} cells of the ${template} format are not printed (rows ${rows.join(', ')})` });
    }
  }
  warnings.push(...ocrDoubts(values));
  const narrative = readNarrative(doc);
  warnings.push(...narrative.warnings);
  const checks = template === 'legacy' ? legacyChecks : runChecks(values, t3.otherSubrows ?? false, narrative.figures);
  // A failed relation over OCR'd cells: name the cells one misreading would explain (never corrected).
  if (template !== 'legacy') warnings.push(...ocrSuspects(values, checks));
  const agency = identity.agency ? describeAgency(identity.agency, identity.agencyVariants, source.url, warnings) : null;
  return {
    source,
    agency,
    year: identity.year,
    published: identity.published,
    template,
    title: identity.title,
    values,
    missing,
    narrative: narrative.figures,
    checks,
    warnings,
    parser: { version: PARSER_VERSION },
  };
}

/** Below this confidence an OCR'd cell is named in a warning: one character of it may be misread. */
export const OCR_LOW_CONFIDENCE = 0.9;

/** One warning per value OCR was not sure of. The value is kept as read, never adjusted to fit the sums. */
function ocrDoubts(values: readonly CellValue[]): ParseWarning[] {
  return values
    .filter((v) => v.ocr && v.ocr.confidence < OCR_LOW_CONFIDENCE)
    .map((v) => ({
      code: 'ocr_low_confidence',
      message: `${v.table}.${v.row}.${v.col}: OCR read "${v.raw}" with confidence ${v.ocr!.confidence}${v.ocr!.full !== undefined ? ` (full reading "${v.ocr!.full}")` : ''}`,
      at: v.at,
    }));
}

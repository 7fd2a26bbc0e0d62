// src/parse/legacy: the statistics of reports before the 2019 format (the
// `l` family of ../shared/docs/report-format.md): the 统计表 in any
// province's wording, and figures stated in the prose, each with its
// provenance (table row, or sentence). Rules are data: rules/legacy.json.
import type { CellValue, CheckResult, DocModel, ParseWarning } from '../types.ts';
import { gridTables, textTables, type LegacyCol } from './items.ts';
import { resolveTables } from './figures.ts';
import { readLegacyProse, type ProseStatement } from './prose.ts';
import { legacyChecks } from './checks.ts';

export { LEGACY_ROW_IDS } from './rules.ts';

export function readLegacy(doc: DocModel): { values: CellValue[]; checks: CheckResult[]; warnings: ParseWarning[] } {
  const prose = readLegacyProse(doc);
  let tables = gridTables(doc.blocks);
  if (!tables.length) tables = textTables(doc.blocks);
  const { values, resolved, warnings } = resolveTables(tables, prose);
  const cols: LegacyCol[] = [...new Set(tables.flatMap((t) => t.cols))];
  const tabulated = new Set(values.map((v) => v.row));
  const fromProse = new Map<string, ProseStatement[]>();
  for (const p of prose) fromProse.set(p.row, [...(fromProse.get(p.row) ?? []), p]);
  for (const [row, statements] of fromProse) {
    const stated = [...new Set(statements.map((s) => s.value))];
    if (tabulated.has(row)) {
      // The table is the source; a sentence that disagrees with it is a finding.
      const year = values.find((v) => v.row === row && v.col === 'year');
      const other = statements.find((s) => year && year.value !== null && s.value !== year.value);
      if (other) warnings.push({ code: 'legacy_prose_conflict', message: `${row}: the table prints ${year!.value}, the prose states ${other.value} ("${other.clause}")` });
      continue;
    }
    if (stated.length > 1) {
      warnings.push({ code: 'legacy_prose_conflict', message: `${row}: the prose states ${stated.join(' and ')} (${statements.map((s) => `"${s.clause}"`).join(', ')}); not recorded` });
      continue;
    }
    const s = statements[0];
    values.push({ table: 'l', row, col: 'year', value: s.value, cell: 'number', raw: s.clause, unit: s.unit, at: {}, evidence: { sentence: s.sentence, clause: s.clause }, ...(s.ocr !== undefined ? { ocr: { confidence: s.ocr } } : {}) });
  }
  return { values, checks: legacyChecks(values.filter((v) => v.evidence === undefined), resolved, cols), warnings };
}

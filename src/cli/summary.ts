// The short human summary `nianbao parse` prints without --json.
import type { ReportRecord } from '../parse/types.ts';

function cell(r: ReportRecord, table: string, row: string, col: string): string {
  const v = r.values.find((x) => x.table === table && x.row === row && x.col === col);
  if (!v) return '–';
  // A derived total was printed blank: its sum is shown as such, never as a printed figure.
  if (v.derived) return `(blank; derived ${v.value})`;
  if (v.value !== null) return String(v.value);
  return v.cell === 'blank' ? '(blank)' : v.raw;
}

export function summarize(r: ReportRecord, name: string): string {
  const lines: string[] = [];
  const who = r.agency?.name ?? '(publisher not printed)';
  lines.push(`${who} ${r.year ?? '(year unknown)'} — format ${r.template} — ${name}`);
  if (r.values.length) {
    lines.push(
      `  requests: received ${cell(r, 't3', 'new_received', 'total')}, carried over ${cell(r, 't3', 'carried_over', 'total')}, ` +
        `processed ${cell(r, 't3', 'total_processed', 'total')}, granted ${cell(r, 't3', 'granted', 'total')}, carried forward ${cell(r, 't3', 'carried_forward', 'total')}`,
    );
    lines.push(
      `  reconsideration ${cell(r, 't4', 'review', 'total')} (corrected ${cell(r, 't4', 'review', 'corrected')}), ` +
        `litigation ${cell(r, 't4', 'litigation_direct', 'total')} direct + ${cell(r, 't4', 'litigation_after_review', 'total')} after review`,
    );
    lines.push(`  ${r.values.length} cells read, ${r.missing.length} not printed`);
  }
  for (const n of r.narrative) lines.push(`  ${n.metric}: ${n.value} ${n.unit}`);
  const fails = r.checks.filter((c) => c.status === 'fail');
  const na = r.checks.filter((c) => c.status === 'not_assessable').length;
  if (r.checks.length) lines.push(`  checks: ${r.checks.length - fails.length - na} pass, ${fails.length} fail, ${na} not assessable`);
  for (const c of fails) lines.push(`    FAIL ${c.id}: ${c.left} ≠ ${c.right}${c.note ? ` (${c.note})` : ''}`);
  if (r.warnings.length) lines.push(`  ${r.warnings.length} warnings (see --json)`);
  return lines.join('\n');
}

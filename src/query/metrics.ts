// Every metric a query can ask for, defined in ONE place. A metric is either
// a stored cell addressed as table.row.col ("t3.new_received.total", including
// the derived category totals such as "t3.denied.total"), a ratio of sums of
// cells, or a figure read from the narrative. Ratios are computed as
// sum(numerator) / sum(denominator) within each group, so a region's rate
// weighs its agencies by their volume rather than averaging their rates.
import { splitMetricKey } from '../store/derive.ts';
import seriesFile from './series.json' with { type: 'json' };

export type MetricDef =
  | { type: 'cell'; id: string; cell: string; description: string }
  | { type: 'ratio'; id: string; numerator: string[]; denominator: string[]; description: string }
  | { type: 'narrative'; id: string; narrative: string; description: string }
  | SeriesDef;

/** A series across the legacy (l) and national (t2–t4) regimes, defined as data in series.json. */
export interface SeriesDef {
  type: 'series';
  id: string;
  legacy: string[];
  national: string[];
  label_zh: string;
  label_en: string;
  caveat: string;
  description: string;
}

export type Regime = 'legacy' | 'national';

/** Where a series changes definition, and what to say there. */
export const REGIME_BREAK: { after: number; note: string } = seriesFile.break;

export const SERIES: Record<string, SeriesDef> = Object.fromEntries(seriesFile.series.map((s) => [s.id, {
  type: 'series' as const, ...s,
  description: `${s.label_en} (${s.label_zh}) across regimes: legacy ${s.legacy.join(' + ')}, national ${s.national.join(' + ')}; ${s.caveat}`,
}]));

/** The regime a stored cell belongs to: legacy cells are the l family. */
export function regimeOfCell(cell: string): Regime {
  return cell.startsWith('l.') ? 'legacy' : 'national';
}

const t4Decided = (row: string): string[] => [`t4.${row}.upheld`, `t4.${row}.corrected`, `t4.${row}.other`];

export const DERIVED_METRICS: Record<string, MetricDef> = {
  disclosure_rate: {
    type: 'ratio',
    id: 'disclosure_rate',
    numerator: ['t3.granted.total', 't3.partially_granted.total'],
    denominator: ['t3.total_processed.total'],
    description: '(予以公开 + 部分公开) / 办理总计, table 3 总计 column',
  },
  review_correction_rate: {
    type: 'ratio',
    id: 'review_correction_rate',
    numerator: ['t4.review.corrected'],
    denominator: t4Decided('review'),
    description: '行政复议 结果纠正 / (维持 + 纠正 + 其他结果): share of decided reviews that corrected the agency',
  },
  litigation_correction_rate: {
    type: 'ratio',
    id: 'litigation_correction_rate',
    numerator: ['t4.litigation_direct.corrected', 't4.litigation_after_review.corrected'],
    denominator: [...t4Decided('litigation_direct'), ...t4Decided('litigation_after_review')],
    description: '行政诉讼 (直接起诉 + 复议后起诉) 结果纠正 / (维持 + 纠正 + 其他结果)',
  },
  audit_results_published: {
    type: 'narrative',
    id: 'audit_results_published',
    narrative: 'audit_results_published',
    description: 'audit results published (审计结果公告), read from the report narrative with its sentence',
  },
};

/** `t3.granted.total`, a derived metric name, or `narrative.<figure>` for any narrative figure. */
export function resolveMetric(id: string): MetricDef {
  const d = DERIVED_METRICS[id] ?? SERIES[id];
  if (d) return d;
  if (id.startsWith('narrative.')) {
    const name = id.slice('narrative.'.length);
    return { type: 'narrative', id, narrative: name, description: `narrative figure ${name}` };
  }
  if (splitMetricKey(id)) return { type: 'cell', id, cell: id, description: `cell ${id}` };
  throw new Error(`unknown metric "${id}": use table.row.col (e.g. t3.new_received.total, l.requests.received.year), narrative.<name> or one of ${[...Object.keys(DERIVED_METRICS), ...Object.keys(SERIES)].join(', ')}`);
}

/** The stored cells a metric reads. */
export function cellsOf(m: MetricDef): string[] {
  if (m.type === 'series') return [...m.legacy, ...m.national];
  return m.type === 'cell' ? [m.cell] : m.type === 'ratio' ? [...new Set([...m.numerator, ...m.denominator])] : [];
}

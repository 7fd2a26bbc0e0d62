/**
 * One benchmark figure: `ratio` = value / baseline, both measured in the same
 * run, so lower is better; `target` is the ratio not to exceed (null for a
 * figure reported for information, such as a throughput).
 */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  target: number | null;
}

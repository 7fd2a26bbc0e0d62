// Query-string parameters → the query layer's options, validated up front so
// a bad request gets a 400 that names the parameter and says why, instead of
// an empty result or a 500. Lists may be repeated (?region=a&region=b) or
// comma-separated (?region=a,b), exactly like the CLI's options.
import type { Request } from 'express';
import { regionFilterPrefix } from '../agency/peers.ts';
import { parseReadOptions, type ReadOptions } from '../query/filters.ts';
import { resolveMetric } from '../query/metrics.ts';
import type { BlankTreatment, GroupKey, QueryOptions } from '../query/query.ts';
import { badParam } from './errors.ts';
import { intParam } from './respond.ts';

const GROUP_KEYS: GroupKey[] = ['agency', 'year', 'region', 'province', 'city', 'kind', 'level'];
export const LEVELS = ['national', 'province', 'city', 'county', 'township'];

export function listParam(req: Request, name: string): string[] | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  const raw = Array.isArray(v) ? v : [v];
  if (!raw.every((x) => typeof x === 'string')) throw badParam(name, 'must be a string or a comma-separated list');
  const out = (raw as string[]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

export function stringParam(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw badParam(name, 'must be given once');
  return v;
}

/** Years as a list: "2019,2021" or a range "2019-2023". */
export function yearsParam(req: Request): number[] | undefined {
  const items = listParam(req, 'year');
  if (!items) return undefined;
  const out: number[] = [];
  for (const it of items) {
    const m = /^(\d{4})(?:-(\d{4}))?$/.exec(it);
    if (!m) throw badParam('year', `"${it}" is not a year (2023) or a range (2019-2023)`);
    const a = Number(m[1]), b = Number(m[2] ?? m[1]);
    if (b < a || b - a > 100) throw badParam('year', `"${it}" is not an increasing range`);
    for (let y = a; y <= b; y++) out.push(y);
  }
  return out;
}

export interface AgencyFilterParams {
  agencies?: string[];
  regions?: string[];
  kinds?: string[];
  levels?: string[];
}

export function filterParams(req: Request): AgencyFilterParams {
  const regions = listParam(req, 'region');
  for (const r of regions ?? []) {
    try {
      regionFilterPrefix(r);
    } catch (e) {
      throw badParam('region', (e as Error).message);
    }
  }
  const levels = listParam(req, 'level');
  for (const l of levels ?? []) if (!LEVELS.includes(l)) throw badParam('level', `"${l}" is not one of ${LEVELS.join(', ')}`);
  return { agencies: listParam(req, 'agency'), regions, kinds: listParam(req, 'kind'), levels };
}

export function metricsParam(req: Request, required = true): string[] {
  const metrics = listParam(req, 'metric');
  if (!metrics) {
    if (required) throw badParam('metric', 'is required: table.row.col (t3.new_received.total), narrative.<name> or a derived metric (see /api/metrics)');
    return [];
  }
  if (metrics.length > 40) throw badParam('metric', 'at most 40 metrics per request');
  for (const m of metrics) {
    try {
      resolveMetric(m);
    } catch (e) {
      throw badParam('metric', (e as Error).message);
    }
  }
  return metrics;
}

/** Everything `nianbao query` takes, for one metric. */
export function queryParams(req: Request, metric: string): QueryOptions {
  const by = (listParam(req, 'by') ?? ['agency', 'year']) as GroupKey[];
  for (const k of by) if (!GROUP_KEYS.includes(k)) throw badParam('by', `"${k}" is not one of ${GROUP_KEYS.join(', ')}`);
  const blanks = stringParam(req, 'blanks') ?? 'null';
  if (blanks !== 'zero' && blanks !== 'null') throw badParam('blanks', 'must be zero or null');
  const order = stringParam(req, 'order');
  if (order !== undefined && order !== 'asc' && order !== 'desc') throw badParam('order', 'must be asc or desc');
  return {
    metric, by, ...filterParams(req), years: yearsParam(req), blanks: blanks as BlankTreatment,
    top: intParam(req, 'top', undefined, 1, 1_000_000), order: order as 'asc' | 'desc' | undefined, ...readParams(req),
  };
}

/** read=any|printed|ocr and min_confidence=0–1: which values, by how they were read. */
export function readParams(req: Request): ReadOptions {
  let out: ReadOptions;
  try {
    out = parseReadOptions(stringParam(req, 'read'), stringParam(req, 'min_confidence'));
  } catch (e) {
    const err = e as Error & { param: string };
    throw badParam(err.param, err.message.replace(/^[a-z_]+: /, ''));
  }
  return out;
}

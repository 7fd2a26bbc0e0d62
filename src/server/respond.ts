// How every list endpoint answers: content negotiation (JSON, CSV, Arrow IPC
// by ?format= or Accept), pagination (limit/offset with a Link header),
// ETag/Cache-Control, and download names. Keeping it in one place is what
// lets the dashboards' download buttons be plain links to the API.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { tableToIPC } from 'apache-arrow';
import { objectsToTable, type ColType, type ColumnSpec } from '../store/tables.ts';
import { badParam } from './errors.ts';
import type { StoreHandle } from './store-handle.ts';

export type Format = 'json' | 'csv' | 'arrow';
const FORMATS: Format[] = ['json', 'csv', 'arrow'];
export const ARROW_TYPE = 'application/vnd.apache.arrow.file';
export const MAX_LIMIT = 100_000;
const DEFAULT_LIMIT = 10_000;

export function formatOf(req: Request): Format {
  const f = req.query.format;
  if (f !== undefined) {
    if (typeof f !== 'string' || !FORMATS.includes(f as Format)) throw badParam('format', `must be one of ${FORMATS.join(', ')}`);
    return f as Format;
  }
  const best = req.accepts(['application/json', 'text/csv', ARROW_TYPE, 'application/vnd.apache.arrow.stream']);
  return best === 'text/csv' ? 'csv' : best && best.startsWith('application/vnd.apache.arrow') ? 'arrow' : 'json';
}

export function intParam(req: Request, name: string, def: number | undefined, min: number, max: number): number | undefined {
  const v = req.query[name];
  if (v === undefined || v === '') return def;
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw badParam(name, `must be an integer, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min || n > max) throw badParam(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

export interface Page {
  limit: number;
  offset: number;
}

export function pageOf(req: Request): Page {
  return { limit: intParam(req, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT)!, offset: intParam(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER)! };
}

/**
 * Set ETag (store generation + the request) and Cache-Control; true when the
 * client's copy is current and a 304 has been sent, so the query is skipped.
 */
export function notModified(req: Request, res: Response, store: StoreHandle): boolean {
  // The negotiated format, not the raw Accept header: clients that differ only in how they ask share a tag.
  const h = createHash('sha1').update(`${req.originalUrl}\u0000${formatOf(req)}`).digest('base64url').slice(0, 16);
  res.set('ETag', `W/"${store.tag()}-${h}"`);
  res.set('Cache-Control', 'public, max-age=60');
  res.vary('Accept');
  if (req.fresh) {
    res.status(304).end();
    return true;
  }
  return false;
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(6).replace(/0+$/, '') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV (UTF-8 with BOM so Excel reads the Chinese) of plain rows. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  return '\uFEFF' + [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))].join('\n') + '\n';
}

/** Arrow IPC file of plain rows; column types read off the values (integers int32, other numbers float64). */
export function toArrow(columns: string[], rows: Record<string, unknown>[]): Uint8Array {
  const specs: ColumnSpec<Record<string, unknown>>[] = columns.map((name) => {
    const vals = rows.map((r) => r[name]).filter((v) => v !== null && v !== undefined);
    const type: ColType = vals.length && vals.every((v) => typeof v === 'boolean') ? 'bool'
      : vals.length && vals.every((v) => typeof v === 'number') ? (vals.every((v) => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31) ? 'int32' : 'float64')
      : 'utf8';
    return { name, type, get: (r) => { const v = r[name]; return v === undefined || v === null ? null : type === 'utf8' ? String(typeof v === 'object' ? JSON.stringify(v) : v) : (v as number | boolean); } };
  });
  return tableToIPC(objectsToTable(specs, rows), 'file');
}

/** Columns present in any row, in first-seen order. */
export function columnsOf(rows: Record<string, unknown>[], preferred: string[] = []): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...preferred.filter((c) => seen.has(c)), ...[...seen].filter((c) => !preferred.includes(c))];
}

export interface ListBody {
  /** Download file name without extension. */
  name: string;
  rows: Record<string, unknown>[];
  /** Metadata sent with JSON (and as a CSV comment line when csvComment is set). */
  meta?: Record<string, unknown>;
  columns?: string[];
  /** A ready CSV (e.g. the query layer's own format, so the API equals `nianbao query --format csv`). */
  csv?: (rows: Record<string, unknown>[]) => string;
}

/** Paginate and send rows in the negotiated format. */
export function sendList(req: Request, res: Response, body: ListBody): void {
  const format = formatOf(req);
  const { limit, offset } = pageOf(req);
  const total = body.rows.length;
  const rows = body.rows.slice(offset, offset + limit);
  res.set('X-Total-Count', String(total));
  if (offset + limit < total) {
    const next = new URL(req.originalUrl, 'http://x');
    next.searchParams.set('offset', String(offset + limit));
    next.searchParams.set('limit', String(limit));
    res.set('Link', `<${next.pathname}${next.search}>; rel="next"`);
  }
  const ext = format === 'arrow' ? 'arrow' : format;
  if (req.query.download !== undefined) res.attachment(`${body.name}.${ext}`);
  const columns = body.columns ?? columnsOf(rows);
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').send(body.csv ? body.csv(rows) : toCsv(columns, rows));
  } else if (format === 'arrow') {
    res.type(ARROW_TYPE).send(Buffer.from(toArrow(columns, rows)));
  } else {
    res.json({ ...body.meta, total, offset, limit, rows });
  }
}

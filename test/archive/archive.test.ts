// The pack archive: blobs stored once, records as JSON lines, segments rolling
// over; a torn tail of each log (pack, index, records) is never read as data
// and the archive goes on; archives in the older per-file layout still read.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive, openArchive, sha256, type FetchRecord } from '../../src/archive/archive.ts';
import { archiveSources, discoverSources } from '../../src/pipeline/ingest.ts';
import { tempData } from '../crawl/helpers.ts';

const rec = (key: string, hash: string | null, i = 0): FetchRecord => ({
  key, url: key, finalUrl: key, method: 'GET', status: 200, headers: { 'content-type': 'text/html' }, fetchedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
  site: 's', listTitle: '2024年政府信息公开工作年度报告', charset: 'utf-8', sha256: hash, size: 0, kind: 'report', outcome: 'new', redirects: [], runId: 'r1',
});

async function write(root: string, docs: Array<[string, string]>, opts: { segmentMax?: number } = {}): Promise<Archive> {
  const a = new Archive(root, opts);
  let i = 0;
  for (const [url, body] of docs) {
    const bytes = Buffer.from(body);
    const h = await a.putBlob(bytes);
    const r = rec(url, h, i++);
    await a.putRecord(r, a.recordPath(r));
  }
  await a.close();
  return a;
}

const packFiles = (root: string, ext: string) => readdirSync(path.join(root, 'packs')).filter((n) => n.endsWith(ext)).map((n) => path.join(root, 'packs', n));

describe('pack archive', () => {
  it('stores each body once, appends records, reads them back', async () => {
    const root = path.join(tempData(), 'archive');
    await write(root, [['https://a/1', 'one'], ['https://a/2', 'two'], ['https://a/3', 'one']]);
    const a = openArchive(root);
    expect([...a.records()].map((r) => r.key)).toEqual(['https://a/1', 'https://a/2', 'https://a/3']);
    expect(a.readBlob(sha256('one'))!.toString()).toBe('one');
    expect(a.hasBlob(sha256('three'))).toBe(false);
    // "one" twice: stored once.
    expect(statSync(packFiles(root, '.pack')[0]).size).toBe('one'.length + 'two'.length);
    expect(a.recordsFor('https://a/3')[0].listTitle).toBe('2024年政府信息公开工作年度报告');
    // A second writer (another process, a later run) gets its own segment and dedups against the first.
    await write(root, [['https://a/4', 'two'], ['https://a/5', 'five']]);
    expect(packFiles(root, '.pack').map((f) => statSync(f).size).sort()).toEqual([4, 6]);
    expect(openArchive(root).readBlob(sha256('five'))!.toString()).toBe('five');
  });

  it('rolls segments over at the size limit', async () => {
    const root = path.join(tempData(), 'archive');
    const docs: Array<[string, string]> = Array.from({ length: 10 }, (_, i) => [`https://a/${i}`, `body ${i} `.repeat(20)]);
    await write(root, docs, { segmentMax: 500 });
    expect(packFiles(root, '.pack').length).toBeGreaterThan(1);
    for (const f of packFiles(root, '.pack')) expect(statSync(f).size).toBeLessThanOrEqual(500);
    const a = openArchive(root);
    expect([...a.records()]).toHaveLength(10);
    for (const [, body] of docs) expect(a.readBlob(sha256(body))!.toString()).toBe(body);
  });

  it('ignores a torn tail of each log (partial line, partial blob, zeros), and writes a torn blob again', async () => {
    const root = path.join(tempData(), 'archive');
    await write(root, [['https://a/1', 'intact one'], ['https://a/2', 'intact two'], ['https://a/3', 'the last blob, torn']]);
    const [pack] = packFiles(root, '.pack'), [idx] = packFiles(root, '.idx'), [recs] = packFiles(root, '.rec');
    // The pack loses the end of its last blob (its index entry now reaches past the end).
    truncateSync(pack, statSync(pack).size - 5);
    // The index gets a partial line and a whole entry for bytes that never reached the pack.
    appendFileSync(idx, JSON.stringify({ sha256: sha256('ghost'), off: statSync(pack).size, len: 5 }) + '\n{"sha256":"ab');
    // The records log gets zeros (a machine crash) and a partial line.
    appendFileSync(recs, Buffer.concat([Buffer.alloc(64), Buffer.from(JSON.stringify(rec('https://a/torn', null)).slice(0, 40))]));

    const a = new Archive(root);
    expect([...a.records()].map((r) => r.key)).toEqual(['https://a/1', 'https://a/2', 'https://a/3']);
    expect(a.readBlob(sha256('intact one'))!.toString()).toBe('intact one');
    expect(a.readBlob(sha256('intact two'))!.toString()).toBe('intact two');
    expect(a.hasBlob(sha256('the last blob, torn'))).toBe(false);
    expect(a.hasBlob(sha256('ghost'))).toBe(false);
    expect(a.readBlob(sha256('the last blob, torn'))).toBeUndefined();

    // Same length but wrong bytes (zeros where the data should be): hasBlob may say yes, the bytes are never returned.
    const [idx2] = packFiles(root, '.idx');
    const zeros = Buffer.alloc(8);
    const off = statSync(pack).size;
    appendFileSync(pack, zeros);
    appendFileSync(idx2, '\n' + JSON.stringify({ sha256: sha256('eight by'), off, len: 8 }) + '\n');
    const b = new Archive(root);
    expect(b.readBlob(sha256('eight by'))).toBeUndefined();

    // The refetch writes both again (in a new segment); everything reads back.
    await b.putBlob(Buffer.from('the last blob, torn'));
    await b.putBlob(Buffer.from('eight by'));
    const r = rec('https://a/3', sha256('the last blob, torn'), 9);
    await b.putRecord(r, b.recordPath(r));
    await b.close();
    const c = openArchive(root);
    expect(c.readBlob(sha256('the last blob, torn'))!.toString()).toBe('the last blob, torn');
    expect(c.readBlob(sha256('eight by'))!.toString()).toBe('eight by');
    expect(c.recordsFor('https://a/3')).toHaveLength(2);
    expect(packFiles(root, '.pack')).toHaveLength(2);
  });

  it('reads a record by its reference, and not one reserved but never written', async () => {
    const root = path.join(tempData(), 'archive');
    const a = new Archive(root);
    const h = await a.putBlob(Buffer.from('x'));
    const r1 = rec('https://a/1', h), r2 = rec('https://a/2', h, 1);
    const ref1 = a.recordPath(r1), ref2 = a.recordPath(r2);
    await a.putRecord(r2, ref2); // written out of order: ref1's place is a hole until written
    expect(ref1).toMatch(/^packs\/.+\.rec#0\+\d+$/);
    expect((await a.readRecord(ref2))!.key).toBe('https://a/2');
    expect(await a.readRecord(ref1)).toBeUndefined();
    await a.close();
    // A process killed before writing ref1: the hole reads as nothing, the line after it reads.
    const b = openArchive(root);
    expect(await b.readRecord(ref1)).toBeUndefined();
    expect([...b.records()].map((x) => x.key)).toEqual(['https://a/2']);
  });

  it('gives the store one source per distinct report body (nianbao ingest/reparse of an archive)', async () => {
    const root = path.join(tempData(), 'archive');
    await write(root, [['https://a/1', 'report one'], ['https://a/2', 'report one'], ['https://a/3', 'report two']]);
    const sources = archiveSources(root);
    expect(sources).toHaveLength(2);
    const first = sources[0];
    if (first.kind !== 'document') throw new Error('expected a document');
    expect(first.url).toBe('https://a/1');
    expect(Buffer.from(first.read()).toString()).toBe('report one');
    expect(discoverSources([root])).toHaveLength(2);
  });

  it('still reads the per-file layout of older archives', async () => {
    const root = path.join(tempData(), 'archive');
    const h = sha256('old body');
    mkdirSync(path.join(root, 'blobs', h.slice(0, 2)), { recursive: true });
    writeFileSync(path.join(root, 'blobs', h.slice(0, 2), h), 'old body');
    const u = sha256('https://old/1');
    mkdirSync(path.join(root, 'records', u.slice(0, 2), u), { recursive: true });
    writeFileSync(path.join(root, 'records', u.slice(0, 2), u, '2024-01-01T00-00-00-000Z-1-0.json'), JSON.stringify(rec('https://old/1', h)));
    await write(root, [['https://new/1', 'old body'], ['https://new/2', 'new body']]);
    const a = openArchive(root);
    expect([...a.records()].map((r) => r.key).sort()).toEqual(['https://new/1', 'https://new/2', 'https://old/1']);
    expect(a.readBlob(h)!.toString()).toBe('old body');
    // The old blob was not written again into the pack.
    expect(readFileSync(packFiles(root, '.pack')[0], 'utf8')).toBe('new body');
  });
});

// The journal is replayed line by line: a torn tail is cut (and only it), a
// last line that lost just its newline is kept, and a finished run starts anew.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Frontier } from '../../src/crawl/frontier.ts';
import { tempData } from './helpers.ts';

const item = (i: number) => ({ key: `https://h${i % 7}.example.gov.cn/nb/${i}.html`, url: `https://h${i % 7}.example.gov.cn/nb/${i}.html`, kind: 'report' as const });
const lines = (evs: unknown[]) => evs.map((e) => JSON.stringify(e) + '\n').join('');
const newRunId = () => 'new-run';

async function journal(text: string): Promise<string> {
  const dir = tempData();
  await fs.writeFile(path.join(dir, 'frontier.jsonl'), text);
  return dir;
}

describe('frontier journal replay', () => {
  const run = { e: 'run', runId: 'r1', site: 's', startedAt: '2026-01-01T00:00:00Z' };
  const adds = Array.from({ length: 5 }, (_, i) => ({ e: 'add', item: item(i) }));
  const good = lines([run, ...adds, { e: 'done', key: item(0).key, outcome: 'new', doc: true }]);

  it('resumes up to a torn tail, cuts it, and appends on a clean line', async () => {
    const dir = await journal(good + '{"e":"done","key":"https://h1.exa');
    const f = await Frontier.open(dir, 's', { newRunId });
    expect(f.resumed).toBe(true);
    expect(f.runId).toBe('r1');
    expect(f.items.size).toBe(5);
    expect([...f.done.keys()]).toEqual([item(0).key]);
    expect(f.pending()).toHaveLength(4);
    await f.add([item(9)]);
    await f.close();
    const text = await fs.readFile(path.join(dir, 'frontier.jsonl'), 'utf8');
    expect(text.startsWith(good)).toBe(true);
    expect(text.slice(good.length).trim().split('\n').map((l) => JSON.parse(l).e)).toEqual(['add']);
  });

  it('keeps a last line that lost only its newline', async () => {
    const dir = await journal(good + JSON.stringify({ e: 'done', key: item(1).key, outcome: 'new' }));
    const f = await Frontier.open(dir, 's', { newRunId });
    expect(f.done.size).toBe(2);
    await f.add([item(9)]);
    await f.close();
    const text = await fs.readFile(path.join(dir, 'frontier.jsonl'), 'utf8');
    expect(text.trim().split('\n').map((l) => JSON.parse(l).e).slice(-2)).toEqual(['done', 'add']);
  });

  it('starts a new run after a finished one, keeping its durable states', async () => {
    const st = { key: item(0).key, url: item(0).url, sha256: 'ab', fetchedAt: 'x', runId: 'r1', record: 'packs/x.rec#0+1' };
    const dir = await journal(lines([run, ...adds, { e: 'done', key: item(0).key, outcome: 'new', state: st }, { e: 'end', finishedAt: 'y' }]));
    const f = await Frontier.open(dir, 's', { newRunId });
    expect(f.resumed).toBe(false);
    expect(f.runId).toBe('new-run');
    expect(f.items.size).toBe(0);
    expect(f.doneStates.get(item(0).key)).toEqual(st);
    await f.close();
  });
});

// Names printed short resolve to the same body as the full name; a bare level
// word ("县地税局") needs a hint of that level; abolished bodies stay apart.
import { describe, expect, it } from 'vitest';
import { resolveAgency } from '../../src/agency/index.ts';

const idOf = (name: string, hints = {}) => {
  const r = resolveAgency(name, hints);
  return r.status === 'resolved' ? r.agency.id : `${r.status}`;
};

describe('short names', () => {
  it('柘城县发改委 is 柘城县发展和改革委员会, kind and level as the full name', () => {
    const short = resolveAgency('柘城县发改委');
    const full = resolveAgency('柘城县发展和改革委员会');
    expect(short.status === 'resolved' && short.agency).toMatchObject({ id: '411424:发展和改革委员会', name: '柘城县发改委', level: 'county', kind: '发展改革' });
    expect(full.status === 'resolved' && full.agency.id).toBe('411424:发展和改革委员会');
  });

  it('县地税局 on a county site is that county\'s 地方税务局; without a hint it is not guessed', () => {
    expect(idOf('县地税局', { url: 'https://www.pingtan.gov.cn/zwgk/t1.htm' })).toBe('350128:地方税务局');
    expect(idOf('县地税局')).toBe('unresolved');
    // The level word must fit the hinted region: a county site does not make 省地税局 its own.
    expect(idOf('省地税局', { url: 'https://www.pingtan.gov.cn/zwgk/t1.htm' })).toBe('unresolved');
  });

  it('an abolished body keeps its own id: 地方税务局 is never merged into 税务局', () => {
    expect(idOf('平潭县地税局')).toBe('350128:地方税务局');
    expect(idOf('平潭县税务局')).toBe('350128:税务局');
    expect(idOf('平潭县国税局')).toBe('350128:国家税务局');
  });
});

// A kind is read from a word of the name, never from a substring of a longer
// word: "人民政府" contains "民政", "人民政府办公室" contains "办公室".
import { describe, expect, it } from 'vitest';
import { classifyKind, resolveAgency } from '../../src/agency/index.ts';

describe('kind words are read as words', () => {
  it.each([
    // [institution or name, kind]
    ['人民政府', '人民政府'],
    ['人民政府办公室', '政府办公厅'],
    ['民政局', '民政'],
    // A region the registry does not know: the name still says what the body is.
    ['某某县人民政府', '人民政府'],
    ['某某县人民政府办公室', '政府办公厅'],
    ['某某县人民政府民政局', '民政'],
    ['某某县人民政府教育局', '教育'],
    ['某某县民政局', '民政'],
    // Longer words of other rules hide shorter ones either way round.
    ['自然资源和规划局', '自然资源'],
    ['卫生健康委员会', '卫生健康'],
    ['某某经济开发区管理委员会', '管委会'],
    ['人民政府某某街道办事处', '人民政府'],
    ['住房和城乡建设局', '住房城乡建设'],
  ])('%s → %s', (name, kind) => {
    expect(classifyKind(name)?.kind).toBe(kind);
  });

  it('"民政" inside "人民政府" never makes a kind', () => {
    for (const n of ['人民政府', '某某县人民政府', '某某市人民政府办公厅', '某某人民政府研究室']) expect(classifyKind(n)?.kind).not.toBe('民政');
  });

  it('a government whose region does not resolve is not filed as 民政', () => {
    const r = resolveAgency('乌有县人民政府');
    expect(r.status).toBe('unresolved');
    expect(r.status === 'unresolved' && r.agency.kind).toBe('人民政府');
    expect(r.status === 'unresolved' && r.agency.kindGroup).toBe('government');
  });

  it('a county government named after a city that resolves only to the city is still a government', () => {
    // "乌有县" is no division: the chain stops at 宿迁市 and the rest is the institution.
    const r = resolveAgency('宿迁市乌有县人民政府');
    expect(r.status === 'resolved' && r.agency.kind).toBe('人民政府');
  });
});

// A division name printed one character off (沐阳县 for 沭阳县) resolves to
// the registry's body with a warning, the printed name kept; bounded to one
// substitution, never the level suffix, never short names, and only when one
// division fits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAgency } from '../../src/agency/index.ts';
import { parseDocument } from '../../src/parse/index.ts';
import { REPORTS } from '../parse/helpers.ts';

describe('division names one character off', () => {
  it('the real 沭阳县 report printed with 沐阳县 (a variant) keeps the printed name and takes region and kind from the registry', async () => {
    const page = readFileSync(join(REPORTS, '2023_shuyang_fagaiju.html'), 'utf8');
    const variant = page.replaceAll('沭阳县', '沐阳县');
    const url = 'http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml';
    const r = await parseDocument(Buffer.from(variant, 'utf8'), { path: 'variant.html', url });
    expect(r.agency).toMatchObject({ name: '沐阳县发展和改革局', region: { code: '321322', name: '江苏省宿迁市沭阳县' }, kind: '发展改革', level: 'county' });
    const w = r.warnings.find((x) => x.code === 'agency_name_near_match');
    expect(w?.message).toContain('沐阳县');
    expect(w?.message).toContain('沭阳县');
  });

  it('resolves inside the parent region read before it', () => {
    const r = resolveAgency('淮安市清江埔区人民政府');
    expect(r.status).toBe('resolved');
    if (r.status !== 'resolved') return;
    expect(r.agency).toMatchObject({ name: '淮安市清江埔区人民政府', regionCode: '320812', level: 'county', kind: '人民政府', id: '320812:人民政府' });
    expect(r.near).toEqual({ printed: '清江埔区', official: '清江浦区', code: '320812' });
  });

  it('is not taken when several divisions of the parent are one character off', () => {
    // 宿迁市 has both 沭阳县 and 泗阳县: "沐阳县" is one character off each.
    const r = resolveAgency('宿迁市沐阳县人民政府');
    expect(r.status === 'resolved' && r.agency.regionCode).toBe('321300');
    expect(r.status === 'resolved' && r.near).toBeUndefined();
    expect(r.status === 'resolved' && r.nearTies).toMatch(/沭阳县.*泗阳县|泗阳县.*沭阳县/);
  });

  it('without a parent it needs the URL or a region text to single one out', () => {
    expect(resolveAgency('沐阳县发展和改革局').status).toBe('unresolved');
    const byUrl = resolveAgency('沐阳县发展和改革局', { url: 'http://www.shuyang.gov.cn/' });
    expect(byUrl.status === 'resolved' && byUrl.agency.regionCode).toBe('321322');
    const byText = resolveAgency('沐阳县发展和改革局', { regionText: '江苏省宿迁市沭阳县' });
    expect(byText.status === 'resolved' && byText.agency.regionCode).toBe('321322');
    // A region text that still leaves 沭阳县 and 泗阳县 leaves the name unresolved.
    const tie = resolveAgency('沐阳县发展和改革局', { regionText: '江苏省宿迁市' });
    expect(tie.status).toBe('unresolved');
    expect(tie.status === 'unresolved' && tie.reason).toMatch(/one character off/);
  });

  it('never changes the level suffix, never more than one character, never a two-character name', () => {
    // 洪泽县 became 洪泽区: a different suffix is not a typo to repair.
    const suffix = resolveAgency('淮安市洪泽县人民政府');
    expect(suffix.status === 'resolved' && suffix.agency.regionCode).toBe('320800');
    const two = resolveAgency('淮安市清汀埔区人民政府');
    expect(two.status === 'resolved' && two.agency.regionCode).toBe('320800');
    // "宁夏" is a two-character short name: "宁厦" is not read as it.
    expect(resolveAgency('宁厦审计厅').status).toBe('unresolved');
  });

  it('names read exactly never carry a near match', () => {
    const r = resolveAgency('中卫市审计局');
    expect(r.status === 'resolved' && r.near).toBeUndefined();
    expect(r.status === 'resolved' && r.nearTies).toBeUndefined();
  });
});

// columnArray reads the small tables' columns from their buffers instead of
// Vector.get; it must give exactly what get gives, for every type they use,
// with nulls, CJK, characters outside the BMP and several chunks.
import { describe, expect, it } from 'vitest';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { columnArray, objectsToTable, utf8Equals, type ColumnSpec } from '../../src/store/tables.ts';

interface Row { s: string | null; i: number | null; h: number | null; f: number | null; b: boolean | null }
const COLUMNS: ColumnSpec<Row>[] = [
  { name: 's', type: 'utf8', get: (r) => r.s },
  { name: 'i', type: 'int32', get: (r) => r.i },
  { name: 'h', type: 'int16', get: (r) => r.h },
  { name: 'f', type: 'float64', get: (r) => r.f },
  { name: 'b', type: 'bool', get: (r) => r.b },
];

function rows(n: number, seed: number): Row[] {
  const words = ['中卫市审计局', '', 'current', '𠀀𠀁 😀 emoji', '平潭综合实验区（福建省福州市平潭县）', 'a"b,c', '\u00e9t\u00e9'];
  return Array.from({ length: n }, (_, k) => {
    const x = (k * 7919 + seed) % 13;
    return { s: x === 0 ? null : words[x % words.length] + k, i: x === 1 ? null : k - 50, h: x === 2 ? null : (k % 300) - 150, f: x === 3 ? null : k / 7, b: x === 4 ? null : k % 3 === 0 };
  });
}

describe('columnArray', () => {
  it('equals Vector.get for every column type the small tables use, through an IPC round trip', () => {
    const t = tableFromIPC(tableToIPC(objectsToTable(COLUMNS, rows(1000, 3)), 'file'));
    for (const c of COLUMNS) {
      const v = t.getChild(c.name)!;
      expect(columnArray(v), c.name).toEqual(Array.from({ length: v.length }, (_, i) => v.get(i)));
    }
  });

  it('handles several chunks and sliced vectors (falling back to get where it must)', () => {
    const a = objectsToTable(COLUMNS, rows(300, 1)), b = objectsToTable(COLUMNS, rows(200, 2));
    const t = a.concat(b);
    for (const c of COLUMNS) {
      const v = t.getChild(c.name)!;
      expect(columnArray(v), c.name).toEqual(Array.from({ length: v.length }, (_, i) => v.get(i)));
      const s = v.slice(37, 411);
      expect(columnArray(s), `${c.name} sliced`).toEqual(Array.from({ length: s.length }, (_, i) => s.get(i)));
    }
  });

  it('utf8Equals marks exactly the rows get() reads as the value, nulls and slices included', () => {
    const t = objectsToTable(COLUMNS, rows(300, 1)).concat(objectsToTable(COLUMNS, rows(200, 2)));
    const v = t.getChild('s')!;
    for (const want of ['current4', '中卫市审计局3', '10', 'nothing']) {
      const expected = Array.from({ length: v.length }, (_, i) => (v.get(i) === want ? 1 : 0));
      expect(Array.from(utf8Equals(v, want)), want).toEqual(expected);
      if (want !== 'nothing') expect(expected.some((x) => x === 1), want).toBe(true);
    }
    const sliced = v.slice(5, 250);
    expect(Array.from(utf8Equals(sliced, 'current7'))).toEqual(Array.from({ length: sliced.length }, (_, i) => (sliced.get(i) === 'current7' ? 1 : 0)));
  });
});

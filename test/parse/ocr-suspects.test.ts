// A failed relation on OCR'd cells names the cells one misreading would
// explain, as ocr_suspect_cell warnings; the values stay as read. SYNTHETIC
// figures: invented, consistent numbers, not taken from any report.
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/parse/interpret/checks.ts';
import { misreadingOf, ocrSuspects } from '../../src/parse/interpret/ocr-suspects.ts';
import { T3_COLS, T3_ROWS } from '../../src/parse/schema.ts';
import type { CellValue } from '../../src/parse/types.ts';

/** A SYNTHETIC table 3 whose relations 1–3 all hold: every column holds the same figures. */
function syntheticTable3(): CellValue[] {
  const figures: Record<string, number> = { new_received: 30, carried_over: 8, granted: 20, partially_granted: 6, 'unable.not_held': 2, total_processed: 28, carried_forward: 10 };
  const out: CellValue[] = [];
  // other.other ("3.其他") is not in T3_ROWS (told apart from the single-row "other" by context).
  for (const row of [...T3_ROWS.map((r) => r.id), 'other.other']) {
    const v = figures[row] ?? 0;
    for (const col of T3_COLS) {
      const value = col === 'total' ? v * 6 : v;
      out.push({ table: 't3', row, col, value, cell: 'number', raw: String(value), unit: null, at: { page: 1, table: 0 }, ocr: { confidence: 0.97 } });
    }
  }
  return out;
}

/** The cell as misread: its value and text replaced, the confidence lowered. */
function misread(values: CellValue[], row: string, col: string, as: number, confidence = 0.81): CellValue[] {
  return values.map((v) => (v.row === row && v.col === col ? { ...v, value: as, raw: String(as), ocr: { confidence } } : v));
}

const checksOf = (values: CellValue[]) => runChecks(values, true, []);

describe('misreadings', () => {
  it('knows the digit slips a recogniser makes, and no others', () => {
    expect(misreadingOf(38, 36)).toBe('confusable digit');
    expect(misreadingOf(17, 11)).toBe('confusable digit');
    expect(misreadingOf(3, 8)).toBe('confusable digit');
    expect(misreadingOf(10, 100)).toBe('dropped digit');
    expect(misreadingOf(110, 10)).toBe('doubled digit');
    expect(misreadingOf(12, 14)).toBeNull();
    expect(misreadingOf(38, 96)).toBeNull(); // two digits off
    expect(misreadingOf(123, 10)).toBeNull();
    expect(misreadingOf(5, 5)).toBeNull();
    expect(misreadingOf(5, 0)).toBe('digit read in an empty cell');
    expect(misreadingOf(15, 0)).toBeNull();
  });
});

describe('ocr_suspect_cell', () => {
  it('gives no warning when every relation holds', () => {
    const values = syntheticTable3();
    const checks = checksOf(values);
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(ocrSuspects(values, checks)).toEqual([]);
  });

  it('names the one cell whose 0→8 misreading explains the failed relations, and keeps the value as read', () => {
    // granted.natural_person was printed 20 and read as 28 (0 read as 8).
    const values = misread(syntheticTable3(), 'granted', 'natural_person', 28);
    const checks = checksOf(values);
    expect(checks.filter((c) => c.status === 'fail').map((c) => c.id).sort()).toEqual(['r2.natural_person', 'r3.granted']);
    const w = ocrSuspects(values, checks);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ code: 'ocr_suspect_cell', at: { page: 1, table: 0 } });
    expect(w[0].message).toMatch(/^t3\.granted\.natural_person: OCR read "28" \(confidence 0\.81\); read as 20 \(a confusable digit\) it would make r2\.natural_person, r3\.granted hold — kept as read/);
    expect(values.find((v) => v.row === 'granted' && v.col === 'natural_person')!.value).toBe(28);
  });

  it('does not name a cell whose other relation vouches for the reading', () => {
    // The report's own slip, not OCR's: new_received.research printed 38 with a row total (188) that agrees.
    // Reading 38 as 30 would mend r1.research but break r3.new_received, which the reading satisfies.
    const values = syntheticTable3().map((v) => (v.row === 'new_received' && (v.col === 'research' || v.col === 'total') ? { ...v, value: v.value! + 8, raw: String(v.value! + 8) } : v));
    const checks = checksOf(values);
    expect(checks.find((c) => c.id === 'r3.new_received')!.status).toBe('pass');
    expect(checks.filter((c) => c.status === 'fail').map((c) => c.id).sort()).toEqual(['r1.research', 'r1.total']);
    expect(ocrSuspects(values, checks)).toEqual([]);
  });

  it('names a dropped digit, and ignores cells that were not read by OCR', () => {
    const dropped = misread(syntheticTable3(), 'new_received', 'total', 18); // 180 read without its 0
    expect(ocrSuspects(dropped, checksOf(dropped)).map((x) => x.message)).toEqual([expect.stringMatching(/^t3\.new_received\.total: .*read as 180 \(a dropped digit\) it would make r1\.total, r3\.new_received hold/)]);
    const printed = dropped.map((v) => ({ ...v, ocr: undefined }));
    expect(ocrSuspects(printed, checksOf(printed))).toEqual([]);
  });

  it('names a digit read in a blank cell (a speck or seal ink)', () => {
    // SYNTHETIC: denied.state_secret.research printed blank, read as "5" at a low confidence.
    const values = syntheticTable3().map((v) => (v.row === 'denied.state_secret' && v.col === 'research' ? { ...v, value: 5, raw: '5', ocr: { confidence: 0.14 } } : v));
    const w = ocrSuspects(values, checksOf(values));
    expect(w.map((x) => x.message)).toEqual([expect.stringMatching(/^t3\.denied\.state_secret\.research: OCR read "5" \(confidence 0\.14\); read as 0 \(a digit read in an empty cell\) it would make r2\.research, r3\.denied\.state_secret hold/)]);
  });

  it('says nothing when no single slip explains the failure', () => {
    const values = misread(syntheticTable3(), 'granted', 'natural_person', 24);
    expect(ocrSuspects(values, checksOf(values))).toEqual([]);
  });
});

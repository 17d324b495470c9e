import { describe, expect, it } from 'vitest';
import { harmonizeText } from './harmonize-text.js';
import { lookupTable } from './lookup-table.js';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

describe('lookupTable', () => {
  it('answers only its own entries, never a prototype member', () => {
    const table = lookupTable({ ma: 'MA' });
    expect(table.ma).toBe('MA');
    for (const name of PROTOTYPE_NAMES) expect(table[name]).toBeUndefined();
    expect(Object.isFrozen(table)).toBe(true);
  });
});

describe('values named like Object.prototype members', () => {
  it('are ordinary text in every column and header, not functions', () => {
    const header = 'MRN,First Name,Last Name,DOB,Sex,State,Country,Phone,constructor';
    const rows = PROTOTYPE_NAMES.map((name, i) => `${i + 1},${name},${name},${name},${name},${name},${name},${name},${name}`);
    const result = harmonizeText(`${header}\n${rows.join('\n')}\n`, { dataset: 'patients', referenceDate: '2025-06-15' });
    expect(result.report.rows_in).toBe(PROTOTYPE_NAMES.length);
    const records = result.kept.map((r) => JSON.parse(r.json) as Record<string, unknown>);
    expect(records.length + result.report.rows_rejected).toBe(PROTOTYPE_NAMES.length);
    for (const record of records) {
      expect(record.gender).toBe('unknown');
      // Nothing a lookup could have returned: every value is a string, a number, a boolean, null or plain JSON.
      expect(JSON.stringify(record)).not.toMatch(/function|\[native code\]/);
      expect(record.birth_date ?? null).toBeNull();
    }
  });
});

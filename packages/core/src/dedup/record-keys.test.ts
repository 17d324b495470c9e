import { describe, expect, it } from 'vitest';
import { dedupKey, exactKey } from './record-keys.js';

const fields = ['patient_id', 'family_name', 'birth_date'];
const a = { patient_id: '1', family_name: 'Doe', birth_date: '2000-01-02' };

describe('exactKey', () => {
  it('is equal for equal records and extras in any key order', () => {
    expect(exactKey('patients', fields, a, { X: '1', Y: '2' })).toBe(exactKey('patients', fields, { ...a }, { Y: '2', X: '1' }));
  });

  it.each([
    ['a field differs', { ...a, family_name: 'Roe' }, null],
    ['a value moves to another field', { patient_id: '1', family_name: null, birth_date: 'Doe' }, null],
    ['extras differ', a, { X: '1' }],
  ])('differs when %s', (_name, record, extras) => {
    expect(exactKey('patients', fields, record, extras)).not.toBe(exactKey('patients', fields, a, null));
  });

  it('is a short printable string', () => {
    expect(exactKey('patients', fields, a, null)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('dedupKey', () => {
  it('depends only on the key fields', () => {
    expect(dedupKey('patients', ['patient_id'], a)).toBe(dedupKey('patients', ['patient_id'], { ...a, family_name: 'Roe' }));
  });

  it('is null when a key field is empty', () => {
    expect(dedupKey('patients', ['patient_id', 'family_name'], { ...a, family_name: null })).toBeNull();
  });

  it('gives a key when only an optional key field is empty, and tells it from a filled one', () => {
    const keys = ['patient_id', 'family_name'];
    const empty = dedupKey('patients', keys, { ...a, family_name: null }, ['family_name']);
    expect(empty).not.toBeNull();
    expect(dedupKey('patients', keys, { ...a, family_name: '' }, ['family_name'])).toBe(empty);
    expect(dedupKey('patients', keys, a, ['family_name'])).not.toBe(empty);
    expect(dedupKey('patients', keys, { ...a, patient_id: null }, ['family_name'])).toBeNull();
  });

  it('does not confuse values across key fields', () => {
    const one = dedupKey('patients', ['family_name', 'birth_date'], { family_name: 'a,b', birth_date: 'c' });
    const two = dedupKey('patients', ['family_name', 'birth_date'], { family_name: 'a', birth_date: 'b,c' });
    expect(one).not.toBe(two);
  });
});

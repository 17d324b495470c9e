import { describe, expect, it } from 'vitest';
import type { DatasetDefinition, FieldDefinition } from '../datasets/dataset-definition.js';
import { patients } from '../datasets/patients.js';
import { DATASETS } from '../datasets/registry.js';
import { ageOn, deidentifyDate } from './deidentify-date.js';
import { AGE_90_PLUS, deidentifyRecord, type DeidentifyOptions } from './deidentify-record.js';
import { deidentifyAction } from './field-policy.js';
import { patientDateShift, pseudonym } from './pseudonym.js';
import { RESTRICTED_ZIP3, deidentifyPostalCode } from './restricted-zip3.js';

const SALT = 'job-salt-for-tests';
const options = (extra: Partial<DeidentifyOptions> = {}): DeidentifyOptions => ({ salt: SALT, mode: 'year', referenceDate: '2025-06-15', ...extra });
const patient = (fields: Record<string, string | null>) => {
  const record: Record<string, string | null> = {};
  for (const f of patients.fields) record[f.name] = fields[f.name] ?? null;
  return record;
};

describe('field policy', () => {
  it.each([
    ['patient_id', 'pseudonym'],
    ['given_name', 'remove'],
    ['middle_name', 'remove'],
    ['family_name', 'remove'],
    ['prefix', 'remove'],
    ['suffix', 'remove'],
    ['gender', 'keep'],
    ['birth_date', 'birth_date'],
    ['deceased_date', 'date'],
    ['address_line', 'remove'],
    ['city', 'remove'],
    ['state', 'keep'],
    ['postal_code', 'zip3'],
    ['country', 'keep'],
    ['phone', 'remove'],
    ['email', 'remove'],
    ['ssn', 'remove'],
    ['marital_status', 'keep'],
  ])('patients.%s -> %s', (name, action) => {
    const field = patients.fields.find((f) => f.name === name) as FieldDefinition;
    expect(deidentifyAction(field)).toBe(action);
  });

  it('classifies every patients field (a new field gets a test here)', () => {
    expect(patients.fields.map((f) => f.name)).toHaveLength(18);
  });

  it.each([
    ['encounter_id', 'id', 'pseudonym'],
    ['payer_member_id', 'text', 'pseudonym'],
    ['period_start', 'datetime', 'date'],
    ['effective_date', 'date', 'date'],
    ['heart_rate', 'number', 'keep'],
    ['value', 'quantity', 'keep'],
    ['code_display', 'text', 'keep'],
    ['unit', 'text', 'keep'],
    ['note', 'text', 'remove'],
    ['reason_description', 'text', 'remove'],
    ['latitude', 'number', 'remove'],
    ['county', 'code', 'remove'],
    ['age', 'integer', 'age'],
    ['phone_use', 'code', 'keep'],
    ['account_number', 'text', 'remove'],
    ['device_serial', 'number', 'remove'],
    ['status', 'code', 'keep'],
    ['photo', 'binary', 'remove'],
    ['code', 'clinical_code', 'keep'],
    ['code_system', 'code_system', 'keep'],
    ['encounter_class', 'coded', 'keep'],
    ['start', 'datetime', 'date'],
    ['systolic', 'decimal', 'keep'],
    ['pregnant', 'boolean', 'keep'],
    ['care_unit', 'text', 'keep'],
    ['previous_ward', 'text', 'keep'],
    ['discharge_disposition', 'text', 'keep'],
    ['class_text', 'text', 'keep'],
    ['reason_text', 'text', 'remove'],
    ['value_text', 'text', 'remove'],
    ['type_text', 'text', 'remove'],
    ['room', 'text', 'remove'],
    ['bed', 'text', 'remove'],
  ])('a %s field of type %s -> %s', (name, type, action) => {
    expect(deidentifyAction({ name, type } as unknown as FieldDefinition)).toBe(action);
  });
});

describe('every registered dataset', () => {
  it.each(Object.values(DATASETS).map((def) => [def.name, def] as const))('%s: no value of a field that is not kept survives', (_name, def) => {
    const record = Object.fromEntries(def.fields.map((f) => [f.name, f.type.includes('date') ? '1931-07-04' : `value-of-${f.name}`]));
    const out = deidentifyRecord(def, record, options({ mode: 'shift', dateShiftDays: 40 }));
    for (const field of def.fields) {
      const action = deidentifyAction(field);
      if (action !== 'keep') expect(out.record[field.name], `${field.name} (${action})`).not.toBe(record[field.name]);
      if (['id', 'name', 'phone', 'email', 'ssn'].includes(field.type)) expect(action).not.toBe('keep');
      if (/date|time/.test(field.type)) expect(['date', 'birth_date', 'pseudonym']).toContain(action);
    }
  });
});

describe('ZIP codes', () => {
  it.each(RESTRICTED_ZIP3.flatMap((zip3) => [`${zip3}12`, `${zip3}99-1234`]))('restricted %s -> 000', (zip) => {
    expect(deidentifyPostalCode(zip)).toBe('000');
  });

  it('lists the 17 prefixes of the HHS guidance', () => {
    expect([...RESTRICTED_ZIP3].sort()).toEqual(
      ['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'],
    );
  });

  it.each([
    ['02115', '021'],
    ['12345-6789', '123'],
    ['03500', '035'],
    ['03700', '037'],
    ['89400', '894'],
    ['82200', '822'],
    ['SW1A 1AA', null],
    ['K1A 0B1', null],
    ['1234', null],
    ['123456', null],
  ])('%s -> %s', (zip, expected) => {
    expect(deidentifyPostalCode(zip)).toBe(expected);
  });
});

describe('dates', () => {
  it.each([
    ['year', '1980-01-15', 0, '1980'],
    ['year', '2020-03-01T10:30:00Z', 0, '2020'],
    ['year', '1999-07', 0, '1999'],
    ['year', 'unknown', 0, null],
    ['shift', '1980-01-15', 30, '1980-02-14'],
    ['shift', '1980-01-15', -30, '1979-12-16'],
    ['shift', '2024-02-28', 1, '2024-02-29'],
    ['shift', '2023-12-31', 1, '2024-01-01'],
    ['shift', '2020-03-01T10:30:00+02:00', -365, '2019-03-02T10:30:00+02:00'],
    ['shift', '1999-07', 12, '1999'],
    ['shift', 'unknown', 12, null],
  ] as const)('%s %s by %i days -> %s', (mode, value, days, expected) => {
    expect(deidentifyDate(value, mode, days)).toBe(expected);
  });

  it.each([
    ['1935-06-15', '2025-06-14', 89],
    ['1935-06-15', '2025-06-15', 90],
    ['2000-02-29', '2001-02-28', 0],
    ['2000-02-29', '2001-03-01', 1],
  ])('age from %s on %s is %i', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  it('shifts one patient the same way every time, by 1 to 365 days either way, never 0', () => {
    const shifts = Array.from({ length: 2000 }, (_, i) => patientDateShift(SALT, `MRN-${i}`));
    expect(shifts.every((s) => Number.isInteger(s) && s !== 0 && Math.abs(s) <= 365)).toBe(true);
    expect(shifts.some((s) => s < 0) && shifts.some((s) => s > 0)).toBe(true);
    expect(new Set(shifts).size).toBeGreaterThan(300);
    expect(patientDateShift(SALT, 'MRN-7')).toBe(shifts[7]);
    expect(patientDateShift('another-salt', 'MRN-7')).not.toBe(shifts[7]);
  });
});

describe('pseudonyms', () => {
  it('are stable within a job, differ between jobs and hide the identifier', () => {
    const a = pseudonym(SALT, 'MRN-1001');
    expect(a).toMatch(/^[0-9a-f]{24}$/);
    expect(pseudonym(SALT, 'MRN-1001')).toBe(a);
    expect(pseudonym(SALT, 'MRN-1002')).not.toBe(a);
    expect(pseudonym('another-salt', 'MRN-1001')).not.toBe(a);
    expect(a).not.toContain('1001');
  });
});

describe('deidentifyRecord', () => {
  const full = patient({
    patient_id: 'MRN-1001', given_name: 'José', middle_name: 'A', family_name: 'Garcia', prefix: 'Mr.', suffix: 'Jr.',
    gender: 'male', birth_date: '1980-01-15', deceased_date: '2020-05-01', address_line: '12 Main St', city: 'Boston',
    state: 'MA', postal_code: '02115-1234', country: 'US', phone: '+16175550101', email: 'jose@example.com',
    ssn: '999-12-3456', marital_status: 'M',
  });

  it('reduces a record to Safe Harbor fields in year mode', () => {
    expect(deidentifyRecord(patients, full, options())).toEqual({
      record: patient({
        patient_id: pseudonym(SALT, 'MRN-1001'), gender: 'male', birth_date: '1980', deceased_date: '2020',
        state: 'MA', postal_code: '021', country: 'US', marital_status: 'M',
      }),
      extras: null,
    });
  });

  it('shifts every date of a record by the given days in shift mode', () => {
    const out = deidentifyRecord(patients, full, options({ mode: 'shift', dateShiftDays: -10 }));
    expect(out.record).toMatchObject({ birth_date: '1980-01-05', deceased_date: '2020-04-21' });
  });

  it('derives the shift from the patient, so two records of one patient keep their interval', () => {
    const first = deidentifyRecord(patients, full, options({ mode: 'shift' })).record;
    const second = deidentifyRecord(patients, { ...full, city: 'Quincy', birth_date: '1980-01-25' }, options({ mode: 'shift' })).record;
    const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;
    expect(days(first.birth_date as string, second.birth_date as string)).toBe(10);
    expect(days('1980-01-15', first.birth_date as string)).toBe(patientDateShift(SALT, JSON.stringify([['patient_id'], ['MRN-1001']])));
  });

  it('shifts a patient without an id by its name and birth date, consistently', () => {
    const noId = patient({ family_name: 'Garcia', given_name: 'Ana', birth_date: '1970-03-03' });
    const a = deidentifyRecord(patients, noId, options({ mode: 'shift' })).record;
    const b = deidentifyRecord(patients, { ...noId }, options({ mode: 'shift' })).record;
    expect(a.birth_date).toBe(b.birth_date);
    expect(a.birth_date).not.toBe('1970-03-03');
    expect(a.family_name).toBeNull();
  });

  it.each([
    ['89 today: birth year kept', { birth_date: '1935-06-16' }, '1935', null],
    ['90 today: birth date removed, age group 90+', { birth_date: '1935-06-15' }, null, AGE_90_PLUS],
    ['died at 89: birth year kept', { birth_date: '1900-01-02', deceased_date: '1990-01-01' }, '1900', null],
    ['died at 90: grouped', { birth_date: '1900-01-01', deceased_date: '1990-01-01' }, null, AGE_90_PLUS],
    ['birth year only, possibly 90: grouped', { birth_date: '1935' }, null, AGE_90_PLUS],
    ['birth year only, at most 89: year kept', { birth_date: '1936' }, '1936', null],
  ])('%s', (_name, fields, birth, group) => {
    for (const mode of ['year', 'shift'] as const) {
      const out = deidentifyRecord(patients, patient({ patient_id: 'P1', ...fields }), options({ mode, dateShiftDays: 3 }));
      if (birth === null) expect(out.record.birth_date).toBeNull();
      else expect(out.record.birth_date).toMatch(mode === 'year' ? new RegExp(`^${birth}$`) : /^\d{4}(-\d{2}-\d{2})?$/);
      expect(out.extras).toEqual(group ? { age_group: group } : null);
    }
  });

  it.each([
    ['89', '89'],
    ['90', AGE_90_PLUS],
    ['104', AGE_90_PLUS],
    ['unknown', null],
  ])('groups an age field: %s -> %s', (age, expected) => {
    const def = { ...patients, fields: [{ name: 'age', type: 'integer' }] } as unknown as DatasetDefinition;
    expect(deidentifyRecord(def, { age }, options()).record.age).toBe(expected);
  });

  it('lets no direct identifier through, and drops what was under extras', () => {
    const out = JSON.stringify(deidentifyRecord(patients, full, options({ mode: 'shift' })));
    for (const value of ['MRN-1001', 'José', 'Garcia', 'Mr.', 'Jr.', '12 Main St', 'Boston', '02115', '+16175550101', 'jose@example.com', '999-12-3456', '1980-01-15', '2020-05-01']) {
      expect(out).not.toContain(value);
    }
  });
});

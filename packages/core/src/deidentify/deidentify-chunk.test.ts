import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stripBom } from '../formats/strip-bom.js';
import { sniffCsv } from '../formats/sniff-csv.js';
import { matchHeaders } from '../mapping/match-headers.js';
import { OptionsError, parseOptions } from '../options/parse-options.js';
import { processChunk } from '../process-chunk.js';
import type { ChunkTask, HarmonizeOptions } from '../types.js';
import { pseudonym } from './pseudonym.js';

const MESSY = stripBom(readFileSync(new URL('../../../../test/fixtures/messy-patients.csv', import.meta.url), 'utf8'));
const SALT = 'a-job-salt';

function task(options: HarmonizeOptions, extra: Partial<ChunkTask> = {}): ChunkTask {
  const dialect = sniffCsv(MESSY, true);
  return {
    dataset: 'patients',
    delimiter: dialect.delimiter,
    mapping: matchHeaders(dialect.header, 'patients'),
    text: MESSY.slice(dialect.dataOffset),
    firstRow: 1,
    options,
    referenceDate: '2025-06-15',
    ...extra,
  };
}

const plain = processChunk(task({}));
const deidentified = processChunk(task({ deidentify: true }, { deidentifySalt: SALT }));
const json = (result: typeof plain) => result.accepted.map((a) => JSON.parse(a.json) as Record<string, unknown>);

describe('processChunk with options.deidentify', () => {
  it('accepts and rejects the same rows, with the same dedup and exact keys as without it', () => {
    expect(deidentified.accepted.map((a) => a.row)).toEqual(plain.accepted.map((a) => a.row));
    expect(deidentified.rejects).toEqual(plain.rejects);
    expect(deidentified.accepted.map((a) => [a.exactKey, a.dedupKey])).toEqual(plain.accepted.map((a) => [a.exactKey, a.dedupKey]));
  });

  it('writes no identifying input value into the CSV, the JSON or the stats', () => {
    const written = [...deidentified.accepted.flatMap((a) => [a.csv, a.json]), JSON.stringify(deidentified.stats, (_k, v) => (v instanceof Set || v instanceof Uint8Array ? undefined : v))].join('\n');
    for (const record of json(plain)) {
      for (const field of ['patient_id', 'given_name', 'family_name', 'address_line', 'city', 'phone', 'email', 'birth_date', 'deceased_date']) {
        const value = record[field];
        if (typeof value === 'string' && value.length > 4) expect(written, `${field}`).not.toContain(value);
      }
    }
    for (const raw of ['Kowalski', 'KOWALSKI', 'Harbor Rd', '(617) 555-0101', '02115']) expect(written).not.toContain(raw);
  });

  it('keeps state, country, gender, the year and the 3-digit ZIP, and links records by pseudonym', () => {
    const first = json(deidentified)[0];
    expect(first).toMatchObject({
      patient_id: pseudonym(SALT, 'MRN-1001'), given_name: null, family_name: null, birth_date: '1980', gender: 'male',
      state: 'MA', postal_code: '021', address_line: null, city: null, phone: null, email: null, _row: 1,
    });
    const ids = json(deidentified).map((r) => r.patient_id);
    const plainIds = json(plain).map((r) => r.patient_id);
    expect(new Set(ids).size).toBe(new Set(plainIds).size);
  });

  it('shifts full dates in shift mode instead of cutting them to the year', () => {
    const shifted = json(processChunk(task({ deidentify: true, deidentify_dates: 'shift' }, { deidentifySalt: SALT })));
    expect(shifted[0]?.birth_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(shifted[0]?.birth_date).not.toBe('1980-01-15');
  });

  it('refuses to run without the job salt or a reference date rather than write identifiable outputs', () => {
    expect(() => processChunk(task({ deidentify: true }))).toThrow(/deidentifySalt/);
    expect(() => processChunk(task({ deidentify: true }, { deidentifySalt: SALT, referenceDate: undefined }))).toThrow(/referenceDate/);
  });
});

describe('parseOptions for de-identification', () => {
  it.each([
    [{ deidentify: true }, { deidentify: true }],
    [{ deidentify: true, deidentify_dates: 'shift' }, { deidentify: true, deidentify_dates: 'shift' }],
    [{ deidentify: false }, { deidentify: false }],
  ])('accepts %j', (raw, expected) => {
    expect(parseOptions(raw)).toEqual(expected);
  });

  it.each([
    [{ deidentify: 'yes' }, 'deidentify', 'options.deidentify must be a boolean'],
    [{ deidentify: true, deidentify_dates: 'month' }, 'deidentify_dates', 'must be year or shift'],
    [{ deidentify_dates: 'shift' }, 'deidentify_dates', 'needs options.deidentify: true'],
    [{ deidentify: true, include_values: true }, 'include_values', 'cannot be combined with options.deidentify'],
  ])('refuses %j naming the field', (raw, field, message) => {
    const err = (() => {
      try {
        parseOptions(raw);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(OptionsError);
    expect((err as OptionsError).field).toBe(field);
    expect((err as OptionsError).message).toContain(message);
  });
});

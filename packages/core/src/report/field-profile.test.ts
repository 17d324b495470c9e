import { describe, expect, it } from 'vitest';
import { getDataset } from '../datasets/registry.js';
import type { ChunkStats, FieldProfile } from '../types.js';
import fc from 'fast-check';
import { mergeProfilesInto, profilePlan, profileRecord, type ProfiledField } from './field-profile.js';
import { refMergeProfiles } from './profile-reference.js';
import { mergeStats, emptyStats } from './merge-stats.js';
import { isIdentifyingField } from './phi-fields.js';
import { MIN_TOP_COUNT, summarizeProfile } from './profile-summary.js';
import { valuePattern } from './value-pattern.js';

const fields: ProfiledField[] = [
  { name: 'gender', kind: 'other', identifying: false, topValues: true },
  { name: 'birth_date', kind: 'date', identifying: true, topValues: false },
  { name: 'heart_rate', kind: 'number', identifying: false, topValues: false },
  { name: 'visit_date', kind: 'date', identifying: false, topValues: false },
];

function chunk(records: Record<string, string | null>[]): ChunkStats {
  const stats = emptyStats();
  for (const record of records) profileRecord(stats, fields, record);
  return stats;
}

const rows = (n: number, make: (i: number) => Record<string, string | null>) => Array.from({ length: n }, (_, i) => make(i));

describe('valuePattern', () => {
  it.each([
    ['2019-03-04', '9999-99-99'],
    ['2019-03-04T10:00:00Z', '9999-99-99A99:99:99A'],
    ['Maynard46', 'A99'],
    ['+16178848300', '+99999999999'],
    ['Jo  Ann', 'A A'],
    ['Zoë', 'A'],
    ['12345678901234567890123456789', '999999999999999999999999…'],
  ])('shapes %s as %s', (value, pattern) => {
    expect(valuePattern(value)).toBe(pattern);
  });
});

describe('field profile', () => {
  it('counts emptiness, distinct values, ranges, formats and frequent values over merged chunks', () => {
    const a = chunk(rows(10, (i) => ({ gender: i % 2 ? 'male' : 'female', birth_date: `19${50 + i}-01-0${1 + (i % 9)}`, heart_rate: String(60 + i), visit_date: null })));
    const b = chunk(rows(10, (i) => ({ gender: i < 8 ? 'female' : 'other', birth_date: null, heart_rate: i === 0 ? '150.5' : '70', visit_date: '2020-02-02T10:00:00Z' })));
    const merged = mergeStats(a, b).profile ?? {};
    const [gender, birth, heart, visit] = fields.map((f) => summarizeProfile(f, merged[f.name], 20));

    expect(gender).toMatchObject({ empty_fraction: 0, distinct: 3, min: null, max: null, format: { pattern: 'A', share: 1 } });
    expect(gender?.top_values).toEqual([
      { value: 'female', count: 13 },
      { value: 'male', count: 5 },
    ]);
    expect(heart).toMatchObject({ empty_fraction: 0, min: 60, max: 150.5 });
    expect(heart?.format).toEqual({ pattern: '99', share: 0.95 });
    expect(visit).toMatchObject({ empty_fraction: 0.5, distinct: 1, min: '2020-02-02T10:00:00Z', max: '2020-02-02T10:00:00Z' });
    expect(birth).toMatchObject({ empty_fraction: 0.5, distinct: 10, format: { pattern: '9999-99-99', share: 1 } });
    // Measurements and dates are described by their range, not by frequent values.
    expect(heart?.top_values).toBeNull();
    expect(visit?.top_values).toBeNull();
  });

  it(`never shows a value seen fewer than ${MIN_TOP_COUNT} times`, () => {
    const stats = chunk(rows(12, (i) => ({ gender: i < 8 ? 'female' : `rare-${i}` })));
    const report = summarizeProfile(fields[0] as ProfiledField, stats.profile?.gender, 12);
    expect(report.top_values).toEqual([{ value: 'female', count: 8 }]);
  });

  it('collects no values of identifying fields and shows their dates as years only', () => {
    const stats = chunk(rows(30, () => ({ birth_date: '1980-05-17' })));
    expect(stats.profile?.birth_date?.top).toBeUndefined();
    const report = summarizeProfile(fields[1] as ProfiledField, stats.profile?.birth_date, 30);
    expect(report).toMatchObject({ top_values: null, min: '1980', max: '1980', distinct: 1 });
    expect(JSON.stringify(report)).not.toContain('05-17');
  });

  it('stays bounded: a field with 50,000 distinct values keeps only a fixed-size summary', () => {
    const stats = chunk(rows(50_000, (i) => ({ gender: `v${i}` })));
    const profile = stats.profile?.gender;
    expect(profile?.top).toBeUndefined();
    expect(profile?.small).toBeUndefined();
    expect([...(profile?.patterns?.keys() ?? [])]).toEqual(['A9', 'A99', 'A999', 'A9999', 'A99999']);
    const report = summarizeProfile(fields[0] as ProfiledField, profile, 50_000);
    expect(Math.abs(report.distinct - 50_000) / 50_000).toBeLessThan(0.1);
    expect(report.top_values).toBeNull();
  });

  it('gives the same summary whatever the chunking', () => {
    const records = rows(3_000, (i) => ({ gender: `g${i % 40}`, heart_rate: String(50 + (i % 90)), visit_date: `2020-01-${String(1 + (i % 28)).padStart(2, '0')}` }));
    const summaries = [1, 250, 3_000].map((size) => {
      let stats = emptyStats();
      for (let i = 0; i < records.length; i += size) stats = mergeStats(stats, chunk(records.slice(i, i + size)));
      return fields.map((f) => summarizeProfile(f, stats.profile?.[f.name], records.length));
    });
    expect(summaries[1]).toEqual(summaries[0]);
    expect(summaries[2]).toEqual(summaries[0]);
  });

  it('crosses a thread boundary intact (structured clone)', () => {
    const stats = chunk(rows(5, (i) => ({ gender: 'male', heart_rate: String(i) })));
    const copy = structuredClone(stats);
    expect(summarizeProfile(fields[2] as ProfiledField, copy.profile?.heart_rate, 5)).toEqual(
      summarizeProfile(fields[2] as ProfiledField, stats.profile?.heart_rate, 5),
    );
  });
});

describe('identifying fields of patients', () => {
  it('marks ids, names, contacts, address parts, SSN and life dates, and nothing else', () => {
    const plan = profilePlan(getDataset('patients'));
    const identifying = plan.filter((f) => f.identifying).map((f) => f.name);
    expect(identifying).toEqual([
      'patient_id', 'given_name', 'middle_name', 'family_name', 'prefix', 'suffix', 'birth_date', 'deceased_date',
      'address_line', 'city', 'postal_code', 'phone', 'email', 'ssn',
    ]);
    expect(isIdentifyingField({ name: 'loinc_code', type: 'code' })).toBe(false);
    expect(isIdentifyingField({ name: 'encounter_id', type: 'id' })).toBe(true);
  });
});

describe('mergeProfilesInto', () => {
  /** The frozen reference merge (profile-reference.ts), folded over copies of the chunks' profiles. */
  const referenceFold = (stats: readonly ChunkStats[]) =>
    stats.reduce<Record<string, FieldProfile> | undefined>((acc, s) => refMergeProfiles(acc, structuredClone(s.profile)), undefined) ?? {};

  it('accumulates exactly what folding the reference merge gives, and changes no chunk (generated chunks, caps crossed)', () => {
    // Values from few (exact sets, frequent values kept) to many (sets and tables given up mid-way).
    // Values of many shapes (pattern tables past their cap) and up to `spread` distinct ones.
    const shape = fc.string({ unit: fc.constantFrom('a', 'B', '1', '-', '.', ' '), maxLength: 6 });
    const value = (spread: number) =>
      fc.oneof(fc.constant(null), fc.tuple(fc.integer({ min: 0, max: spread }), shape).map(([n, s]) => (n % 3 === 0 ? `${s}${n % 50}` : `v${n}`)));
    const record = (spread: number) =>
      fc.record({ gender: value(spread), birth_date: fc.constantFrom(null, '1990-01-02', '2001-12-31', 'x'), heart_rate: fc.constantFrom(null, '72', '80.5', 'n/a'), visit_date: value(spread) });
    const chunks = fc.integer({ min: 3, max: 3000 }).chain((spread) => fc.array(fc.array(record(spread), { maxLength: 300 }), { minLength: 1, maxLength: 8 }));
    fc.assert(
      fc.property(chunks, (recordsPerChunk) => {
        const stats = recordsPerChunk.map((records) => chunk(records));
        const before = structuredClone(stats.map((s) => s.profile));
        const expected = referenceFold(stats);
        const into: Record<string, FieldProfile> = {};
        for (const s of stats) mergeProfilesInto(into, s.profile);
        expect(into).toEqual(expected);
        expect(stats.map((s) => s.profile)).toEqual(before);
        // Nothing of a chunk is shared with the accumulator.
        for (const s of stats) for (const [name, p] of Object.entries(s.profile ?? {})) {
          expect(into[name]?.hll).not.toBe(p.hll);
          if (p.top) expect(into[name]?.top).not.toBe(p.top);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives a table up when only the union passes its cap, as the reference merge does', () => {
    // Each chunk under every cap (exact set 256, frequent values 512, patterns 64); together over.
    // 30 new patterns per chunk: `x` then k in base 3 written with 1, - and . (x1-.1 is A9-.9).
    const shaped = (k: number) => `x${[27, 9, 3, 1].map((d) => '1-.'[Math.floor(k / d) % 3]).join('')}`;
    const stats = [0, 1, 2].map((c) =>
      chunk(Array.from({ length: 200 }, (_, i) => ({ gender: i < 30 ? shaped(i + c * 30) : `v${c * 200 + i}`, birth_date: null, heart_rate: null, visit_date: null }))),
    );
    for (const s of stats) {
      expect(s.profile?.gender?.small).toBeDefined();
      expect(s.profile?.gender?.top).toBeDefined();
      expect(s.profile?.gender?.patterns).toBeDefined();
    }
    const expected = referenceFold(stats);
    expect(expected.gender?.small).toBeUndefined();
    expect(expected.gender?.top).toBeUndefined();
    expect(expected.gender?.patterns).toBeUndefined();
    const into: Record<string, FieldProfile> = {};
    for (const s of stats) mergeProfilesInto(into, s.profile);
    expect(into).toEqual(expected);
    // Two chunks stay under the caps: the tables are kept, with the summed counts.
    const two: Record<string, FieldProfile> = {};
    for (const s of stats.slice(0, 2)) mergeProfilesInto(two, s.profile);
    expect(two).toEqual(referenceFold(stats.slice(0, 2)));
  });
});

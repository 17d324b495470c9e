import { describe, expect, it } from 'vitest';
import { matchHeaders } from '../mapping/match-headers.js';
import { processChunk } from '../process-chunk.js';
import { harmonizeText } from '../harmonize-text.js';
import type { HarmonizeOptions } from '../types.js';

const REFERENCE_DATE = '2025-06-15';

/** Runs a small CSV file through the whole pipeline and returns processChunk's view of it. */
function harmonizeCsv(text: string, options: HarmonizeOptions = {}, referenceDate: string | null = REFERENCE_DATE) {
  const { chunk } = harmonizeText(text, { dataset: 'patients', options, ...(referenceDate ? { referenceDate } : {}) });
  return {
    ...chunk,
    json: chunk.accepted.map((a) => JSON.parse(a.json) as Record<string, unknown>),
    rejected: chunk.rejects.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('processChunk edge cases', () => {
  it('numbers rows from firstRow', () => {
    const mapping = matchHeaders(['MRN', 'DOB'], 'patients');
    const text = '1,2000-01-01\n2,bad\n';
    const result = processChunk({ dataset: 'patients', delimiter: ',', mapping, text, firstRow: 5001, options: {} });
    expect(result.accepted.map((a) => a.row)).toEqual([5001]);
    expect(result.rejects.map((line) => (JSON.parse(line) as { row: number }).row)).toEqual([5002]);
  });

  it('returns an empty result for empty text (a header-only file)', () => {
    const result = harmonizeCsv('MRN,DOB\n');
    expect(result).toMatchObject({ accepted: [], rejects: [], stats: { rowsIn: 0, rowsRejected: 0 } });
  });

  it('rejects a row with unbalanced quotes as row.malformed and keeps the rows around it', () => {
    const result = harmonizeCsv('MRN,Last\n1,"a"b"c\n2,ok\n3,"never closed\n');
    expect(result.accepted.map((a) => a.row)).toEqual([1, 2]);
    expect(result.rejected).toEqual([
      expect.objectContaining({ row: 3, field: '_row', rule: 'row.malformed', severity: 'error' }),
    ]);
  });

  it('gives exact duplicates (after standardization) the same exactKey, whatever the source row', () => {
    const result = harmonizeCsv('MRN,Sex,DOB\n1,M,2000-01-02\n1,male,01/02/2000\n1,F,2000-01-02\n');
    const [a, b, c] = result.accepted;
    expect(a?.exactKey).toBe(b?.exactKey);
    expect(a?.exactKey).not.toBe(c?.exactKey);
    expect(a?.dedupKey).toBe(c?.dedupKey);
  });

  it('keys duplicates by options.dedup_keys, null when a key field is empty', () => {
    const options = { dedup_keys: ['family_name', 'birth_date'] };
    const result = harmonizeCsv('MRN,Last,DOB\n1,Doe,2000-01-02\n2,DOE,2000-01-02\n3,,2000-01-02\n', options);
    const [a, b, c] = result.accepted;
    expect(a?.dedupKey).toBe(b?.dedupKey);
    expect(a?.exactKey).not.toBe(b?.exactKey);
    expect(c?.dedupKey).toBeNull();
  });

  it('neutralizes formulas in CSV but not in JSON, and leaves E.164 phones plain', () => {
    const result = harmonizeCsv('MRN,First,Phone\n1,=HYPERLINK("x"),617-884-8300\n');
    expect(result.accepted[0]?.csv).toBe(`1,"'=HYPERLINK(""x"")",,,,,,,,,,,,,+16178848300,,,,,1`);
    expect(result.json[0]).toMatchObject({ given_name: '=HYPERLINK("x")', phone: '+16178848300' });
  });

  it('skips checks against today, and cannot read two-digit years, without a reference date', () => {
    const result = harmonizeCsv('MRN,DOB\n1,2999-01-01\n2,1/2/03\n', {}, null);
    expect(result.accepted.map((a) => a.row)).toEqual([1]);
    expect(result.rejected[0]).toMatchObject({ row: 2, rule: 'date.unparseable' });
  });

  it('reads national phone numbers in default_country', () => {
    const result = harmonizeCsv('MRN,Phone\n1,020 7946 0958\n', { default_country: 'GB' });
    expect(result.json[0]).toMatchObject({ phone: '+442079460958' });
  });

  it("uses the row's country for postal codes and phones", () => {
    const result = harmonizeCsv('MRN,Zip,Phone,Country\n1,2000,(02) 9374 4000,Australia\n2,2000,,USA\n');
    expect(result.json[0]).toMatchObject({ postal_code: '2000', phone: '+61293744000', country: 'AU' });
    expect(result.json[1]).toMatchObject({ postal_code: '02000', country: 'US' });
  });

  it('applies user overrides and keeps repeated or blank headers apart in extras', () => {
    const result = harmonizeCsv('MRN,Nom,Note,Note,\n1,Curie,a,b,c\n', { mapping: { Nom: 'family_name' } });
    expect(result.json[0]).toMatchObject({ family_name: 'Curie', extras: { Note: 'a', Note_4: 'b', column_5: 'c' } });
  });

  it('omits extras when every unmapped cell is empty', () => {
    const result = harmonizeCsv('MRN,Note\n1,\n');
    expect(result.json[0]).not.toHaveProperty('extras');
    expect(result.accepted[0]?.csv.endsWith(',,1')).toBe(true);
  });

  it('refuses a malformed reference date (a bug in the caller, not in the data)', () => {
    const mapping = matchHeaders(['MRN'], 'patients');
    const task = { dataset: 'patients' as const, delimiter: ',' as const, mapping, text: '1\n', firstRow: 1, options: {} };
    expect(() => processChunk({ ...task, referenceDate: '15/06/2025' })).toThrow(/referenceDate/);
  });
});

import { describe, expect, it } from 'vitest';
import { matchHeaders } from '../mapping/match-headers.js';
import type { ChunkStats } from '../types.js';
import { mergeStats } from './merge-stats.js';
import { createReportBuilder, DUPLICATE_EXAMPLES, SUPERSEDED_EXAMPLES } from './report-builder.js';

const mapping = matchHeaders(['MRN', 'DOB', 'Favourite colour'], 'patients');

const chunk = (over: Partial<ChunkStats>): ChunkStats => ({
  rowsIn: 0, rowsRejected: 0, rowsBlank: 0, rules: {}, filled: {}, ...over,
});

describe('mergeStats', () => {
  it('adds counters, rules and filled counts without changing its inputs', () => {
    const a = chunk({ rowsIn: 3, rowsRejected: 1, rules: { 'gender.unknown': { severity: 'warning', count: 2 } }, filled: { patient_id: 2 } });
    const b = chunk({ rowsIn: 4, rowsBlank: 2, rules: { 'gender.unknown': { severity: 'warning', count: 1 }, 'date.unparseable': { severity: 'error', count: 1 } }, filled: { patient_id: 4, birth_date: 1 } });
    expect(mergeStats(a, b)).toEqual({
      rowsIn: 7, rowsRejected: 1, rowsBlank: 2, rowsWarned: 0,
      rules: { 'gender.unknown': { severity: 'warning', count: 3 }, 'date.unparseable': { severity: 'error', count: 1 } },
      filled: { patient_id: 6, birth_date: 1 },
    });
    expect(a.rules['gender.unknown']?.count).toBe(2);
  });

  it('sums conversions and keeps the inferred source formats', () => {
    const a = chunk({ conversions: { 'body_weight:[lb_av]->kg': 2 }, formats: { birth_date: 'M/D/YY' } });
    const b = chunk({ conversions: { 'body_weight:[lb_av]->kg': 1, 'body_temperature:[degF]->Cel': 4 }, formats: { birth_date: 'M/D/YY' } });
    expect(mergeStats(a, b)).toMatchObject({
      conversions: { 'body_weight:[lb_av]->kg': 3, 'body_temperature:[degF]->Cel': 4 },
      formats: { birth_date: 'M/D/YY' },
    });
    const builder = createReportBuilder({ dataset: 'patients', mapping, dedupKeys: [] });
    builder.addChunk({ ...a, rowsIn: 2, filled: { birth_date: 2 } });
    builder.addChunk(b);
    const report = builder.build({ rowsOut: 2 });
    expect(report.conversions).toEqual([
      { conversion: 'body_temperature:[degF]->Cel', count: 4 },
      { conversion: 'body_weight:[lb_av]->kg', count: 3 },
    ]);
    expect(report.profile.birth_date?.source_format).toBe('M/D/YY');
  });

  it('treats a missing rowsBlank as 0', () => {
    const { rowsBlank: _omit, ...old } = chunk({ rowsIn: 1 });
    expect(mergeStats(old, old).rowsBlank).toBe(0);
  });
});

describe('createReportBuilder', () => {
  function build() {
    const builder = createReportBuilder({
      dataset: 'patients', mapping, detection: { dataset: 'patients', confidence: 0.667 }, dedupKeys: ['patient_id'], delimiter: ';',
    });
    builder.addChunk(chunk({ rowsIn: 6, rowsRejected: 2, rowsBlank: 1, rules: { 'date.unparseable': { severity: 'error', count: 2 }, 'gender.unknown': { severity: 'warning', count: 1 } }, filled: { patient_id: 4, birth_date: 3 } }));
    builder.addChunk(chunk({ rowsIn: 4, rules: { 'gender.unknown': { severity: 'warning', count: 3 }, 'email.invalid': { severity: 'warning', count: 1 } }, filled: { patient_id: 4, birth_date: 1 } }));
    builder.addDuplicate({ row: 7, duplicateOf: 2, kind: 'exact' });
    builder.addDuplicate({ row: 9, duplicateOf: 3, kind: 'key' });
    return builder.build({ rowsOut: 6 });
  }

  it('reports counts, the dataset and how it was found, and the input dialect', () => {
    expect(build()).toMatchObject({
      dataset: 'patients', detection: { method: 'detected', confidence: 0.667 }, input: { format: 'csv', delimiter: ';' },
      rows_in: 10, rows_out: 6, rows_rejected: 2, rows_blank: 1,
      duplicates: { exact: 1, by_key: 1, keys: ['patient_id'], examples: [
        { row: 7, duplicate_of: 2, kind: 'exact' }, { row: 9, duplicate_of: 3, kind: 'key' },
      ] },
    });
  });

  it('sorts rules by count, most frequent first, then by name', () => {
    expect(build().rules).toEqual([
      { rule: 'gender.unknown', severity: 'warning', count: 4 },
      { rule: 'date.unparseable', severity: 'error', count: 2 },
      { rule: 'email.invalid', severity: 'warning', count: 1 },
    ]);
  });

  it('reports completeness of every canonical field over accepted rows', () => {
    const { completeness } = build();
    expect(completeness.patient_id).toBe(1);
    expect(completeness.birth_date).toBe(0.5);
    expect(completeness.email).toBe(0);
    expect(Object.keys(completeness)).toHaveLength(18);
  });

  it('lists the mapping used and the unmapped columns', () => {
    const report = build();
    expect(report.mapping).toEqual([
      { source: 'MRN', field: 'patient_id', confidence: 1, method: 'synonym' },
      { source: 'DOB', field: 'birth_date', confidence: 1, method: 'synonym' },
      { source: 'Favourite colour', field: null, confidence: 0, method: 'none' },
    ]);
    expect(report.unmapped_columns).toEqual(['Favourite colour']);
  });

  it('says the dataset was specified when there was no detection', () => {
    const report = createReportBuilder({ dataset: 'patients', mapping, detection: null, dedupKeys: [] }).build({ rowsOut: 0 });
    expect(report).toMatchObject({ detection: { method: 'specified', confidence: 1 }, rows_in: 0, input: { delimiter: null } });
    expect(report.completeness.patient_id).toBe(0);
  });

  it(`keeps only the first ${DUPLICATE_EXAMPLES} duplicates as examples but counts them all`, () => {
    const builder = createReportBuilder({ dataset: 'patients', mapping, dedupKeys: ['patient_id'] });
    for (let row = 2; row <= 251; row++) builder.addDuplicate({ row, duplicateOf: 1, kind: 'key' });
    const { duplicates } = builder.build({ rowsOut: 1 });
    expect(duplicates.by_key).toBe(250);
    expect(duplicates.examples).toHaveLength(DUPLICATE_EXAMPLES);
    expect(duplicates.examples[99]).toEqual({ row: 101, duplicate_of: 1, kind: 'key' });
  });

  it(`counts superseded rows, listing the first ${SUPERSEDED_EXAMPLES} with their version group`, () => {
    const builder = createReportBuilder({ dataset: 'medications', mapping: matchHeaders(['SUBJECT_ID', 'ITEMID'], 'medications'), dedupKeys: [] });
    expect(builder.build({ rowsOut: 0 }).superseded).toEqual({ count: 0, examples: [] });
    for (let row = 1; row <= 150; row++) builder.addSuperseded({ row, group: `g${row % 3}` });
    const { superseded } = builder.build({ rowsOut: 0 });
    expect(superseded.count).toBe(150);
    expect(superseded.examples).toHaveLength(SUPERSEDED_EXAMPLES);
    expect(superseded.examples[4]).toEqual({ row: 5, group: 'g2' });
  });
});

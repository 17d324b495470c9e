import { describe, expect, it } from 'vitest';
import { harmonizeText } from '../harmonize-text.js';
import { processChunk } from '../process-chunk.js';
import { matchHeaders } from '../mapping/match-headers.js';
import type { HarmonizeOptions } from '../types.js';
import { createReportBuilder } from './report-builder.js';

const FILE = [
  'MRN,Last Name,First Name,DOB,Sex,Phone',
  ...Array.from({ length: 12 }, (_, i) => `${1000 + i},Doe,Jane,1980-02-0${1 + (i % 9)},${i < 9 ? 'F' : 'M'},617-884-8300`),
  '2000,Roe,Ann,31/31/1990,F,617-884-8300',
  '2001,Poe,Al,1990-01-01,Q,',
  '',
].join('\n');

const run = (options: HarmonizeOptions = {}) => harmonizeText(FILE, { dataset: 'patients', options, referenceDate: '2025-06-15' });

describe('the report built from processChunk results', () => {
  it('profiles every field in the worker thread so the main thread only merges', () => {
    const { chunk } = run();
    expect(Object.keys(chunk.stats.profile ?? {}).sort()).toEqual(['birth_date', 'family_name', 'gender', 'given_name', 'patient_id', 'phone']);
    expect(chunk.stats.rowsWarned).toBe(1);
  });

  it('reports the profile, warned rows and a quality score', () => {
    const { report } = run();
    expect(report).toMatchObject({ rows_in: 14, rows_rejected: 1, rows_warned: 1, conversions: [] });
    expect(report.profile.gender).toMatchObject({
      empty_fraction: 0,
      distinct: 3,
      top_values: [{ value: 'female', count: 9 }],
    });
    expect(report.profile.birth_date).toMatchObject({ min: '1980', max: '1990', top_values: null });
    expect(report.profile.email).toMatchObject({ empty_fraction: 1, distinct: 0, format: null });
    expect(report.quality).toMatchObject({ key_fields: ['patient_id'], key_completeness: 1 });
    expect(report.quality.score).toBeCloseTo(100 * (1 - 1 / 14) * (1 - 1 / 28), 0);
  });

  it('splits the same file into chunks and gets the same report', () => {
    const whole = run().report;
    const lines = FILE.split('\n');
    const header = lines[0]?.split(',') ?? [];
    const mapping = matchHeaders(header, 'patients');
    const builder = createReportBuilder({ dataset: 'patients', mapping, dedupKeys: ['patient_id'], delimiter: ',' });
    for (const [first, last] of [[1, 5], [6, 15]] as const) {
      const text = `${lines.slice(first, last + 1).join('\n')}\n`;
      const { stats } = processChunk({ dataset: 'patients', delimiter: ',', mapping, text, firstRow: first, options: {}, referenceDate: '2025-06-15' });
      builder.addChunk(structuredClone(stats));
    }
    const split = builder.build({ rowsOut: whole.rows_out });
    expect(split.profile).toEqual(whole.profile);
    expect(split.quality).toEqual(whole.quality);
  });
});

describe('include_values', () => {
  const rejected = (options: HarmonizeOptions) => JSON.parse(run(options).chunk.rejects[0] ?? '{}') as { issues: Record<string, unknown>[] };

  it('leaves raw values out of rejects by default', () => {
    expect(rejected({}).issues[0]).not.toHaveProperty('value');
    expect(JSON.stringify(rejected({}))).not.toContain('31/31/1990');
  });

  it('puts the raw cell of the offending field into each issue when on', () => {
    const line = rejected({ include_values: true });
    expect(line.issues[0]).toMatchObject({ field: 'birth_date', rule: 'date.unparseable', value: '31/31/1990' });
    expect(line).toMatchObject({ field: 'birth_date', value: '31/31/1990' });
  });
});

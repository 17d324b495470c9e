import { describe, expect, it } from 'vitest';
import { matchHeaders } from '../mapping/match-headers.js';
import type { ChunkTask, DatasetName, HarmonizeOptions } from '../types.js';
import { cachedPlan, memoized, planChunk } from './chunk-plan.js';
import { harmonizeRow } from './harmonize-row.js';

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Per column, a few values that repeat (good, odd and bad spellings) and a generator of rarely repeating ones.
const COLUMNS: Record<string, { repeated: string[]; unique: (n: number) => string }> = {
  MRN: { repeated: ['P1', ' P2 ', '', 'N/A'], unique: (n) => `P${n}` },
  'First Name': { repeated: ['ANN', 'ann', ' Zoë ', "o'brien-smith", '', 'unknown'], unique: (n) => `name${n}` },
  'Last Name': { repeated: ['DOE', 'McDonald', 'x', '李'], unique: (n) => `LAST${n}` },
  DOB: { repeated: ['01/02/80', '1980-02-30', '31/12/1990', '1970-01-01', '00/00/0000', 'not a date', '2030-01-01', '19800102'], unique: (n) => `19${10 + (n % 89)}-0${1 + (n % 9)}-1${n % 9}` },
  Sex: { repeated: ['M', 'f', 'Female', 'x', 'U', '?', ''], unique: (n) => `s${n}` },
  Phone: { repeated: ['(617) 555-0100', '617.555.0100', '123', '+44 20 7946 0958', ''], unique: (n) => `617555${String(n % 10000).padStart(4, '0')}` },
  Email: { repeated: ['a@b.org', 'bad@', 'MAILTO:X@Y.COM'], unique: (n) => `u${n}@example.org` },
  State: { repeated: ['ma', 'Massachusetts', 'XX', 'N.Y.'], unique: (n) => `S${n}` },
  Zip: { repeated: ['2134', '02134-1234', 'ABC', '021341234'], unique: (n) => String(n % 100000).padStart(5, '0') },
  Country: { repeated: ['US', 'United Kingdom', 'GB', 'Narnia'], unique: (n) => `C${n}` },
  Notes: { repeated: ['a  b', 'kept'], unique: (n) => `note ${n}` },
};

function rows(next: () => number, header: string[], count: number): string[][] {
  return Array.from({ length: count }, (_, n) =>
    header.map((h) => {
      const column = COLUMNS[h]!;
      return next() < 0.8 ? column.repeated[Math.floor(next() * column.repeated.length)]! : column.unique(n);
    }),
  );
}

const task = (dataset: DatasetName, header: string[], options: HarmonizeOptions = {}): ChunkTask => ({
  dataset,
  delimiter: ',',
  mapping: matchHeaders(header, dataset),
  text: '',
  firstRow: 1,
  options,
  referenceDate: '2025-06-15',
});

describe('remembered standardizer results', () => {
  it.each([
    ['patients without a country column (phones and ZIPs remembered too)', 'patients', Object.keys(COLUMNS).filter((c) => c !== 'Country'), {}],
    ['patients with a country column (phones and ZIPs read the row)', 'patients', Object.keys(COLUMNS), {}],
    ['a two-digit year base', 'patients', ['MRN', 'DOB', 'Sex'], { two_digit_year_base: 1900 }],
  ] as [string, DatasetName, string[], HarmonizeOptions][])('give every row what the plain standardizers give (%s)', (_name, dataset, header, options) => {
    const next = random(header.length);
    const reference = planChunk(task(dataset, header, options), { memo: false });
    // Several chunks of one job share the cached plan, so its memory carries over between them.
    for (let chunk = 0; chunk < 4; chunk++) {
      const plan = cachedPlan(task(dataset, header, options));
      for (const cells of rows(next, header, 3000)) expect(harmonizeRow(plan, cells)).toEqual(harmonizeRow(reference, cells));
    }
  });

  it('keeps one plan per job inputs and a plan per other inputs', () => {
    const header = ['MRN', 'DOB'];
    const a = cachedPlan(task('patients', header));
    expect(cachedPlan(task('patients', header))).toBe(a);
    expect(cachedPlan(task('patients', header, { two_digit_year_base: 1900 }))).not.toBe(a);
    expect(cachedPlan({ ...task('patients', header), referenceDate: '2025-06-16' })).not.toBe(a);
  });

  it('calls the standardizer once per remembered value, and for every value once a column hardly repeats', () => {
    let calls = 0;
    const ctx = { field: 'f', referenceDate: undefined, defaultCountry: 'US' as const, country: null };
    const remember = memoized((raw) => {
      calls++;
      return { value: raw.toUpperCase() };
    });
    for (let i = 0; i < 1000; i++) expect(remember(['a', 'b', 'c'][i % 3]!, ctx).value).toBe(['A', 'B', 'C'][i % 3]);
    expect(calls).toBe(3);
    calls = 0;
    const unique = memoized((raw) => {
      calls++;
      return { value: raw };
    });
    for (let i = 0; i < 10_000; i++) expect(unique(`v${i}`, ctx).value).toBe(`v${i}`);
    expect(calls).toBe(10_000);
    // It stopped remembering: a value seen while it still did is standardized again.
    expect(unique('v1', ctx).value).toBe('v1');
    expect(calls).toBe(10_001);
  });
});

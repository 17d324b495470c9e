import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../datasets/registry.js';
import { InputError } from '../input-error.js';
import { EXTERNAL_HEADERS } from '../testing/external-headers.js';
import { DATASET_NAMES } from '../types.js';
import { matchHeaders, matchHeadersReference } from './match-headers.js';

/** The mapping or the InputError (code and message): the memo must answer exactly what fresh scoring answers. */
function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InputError) return { code: err.code, message: err.message };
    throw err;
  }
}

/** Names every dataset knows (canonical, synonyms, extras), so generated headers hit real fields. */
const KNOWN = [
  ...new Set(
    Object.values(DATASETS).flatMap((def) => [...def.fields.flatMap((f) => [f.name, ...f.synonyms]), ...def.knownExtras]),
  ),
];
const headerCell = fc.oneof(
  fc.constantFrom(...KNOWN),
  fc.constantFrom(...KNOWN).map((name) => `Patient ${name.toUpperCase()}`),
  fc.constantFrom(...KNOWN).map((name) => name.replace(/_/g, ' ').slice(0, -1)),
  fc.constantFrom('', ' ', 'Id', 'MRN', 'DOB', 'Birth Dt', 'Pt Sex', 'x', 'PatientId', '\uFEFFId'),
  fc.string({ maxLength: 12 }),
);

function expectSame(header: string[], overrides?: Record<string, string>): void {
  for (const dataset of DATASET_NAMES) {
    const reference = outcome(() => matchHeadersReference(header, dataset, overrides));
    expect(outcome(() => matchHeaders(header, dataset, overrides))).toEqual(reference);
    // Again: now every header cell comes from the memo.
    expect(outcome(() => matchHeaders(header, dataset, overrides))).toEqual(reference);
  }
}

describe('matchHeaders (memoized scores) against matchHeadersReference', () => {
  it('maps every header of ../shared/data/external the same way, twice', () => {
    for (const [, line] of EXTERNAL_HEADERS) expectSame(line.split(','));
  });

  it('maps generated headers the same way, with and without overrides', () => {
    fc.assert(
      fc.property(
        fc.array(headerCell, { minLength: 1, maxLength: 12 }),
        fc.option(fc.dictionary(headerCell, fc.constantFrom('patient_id', 'birth_date', 'gender', 'nonsense'), { maxKeys: 2 })),
        (header, overrides) => expectSame(header, overrides ?? undefined),
      ),
      { numRuns: 300 },
    );
  });

  it('hands out fresh column objects: a caller changing one mapping does not change the next', () => {
    const first = matchHeaders(['Id', 'DOB', 'SEX'], 'patients');
    (first.columns[1] as { field: string | null }).field = 'gender';
    expect(matchHeaders(['Id', 'DOB', 'SEX'], 'patients').columns[1]).toMatchObject({ field: 'birth_date' });
  });
});

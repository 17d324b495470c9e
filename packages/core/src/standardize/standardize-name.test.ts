import { describe, expect, it } from 'vitest';
import { standardizeName, standardizeSuffix } from './standardize-name.js';

const ctx = { field: 'suffix', referenceDate: undefined, defaultCountry: 'US' as const, country: null };

describe('standardizeName', () => {
  it.each([
    ['trims and collapses spaces', '  Mary   Ann  ', 'Mary Ann'],
    ['title-cases ALL CAPS', 'JOHN', 'John'],
    ['title-cases all lower case', 'smith', 'Smith'],
    ['keeps mixed case as written', 'McKenzie', 'McKenzie'],
    ['keeps particles written in mixed case', 'van der Berg', 'van der Berg'],
    ['keeps Synthea numeric suffixes', 'Maynard46', 'Maynard46'],
    ['title-cases caps with digits', 'JACKIE93', 'Jackie93'],
    ["capitalizes after O'", "O'BRIEN", "O'Brien"],
    ['capitalizes after a curly apostrophe', 'd’angelo', 'D’Angelo'],
    ['capitalizes both parts of a hyphenated name', 'SMITH-JONES', 'Smith-Jones'],
    ['restores Mc', 'MCDONALD', 'McDonald'],
    ['restores Mc inside a hyphenated name', "o'brien-mcdonald", "O'Brien-McDonald"],
    ['leaves Mac alone (Mack, Macy)', 'MACK', 'Mack'],
    ['capitalizes initials', 'j.r.r.', 'J.R.R.'],
    ['handles accented capitals', 'JOSÉ ÁLVAREZ', 'José Álvarez'],
    ['leaves text without letters', '123', '123'],
  ])('%s', (_name, raw, expected) => {
    expect(standardizeName(raw)).toBe(expected);
  });
});

describe('standardizeSuffix', () => {
  it.each([
    ['JR', 'Jr.'],
    ['jr.', 'Jr.'],
    ['Sr', 'Sr.'],
    ['iii', 'III'],
    ['IV', 'IV'],
    ['md', 'MD'],
    ['PhD', 'PhD'],
    ['CPA', 'CPA'],
  ])('%s -> %s', (raw, expected) => {
    expect(standardizeSuffix(raw, ctx).value).toBe(expected);
  });
});

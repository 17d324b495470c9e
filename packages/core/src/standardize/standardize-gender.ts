import { finding } from '../validate/rules.js';
import type { Standardizer } from './standardize-context.js';
import { lookupTable } from '../lookup-table.js';

export const ADMINISTRATIVE_GENDERS = ['male', 'female', 'other', 'unknown'] as const;
export type AdministrativeGender = (typeof ADMINISTRATIVE_GENDERS)[number];

/**
 * Spellings of FHIR administrative-gender, compared lower-cased without dots or spaces.
 * Numeric codes are left out on purpose: files disagree on whether 1 is male or female.
 */
const GENDER_SPELLINGS: Readonly<Record<string, AdministrativeGender>> = lookupTable({
  m: 'male', male: 'male', man: 'male', boy: 'male', masculine: 'male', mann: 'male',
  f: 'female', female: 'female', woman: 'female', girl: 'female', fem: 'female', w: 'female', weiblich: 'female',
  frau: 'female',
  o: 'other', other: 'other', x: 'other', nonbinary: 'other', nb: 'other', intersex: 'other', diverse: 'other',
  u: 'unknown', unk: 'unknown', unknown: 'unknown', notknown: 'unknown', unspecified: 'unknown',
  undisclosed: 'unknown', declined: 'unknown', prefernottosay: 'unknown', asku: 'unknown',
});

/** Sex/gender -> FHIR administrative gender; anything else is 'unknown' with a warning. */
export const standardizeGender: Standardizer = (raw, ctx) => {
  const key = raw.toLowerCase().replace(/[\s.\-_]/g, '');
  const gender = GENDER_SPELLINGS[key];
  if (gender) return { value: gender };
  return {
    value: 'unknown',
    findings: [finding(ctx.field, 'gender.unknown', `${ctx.field} is not a recognised sex/gender; recorded as unknown`)],
  };
};

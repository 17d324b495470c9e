import { isNpiValid, isVerhoeffValid, loincCheckDigit } from './check-digits.js';
import type { CodeMatch } from './code-match.js';
import type { CodeSystem } from './code-systems.js';
import { matchIcd10Cm, matchIcd10Pcs, matchIcd9Diagnosis, matchIcd9Procedure } from './icd.js';
import { matchNdc } from './ndc.js';

/**
 * Reads `raw` (trimmed, not empty) as a code of `system`: null when it does not fit the format.
 * `known`: the column is known to hold this system (its header, its values, or a SYSTEM cell
 * says so), which allows repairs that would be guesses otherwise (leading zeros, a LOINC
 * without its hyphen).
 */
export type CodeMatcher = (raw: string, known: boolean) => CodeMatch | null;

const loinc: CodeMatcher = (raw, known) => {
  const m = /^(\d{1,7})-(\d)$/.exec(raw) ?? (known && /^\d{2,8}$/.test(raw) ? [raw, raw.slice(0, -1), raw.slice(-1)] : null);
  if (!m) return null;
  const [, number = '', check = ''] = m;
  return { code: `${number}-${check}`, checkFailed: loincCheckDigit(number) !== Number(check) };
};

/**
 * SNOMED CT concept ids: 6-18 digits, no leading zero, a partition identifier (the two digits
 * before the check digit) of 00 or 10 for concepts, and a valid Verhoeff check digit.
 */
const snomed: CodeMatcher = (raw) => {
  if (!/^[1-9]\d{5,17}$/.test(raw)) return null;
  const partition = raw.slice(-3, -1);
  if (partition !== '00' && partition !== '10') return null;
  return { code: raw, checkFailed: !isVerhoeffValid(raw) };
};

const cvx: CodeMatcher = (raw) => {
  if (!/^\d{1,3}$/.test(raw)) return null;
  return raw.length === 1 ? { code: `0${raw}`, repair: 'cvx.leading_zero_restored' } : { code: raw };
};

export const CODE_MATCHERS: Readonly<Record<CodeSystem, CodeMatcher>> = {
  loinc,
  snomed,
  icd10cm: (raw) => matchIcd10Cm(raw),
  icd10pcs: (raw) => matchIcd10Pcs(raw),
  icd9cm: (raw, known) => matchIcd9Diagnosis(raw, known),
  icd9pcs: (raw) => matchIcd9Procedure(raw),
  rxnorm: (raw) => (/^\d{1,9}$/.test(raw) ? { code: raw } : null),
  ndc: (raw, known) => matchNdc(raw, known),
  cvx,
  npi: (raw) => (/^\d{10}$/.test(raw) ? { code: raw, checkFailed: !isNpiValid(raw) } : null),
  // CPT category I (5 digits), II (4 + F), III (4 + T), PLA (4 + U).
  cpt: (raw) => (/^\d{4}[0-9FTU]$/i.test(raw) ? { code: raw.toUpperCase() } : null),
  // HCPCS level II: a letter A-V and four digits.
  hcpcs: (raw) => (/^[A-V]\d{4}$/i.test(raw) ? { code: raw.toUpperCase() } : null),
  local: (raw) => ({ code: raw }),
};

/**
 * The first accepted system (in the field's order) whose format and check digit fit `raw`;
 * `local` only as the last resort, and only when accepted.
 */
export function detectCodeSystem(raw: string, accepted: readonly CodeSystem[]): { system: CodeSystem; match: CodeMatch } | null {
  for (const system of accepted) {
    if (system === 'local') continue;
    const match = CODE_MATCHERS[system](raw, false);
    if (match && !match.checkFailed) return { system, match };
  }
  return accepted.includes('local') ? { system: 'local', match: { code: raw } } : null;
}

import { lookupTable } from '../lookup-table.js';

/**
 * The comparable form of a header: accents dropped, lower-cased, and everything but letters and
 * digits removed, so "Date of Birth", "date_of_birth" and "DATE-OF-BIRTH" are equal.
 */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Abbreviations common in exported headers, expanded word by word ("Birth Dt", "SEX_CD"). */
const ABBREVIATIONS: Readonly<Record<string, string>> = lookupTable({
  cd: 'code',
  nm: 'name',
  dt: 'date',
  nbr: 'number',
  num: 'number',
  addr: 'address',
  tel: 'telephone',
});

/** The header's normalized form with abbreviated words spelled out. */
export function expandHeader(header: string): string {
  return header
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .map((word) => ABBREVIATIONS[word.toLowerCase()] ?? word)
    .map(normalizeHeader)
    .join('');
}

/** Words that often prefix a header without changing its meaning ("Patient Last Nm"). */
const SUBJECT_PREFIXES = ['patient', 'member', 'person', 'client', 'subject', 'pt'] as const;

/** The normalized header with a leading subject word removed, or null when there is none. */
export function stripSubjectPrefix(normalized: string): string | null {
  for (const prefix of SUBJECT_PREFIXES) {
    if (normalized.startsWith(prefix) && normalized.length - prefix.length >= 2) {
      return normalized.slice(prefix.length);
    }
  }
  return null;
}

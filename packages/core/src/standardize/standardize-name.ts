import type { Standardizer } from './standardize-context.js';
import { lookupTable } from '../lookup-table.js';

/**
 * Trims, collapses inner whitespace, and title-cases names written all in capitals or all in
 * lower case ("O'BRIEN-MCDONALD" -> "O'Brien-McDonald"). Mixed case is the writer's choice and
 * is kept ("McKenzie", "van der Berg", Synthea's "Maynard46").
 */
export function standardizeName(raw: string): string {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (!/\p{L}/u.test(text)) return text;
  if (text !== text.toUpperCase() && text !== text.toLowerCase()) return text;
  return text
    .toLowerCase()
    .replace(/(^|[\s\-'’.(])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase())
    .replace(/(^|[\s\-'’])Mc(\p{Ll})/gu, (_m, sep: string, ch: string) => `${sep}Mc${ch.toUpperCase()}`);
}

export const standardizeNameField: Standardizer = (raw) => ({ value: standardizeName(raw) });

const SUFFIXES: Readonly<Record<string, string>> = lookupTable({
  jr: 'Jr.', sr: 'Sr.', md: 'MD', phd: 'PhD', dds: 'DDS', dmd: 'DMD', do: 'DO', rn: 'RN', np: 'NP',
  pa: 'PA', esq: 'Esq.', jd: 'JD', mba: 'MBA',
});

/** Name suffixes: known ones spelled the usual way, roman numerals upper-cased, others kept. */
export const standardizeSuffix: Standardizer = (raw) => {
  const text = raw.trim().replace(/\s+/g, ' ');
  const key = text.toLowerCase().replace(/[.\s]/g, '');
  const known = SUFFIXES[key];
  if (known) return { value: known };
  if (/^[ivx]+$/.test(key)) return { value: key.toUpperCase() };
  return { value: text };
};

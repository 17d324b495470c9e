/**
 * A closed vocabulary a field is mapped to: the FHIR value set's codes (with display), the code
 * system URI FHIR output puts beside them, and the source spellings seen in exports. Values are
 * compared normalized (lower case, letters and digits only), so "IV DRIP", "iv-drip" and "IvDrip"
 * are one spelling. A value that is none of the codes, displays or aliases is reported
 * (`<vocabulary>.unknown`, a warning), never guessed.
 */
export interface Vocabulary {
  system: string;
  codes: Readonly<Record<string, string>>;
  aliases: Readonly<Record<string, string>>;
}

export const normalizeTerm = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** normalized spelling -> code: the codes, their displays, then the aliases. */
export function buildLookup(vocabulary: Vocabulary): ReadonlyMap<string, string> {
  const lookup = new Map<string, string>();
  for (const [code, display] of Object.entries(vocabulary.codes)) {
    lookup.set(normalizeTerm(code), code);
    if (!lookup.has(normalizeTerm(display))) lookup.set(normalizeTerm(display), code);
  }
  for (const [alias, code] of Object.entries(vocabulary.aliases)) {
    if (!(code in vocabulary.codes)) throw new Error(`vocabulary alias ${alias} names unknown code ${code}`);
    lookup.set(normalizeTerm(alias), code);
  }
  return lookup;
}

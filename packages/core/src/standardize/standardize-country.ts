import type { Standardizer } from './standardize-context.js';
import { lookupTable } from '../lookup-table.js';

/** Common country names -> ISO 3166 alpha-2, keyed lower-case without dots. */
const COUNTRY_NAMES: Readonly<Record<string, string>> = lookupTable({
  us: 'US', usa: 'US', 'united states': 'US', 'united states of america': 'US', america: 'US',
  uk: 'GB', gbr: 'GB', 'united kingdom': 'GB', 'great britain': 'GB', england: 'GB', scotland: 'GB',
  wales: 'GB', can: 'CA', canada: 'CA', mex: 'MX', mexico: 'MX', deu: 'DE', germany: 'DE', fra: 'FR',
  france: 'FR', esp: 'ES', spain: 'ES', ita: 'IT', italy: 'IT', bra: 'BR', brazil: 'BR', brasil: 'BR',
  ind: 'IN', india: 'IN', chn: 'CN', china: 'CN', aus: 'AU', australia: 'AU', nld: 'NL',
  netherlands: 'NL', irl: 'IE', ireland: 'IE', prt: 'PT', portugal: 'PT', jpn: 'JP', japan: 'JP',
});

/**
 * Country -> ISO 3166 alpha-2 where recognised ("USA", "United States" -> "US"; "de" -> "DE");
 * other text is kept trimmed (FHIR address.country is a string).
 */
export const standardizeCountry: Standardizer = (raw) => {
  const text = raw.trim().replace(/\s+/g, ' ');
  const key = text.toLowerCase().replace(/\./g, '');
  const known = COUNTRY_NAMES[key];
  if (known) return { value: known };
  if (/^[a-z]{2}$/.test(key)) return { value: key.toUpperCase() };
  return { value: text };
};

/** The alpha-2 code of a standardized country value, or null. */
export function countryCode(value: string | null): string | null {
  return value !== null && /^[A-Z]{2}$/.test(value) ? value : null;
}

/**
 * The 3-digit ZIP prefixes whose areas held 20,000 people or fewer in the 2000 Census, as listed
 * in the HHS guidance on the HIPAA Safe Harbor method (45 CFR 164.514(b)(2)(i)(B)): released
 * as 000.
 */
export const RESTRICTED_ZIP3 = [
  '036', '059', '063', '102', '203', '556', '692', '790', '821',
  '823', '830', '831', '878', '879', '884', '890', '893',
] as const;

const restricted: ReadonlySet<string> = new Set(RESTRICTED_ZIP3);

/**
 * A US ZIP (12345 or 12345-6789) -> its first 3 digits, or 000 for a restricted prefix. Anything
 * else (a foreign or malformed postal code) cannot be generalized safely and is removed (null).
 */
export function deidentifyPostalCode(value: string): string | null {
  const zip = /^(\d{3})\d{2}(?:-\d{4})?$/.exec(value.trim());
  if (!zip?.[1]) return null;
  return restricted.has(zip[1]) ? '000' : zip[1];
}

/**
 * Check-digit algorithms of the code systems the engine validates. Each takes the digits as a
 * string (callers check the format first) and never throws.
 */

/** Luhn (mod 10) check digit for `base`, doubling the rightmost digit: the digit to append. */
export function luhnCheckDigit(base: string): number {
  let sum = 0;
  let double = true;
  for (let i = base.length - 1; i >= 0; i--) {
    let d = base.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return (10 - (sum % 10)) % 10;
}

/** A full number (check digit last) passes Luhn. */
export function isLuhnValid(digits: string): boolean {
  return digits.length > 1 && luhnCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/**
 * LOINC's "mod 10" check digit (loinc.org, "Calculating the check digit"): double the digits in
 * odd positions from the right, concatenate with the others, sum the digits, distance to the
 * next multiple of 10. That is Luhn over the code number, so 8302-2 and 29463-7 hold.
 */
export function loincCheckDigit(codeNumber: string): number {
  return luhnCheckDigit(codeNumber);
}

/**
 * NPI: Luhn over the 10 digits prefixed with 80840 (the ISO 7812 issuer prefix for US health
 * identifiers), per the CMS NPI check-digit note.
 */
export function isNpiValid(npi: string): boolean {
  return /^\d{10}$/.test(npi) && isLuhnValid(`80840${npi}`);
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
] as const;
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
] as const;

/** Verhoeff (dihedral group D5) check over a number whose last digit is the check digit: SNOMED CT SCTIDs. */
export function isVerhoeffValid(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![d]!]!;
  }
  return c === 0;
}

import { Metadata } from 'libphonenumber-js';

/**
 * Fast path of standardizePhone for the common North American shapes read in the US region:
 * `(617) 555-0100`, `617.555.0100`, `617-555-0100`, `617 555 0100`, `6175550100`, with or
 * without a leading `1` or `+1`. For such a number libphonenumber decides validity from the ten
 * national digits N and its metadata alone: the country is the first of the +1 countries whose
 * leading digits start N or, when it has none, whose number types N matches; the number is
 * valid when N matches a number type of that country. This does the same with the same
 * metadata, but with the regular expressions compiled once: libphonenumber builds a RegExp on
 * every check, several per number, which was a fifth of a pool thread's time.
 *
 * Answers only "valid, +1N" (then libphonenumber says exactly that); null means "ask
 * libphonenumber" (another shape, another region, or a number that is not valid, whose finding
 * is libphonenumber's call). standardize-phone-nanp.test.ts checks both give the same outputs.
 */
export function validNanpE164(raw: string): string | null {
  const digits = nanpDigits(raw);
  if (digits === null) return null;
  return isValidNanp(digits) ? `+1${digits}` : null;
}

/**
 * Separators between the digit groups: one space, dot or dash, or none. The area code may be
 * in parentheses (then followed by one space or none).
 */
const SHAPE = /^(?:\+?1[ .-]?)?(?:\(([2-9]\d\d)\) ?|([2-9]\d\d)[ .-]?)(\d{3})[ .-]?(\d{4})$/;

/** The ten national digits of a number in one of the shapes, else null. */
export function nanpDigits(raw: string): string | null {
  if (raw.length < 10 || raw.length > 17) return null;
  const match = SHAPE.exec(raw);
  if (!match) return null;
  return `${match[1] ?? match[2]}${match[3]}${match[4]}`;
}

/** libphonenumber's number types, in the order its getNumberType tries them. */
const TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

interface CountryRules {
  /** Anchored at the start, as `nationalNumber.search(leadingDigits) === 0`. */
  leading: RegExp | null;
  national: RegExp;
  types: { pattern: RegExp; lengths: number[] | undefined }[];
}

/** The parts of libphonenumber's Metadata class used here (its typings declare few of them). */
interface MetadataApi {
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  selectNumberingPlan(country: string): void;
  leadingDigits(): string | undefined | 0;
  nationalNumberPattern(): string;
  type(type: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

let nanp: CountryRules[] | undefined;

/** The +1 countries' rules, in libphonenumber's order, compiled once per thread. */
function nanpRules(): CountryRules[] {
  if (nanp) return nanp;
  const metadata = new Metadata() as unknown as MetadataApi;
  const countries = metadata.getCountryCodesForCallingCode('1') ?? [];
  nanp = countries.map((country) => {
    metadata.selectNumberingPlan(country);
    const leading = metadata.leadingDigits();
    const types = [];
    for (const name of TYPES) {
      const type = metadata.type(name);
      const pattern = type?.pattern();
      if (!type || !pattern) continue; // an empty pattern never matches (isNumberTypeEqualTo)
      types.push({ pattern: new RegExp(`^(?:${pattern})$`), lengths: type.possibleLengths() });
    }
    return {
      leading: leading ? new RegExp(`^(?:${leading})`) : null,
      national: new RegExp(`^(?:${metadata.nationalNumberPattern()})$`),
      types,
    };
  });
  return nanp;
}

/** getNumberType(...) !== undefined for the country. */
function hasType(rules: CountryRules, digits: string): boolean {
  if (!rules.national.test(digits)) return false;
  for (const type of rules.types) {
    if (type.lengths && !type.lengths.includes(digits.length)) continue;
    if (type.pattern.test(digits)) return true;
  }
  return false;
}

/** parse (getCountryByCallingCode) then isValid(), for a +1 national number. */
function isValidNanp(digits: string): boolean {
  for (const rules of nanpRules()) {
    if (rules.leading) {
      if (rules.leading.test(digits)) return hasType(rules, digits);
    } else if (hasType(rules, digits)) return true;
  }
  return false;
}

import { isJsonObject, type JsonObject } from '../formats/parse-json-document.js';

/**
 * Readers of the FHIR R4 datatypes the extractors take values from. Every reader accepts any
 * JSON (a resource from a user's file may be missing or misshaping any element) and returns a
 * string, or null when there is nothing usable: extraction never throws on odd input.
 */

export const str = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;

export const obj = (value: unknown): JsonObject | null => (isJsonObject(value) ? value : null);

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** First element of a list-valued element that is an object. */
export const first = (value: unknown): JsonObject | null => list(value).map(obj).find((o) => o !== null) ?? null;

export interface CodeValue {
  code: string | null;
  /** The system URI as written (the canonical code_system fields hold URIs). */
  system: string | null;
  display: string | null;
}

/**
 * The coding of a CodeableConcept to keep: the first with a code from a preferred system (in
 * the order given), else the first with a code. `display` falls back to the concept's text.
 */
export function codeOf(concept: unknown, preferred: readonly string[] = []): CodeValue {
  const cc = obj(concept);
  const codings = list(cc?.coding).map(obj).filter((c): c is JsonObject => c !== null && str(c.code) !== null);
  const rank = (c: JsonObject) => {
    const i = preferred.indexOf(str(c.system) ?? '');
    return i < 0 ? preferred.length : i;
  };
  const chosen = [...codings].sort((a, b) => rank(a) - rank(b))[0];
  return {
    code: str(chosen?.code),
    system: str(chosen?.system),
    display: str(chosen?.display) ?? str(cc?.text),
  };
}

/** The code of the first coding of the first concept in a list (category, type...). */
export const firstCode = (concepts: unknown): string | null => codeOf(first(concepts)).code ?? str(first(concepts)?.text);

/** The value of the identifier with the given system (or type code), else of the first one. */
export function identifierOf(identifiers: unknown, match?: { system?: string; typeCode?: string }): string | null {
  const all = list(identifiers).map(obj).filter((i): i is JsonObject => i !== null && str(i.value) !== null);
  const matching = match
    ? all.find(
        (i) =>
          (match.system !== undefined && str(i.system) === match.system) ||
          (match.typeCode !== undefined && list(obj(i.type)?.coding).some((c) => str(obj(c)?.code) === match.typeCode)),
      )
    : undefined;
  if (match) return str(matching?.value);
  return str(all[0]?.value);
}

export interface QuantityValue {
  value: string | null;
  unit: string | null;
  comparator: string | null;
}

/** A Quantity's number (as written), UCUM code (else the unit text) and comparator. */
export function quantityOf(quantity: unknown): QuantityValue {
  const q = obj(quantity);
  return { value: str(q?.value), unit: str(q?.code) ?? str(q?.unit), comparator: str(q?.comparator) };
}

/** Start and end of a Period, or the single dateTime given instead (start only). */
export function periodOf(dateTime: unknown, period: unknown): { start: string | null; end: string | null } {
  const p = obj(period);
  return { start: str(dateTime) ?? str(p?.start), end: str(p?.end) };
}

/** A HumanName's parts: the official name when there is one, else the first. */
export function nameOf(names: unknown): { given: string | null; middle: string | null; family: string | null; prefix: string | null; suffix: string | null; text: string | null } {
  const all = list(names).map(obj).filter((n): n is JsonObject => n !== null);
  const name = all.find((n) => n.use === 'official') ?? all[0] ?? null;
  const given = list(name?.given).map(str).filter((g): g is string => g !== null);
  return {
    given: given[0] ?? null,
    middle: given.length > 1 ? given.slice(1).join(' ') : null,
    family: str(name?.family),
    prefix: list(name?.prefix).map(str).filter(Boolean).join(' ') || null,
    suffix: list(name?.suffix).map(str).filter(Boolean).join(' ') || null,
    text: str(name?.text),
  };
}

/** The first telecom of a system (phone, email...). */
export const telecomOf = (telecoms: unknown, system: string): string | null =>
  str(list(telecoms).map(obj).find((t) => t?.system === system && str(t.value) !== null)?.value);

/** The first Address as canonical address fields (lines joined with ", "). */
export function addressOf(addresses: unknown): {
  address_line: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
} {
  const a = first(addresses);
  return {
    address_line: list(a?.line).map(str).filter(Boolean).join(', ') || null,
    city: str(a?.city),
    state: str(a?.state),
    postal_code: str(a?.postalCode),
    country: str(a?.country),
  };
}

/** The text of a US Core race / ethnicity extension (its `text` sub-extension, else the first display). */
export function usCoreCategory(extensions: unknown, url: string): string | null {
  const ext = list(extensions).map(obj).find((e) => e?.url === url);
  if (!ext) return null;
  const parts = list(ext.extension).map(obj);
  const textPart = parts.find((p) => p?.url === 'text');
  if (textPart) return str(textPart.valueString);
  return str(obj(parts.find((p) => p?.url === 'ombCategory')?.valueCoding)?.display);
}

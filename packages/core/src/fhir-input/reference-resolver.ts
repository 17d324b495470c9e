import type { JsonObject } from '../formats/parse-json-document.js';
import { identifierOf, obj, str } from './fhir-values.js';

export interface ReferenceResolver {
  /**
   * The id a Reference points at, as the canonical record holds it: the referenced resource's id
   * for `Type/id`, a full URL, or a `urn:uuid:` entry of the same Bundle (its identifier when it
   * has no id); the identifier value of a conditional reference
   * (`Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999999999` gives `9999999999`);
   * the Reference's own identifier. Null when there is none.
   */
  id(reference: unknown): string | null;
  /** The resource type a Reference points at, when the reference or the Bundle tells. */
  type(reference: unknown): string | null;
  /** The referenced resource when it is an entry of the same Bundle (a Claim's Condition...). */
  resource(reference: unknown): JsonObject | null;
}

const URN = /^urn:(?:uuid|oid):/i;

/**
 * Resolves references inside one file. `entries` maps each Bundle entry's fullUrl to its
 * resource, so `urn:uuid:` references of a transaction Bundle find their target; Bulk Data
 * NDJSON uses literal or conditional references and needs no index.
 */
export function createReferenceResolver(entries: ReadonlyMap<string, JsonObject> = new Map()): ReferenceResolver {
  const target = (reference: string) => entries.get(reference) ?? null;
  return {
    id(value) {
      const ref = obj(value);
      if (!ref) return null;
      const reference = str(ref.reference);
      if (reference === null) return identifierOf([ref.identifier]);
      const resource = target(reference);
      if (resource) return str(resource.id) ?? identifierOf(resource.identifier) ?? reference.replace(URN, '');
      if (URN.test(reference)) return reference.replace(URN, '');
      const query = reference.indexOf('?');
      if (query >= 0) return conditionalValue(reference.slice(query + 1));
      if (reference.startsWith('#')) return reference.slice(1) || null;
      const segments = reference.replace(/\/_history\/[^/]*$/, '').split('/');
      return segments.at(-1) || null;
    },
    type(value) {
      const ref = obj(value);
      const reference = str(ref?.reference);
      if (reference !== null) {
        const resource = target(reference);
        if (resource) return str(resource.resourceType);
        const match = /(?:^|\/)([A-Z][A-Za-z]+)(?:\/[^/?]+(?:\/_history\/[^/]*)?|\?.*)$/.exec(reference);
        if (match?.[1]) return match[1];
      }
      return str(ref?.type);
    },
    resource(value) {
      const reference = str(obj(value)?.reference);
      return reference === null ? null : target(reference);
    },
  };
}

/** The value of `identifier=system|value` (the system is dropped); other searches as written. */
function conditionalValue(search: string): string | null {
  for (const pair of search.split('&')) {
    const [name, raw = ''] = pair.split('=');
    if (name !== 'identifier') continue;
    const decoded = safeDecode(raw);
    const bar = decoded.lastIndexOf('|');
    return (bar >= 0 ? decoded.slice(bar + 1) : decoded) || null;
  }
  return safeDecode(search) || null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** fullUrl -> resource for the entries of a Bundle (entries without a fullUrl are left out). */
export function indexBundle(items: readonly unknown[], fullUrls: readonly (string | null)[]): Map<string, JsonObject> {
  const index = new Map<string, JsonObject>();
  items.forEach((item, i) => {
    const url = fullUrls[i];
    const resource = obj(item);
    if (url && resource) index.set(url, resource);
  });
  return index;
}

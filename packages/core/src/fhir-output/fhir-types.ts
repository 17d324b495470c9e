/** The few FHIR R4 datatypes the mappers build; every value is plain JSON. */

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Reference {
  reference?: string;
  display?: string;
  identifier?: Identifier;
}

export interface Identifier {
  use?: string;
  type?: CodeableConcept;
  system?: string;
  value?: string;
}

export interface Quantity {
  value?: number;
  comparator?: '<' | '<=' | '>=' | '>';
  unit?: string;
  system?: string;
  code?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

/** A resource as written to NDJSON: type, id and meta.source always, the rest per type. */
export interface FhirResource {
  resourceType: string;
  id: string;
  meta: { source: string };
  [element: string]: unknown;
}

/** Where a resource came from, for meta.source and row-based ids. */
export interface FhirMeta {
  jobId: string;
  row: number;
}

/** A canonical record as written to harmonized NDJSON: field -> string or null, plus extras and _row. */
export type CanonicalRecord = Readonly<Record<string, unknown>>;

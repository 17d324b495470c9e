import {
  Address, arrayOf, CodeableConcept, ContactPoint, enumOf, Extension, FHIR_PRIMITIVES as p, HumanName, Identifier, Meta,
} from './fhir-datatype-schemas.js';

type Schema = Record<string, unknown>;

/**
 * A resource schema: resourceType, id and meta.source always required; `required` are the
 * elements with minimum cardinality 1 in the R4 base definition; closed (no unknown elements).
 */
export function resourceSchema(resourceType: string, properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema {
  return {
    type: 'object',
    properties: { resourceType: { const: resourceType }, id: p.id, meta: Meta, extension: arrayOf(Extension), ...properties },
    required: ['resourceType', 'id', 'meta', ...required],
    additionalProperties: false,
    ...extra,
  };
}

/** Exactly one of the choice elements `name[x]` given (FHIR choice types are 0..1 or 1..1). */
export const oneOf = (...names: string[]): Schema => ({ oneOf: names.map((n) => ({ required: [n] })) });

export const PatientSchema = resourceSchema('Patient', {
  identifier: arrayOf(Identifier),
  name: arrayOf(HumanName),
  telecom: arrayOf(ContactPoint),
  gender: enumOf('male', 'female', 'other', 'unknown'),
  birthDate: p.date,
  deceasedDateTime: p.dateTime,
  address: arrayOf(Address),
  maritalStatus: CodeableConcept,
});

export const OperationOutcomeSchema = resourceSchema(
  'OperationOutcome',
  {
    issue: arrayOf({
      type: 'object',
      properties: {
        severity: enumOf('fatal', 'error', 'warning', 'information'),
        code: enumOf(
          'invalid', 'structure', 'required', 'value', 'invariant', 'security', 'login', 'unknown', 'expired', 'forbidden',
          'suppressed', 'processing', 'not-supported', 'duplicate', 'multiple-matches', 'not-found', 'deleted', 'too-long',
          'code-invalid', 'extension', 'too-costly', 'business-rule', 'conflict', 'transient', 'lock-error', 'no-store',
          'exception', 'timeout', 'incomplete', 'throttled', 'informational',
        ),
        details: CodeableConcept,
        diagnostics: p.string,
        expression: arrayOf(p.string),
      },
      required: ['severity', 'code'],
      additionalProperties: false,
    }),
  },
  ['issue'],
);


import {
  Annotation, arrayOf, CodeableConcept, Coding, enumOf, FHIR_PRIMITIVES as p, Identifier, Period, Quantity, Reference, SimpleQuantity,
} from './fhir-datatype-schemas.js';
import { resourceSchema } from './fhir-resource-schemas.js';

type Schema = Record<string, unknown>;

const Duration = Quantity;

export const ConditionSchema = resourceSchema(
  'Condition',
  {
    identifier: arrayOf(Identifier),
    clinicalStatus: CodeableConcept,
    verificationStatus: CodeableConcept,
    category: arrayOf(CodeableConcept),
    code: CodeableConcept,
    subject: Reference,
    encounter: Reference,
    onsetDateTime: p.dateTime,
    abatementDateTime: p.dateTime,
    recordedDate: p.dateTime,
    note: arrayOf(Annotation),
  },
  ['subject'],
);

/** A Condition contained in another resource: no meta of its own. */
const ContainedCondition: Schema = {
  type: 'object',
  properties: { resourceType: { const: 'Condition' }, id: p.id, code: CodeableConcept, subject: Reference },
  required: ['resourceType', 'id', 'subject'],
  additionalProperties: false,
};

export const EncounterSchema = resourceSchema(
  'Encounter',
  {
    contained: arrayOf(ContainedCondition),
    identifier: arrayOf(Identifier),
    status: enumOf('planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown'),
    class: Coding,
    type: arrayOf(CodeableConcept),
    serviceType: CodeableConcept,
    priority: CodeableConcept,
    subject: Reference,
    participant: arrayOf({ type: 'object', properties: { individual: Reference }, additionalProperties: false, minProperties: 1 }),
    period: Period,
    length: Duration,
    reasonCode: arrayOf(CodeableConcept),
    diagnosis: arrayOf({
      type: 'object',
      properties: { condition: Reference, rank: p.positiveInt },
      required: ['condition'],
      additionalProperties: false,
    }),
    hospitalization: { type: 'object', properties: { admitSource: CodeableConcept, dischargeDisposition: CodeableConcept }, additionalProperties: false, minProperties: 1 },
    location: arrayOf({
      type: 'object',
      properties: { location: Reference, status: enumOf('planned', 'active', 'reserved', 'completed'), physicalType: CodeableConcept, period: Period },
      required: ['location'],
      additionalProperties: false,
    }),
    serviceProvider: Reference,
    partOf: Reference,
  },
  ['status', 'class'],
);

const ReferenceRange = {
  type: 'object',
  properties: { low: SimpleQuantity, high: SimpleQuantity, text: p.string },
  additionalProperties: false,
  // obs-3: at least low, high or text.
  anyOf: [{ required: ['low'] }, { required: ['high'] }, { required: ['text'] }],
};

const VALUE_CHOICES = ['valueQuantity', 'valueString', 'valueCodeableConcept', 'valueBoolean', 'valueInteger', 'valueDateTime'];
const atMostOne = (names: string[]): Schema => ({ not: { anyOf: names.flatMap((a, i) => names.slice(i + 1).map((b) => ({ required: [a, b] }))) } });

export const ObservationSchema = resourceSchema(
  'Observation',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'),
    category: arrayOf(CodeableConcept),
    code: CodeableConcept,
    subject: Reference,
    encounter: Reference,
    effectiveDateTime: p.dateTime,
    issued: { ...p.dateTime, pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' },
    valueQuantity: Quantity,
    valueString: p.string,
    valueCodeableConcept: CodeableConcept,
    note: arrayOf(Annotation),
    interpretation: arrayOf(CodeableConcept),
    referenceRange: arrayOf(ReferenceRange),
    specimen: Reference,
    component: arrayOf({
      type: 'object',
      properties: { code: CodeableConcept, valueQuantity: Quantity, valueString: p.string, valueCodeableConcept: CodeableConcept, valueInteger: { type: 'integer' } },
      required: ['code'],
      additionalProperties: false,
      ...atMostOne(['valueQuantity', 'valueString', 'valueCodeableConcept', 'valueInteger']),
    }),
  },
  ['status', 'code'],
  atMostOne(VALUE_CHOICES),
);

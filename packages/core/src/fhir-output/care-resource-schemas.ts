import {
  arrayOf, backbone, CodeableConcept, enumOf, FHIR_PRIMITIVES as p, Identifier, Period, Quantity, Reference, SimpleQuantity,
} from './fhir-datatype-schemas.js';
import { oneOf, resourceSchema } from './fhir-resource-schemas.js';

const Performer = arrayOf(backbone({ actor: Reference }, ['actor']));

export const ProcedureSchema = resourceSchema(
  'Procedure',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown'),
    code: CodeableConcept,
    subject: Reference,
    encounter: Reference,
    performedDateTime: p.dateTime,
    performedPeriod: Period,
    performer: Performer,
    reasonCode: arrayOf(CodeableConcept),
    bodySite: arrayOf(CodeableConcept),
  },
  ['status', 'subject'],
  { not: { required: ['performedDateTime', 'performedPeriod'] } },
);

const Dosage = backbone({
  text: p.string,
  route: CodeableConcept,
  doseAndRate: arrayOf(backbone({ doseQuantity: SimpleQuantity })),
});

export const MedicationRequestSchema = resourceSchema(
  'MedicationRequest',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown'),
    intent: enumOf('proposal', 'plan', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option'),
    medicationCodeableConcept: CodeableConcept,
    subject: Reference,
    encounter: Reference,
    authoredOn: p.dateTime,
    requester: Reference,
    reasonCode: arrayOf(CodeableConcept),
    groupIdentifier: Identifier,
    dosageInstruction: arrayOf(Dosage),
    dispenseRequest: backbone({ validityPeriod: Period, numberOfRepeatsAllowed: { type: 'integer', minimum: 0 }, quantity: SimpleQuantity }),
  },
  ['status', 'intent', 'medicationCodeableConcept', 'subject'],
);

export const MedicationAdministrationSchema = resourceSchema(
  'MedicationAdministration',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('in-progress', 'not-done', 'on-hold', 'completed', 'entered-in-error', 'stopped', 'unknown'),
    medicationCodeableConcept: CodeableConcept,
    subject: Reference,
    context: Reference,
    effectiveDateTime: p.dateTime,
    effectivePeriod: Period,
    performer: Performer,
    reasonCode: arrayOf(CodeableConcept),
    // mad-1: a dose or a rate.
    dosage: { ...backbone({ text: p.string, route: CodeableConcept, dose: SimpleQuantity, rateQuantity: Quantity }), anyOf: [{ required: ['dose'] }, { required: ['rateQuantity'] }] },
  },
  ['status', 'medicationCodeableConcept', 'subject'],
  oneOf('effectiveDateTime', 'effectivePeriod'),
);

export const ImmunizationSchema = resourceSchema(
  'Immunization',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('completed', 'entered-in-error', 'not-done'),
    vaccineCode: CodeableConcept,
    patient: Reference,
    encounter: Reference,
    occurrenceDateTime: p.dateTime,
    occurrenceString: p.string,
    manufacturer: Reference,
    lotNumber: p.string,
    expirationDate: p.date,
    site: CodeableConcept,
    route: CodeableConcept,
    doseQuantity: SimpleQuantity,
    performer: Performer,
  },
  ['status', 'vaccineCode', 'patient'],
  oneOf('occurrenceDateTime', 'occurrenceString'),
);

export const AllergyIntoleranceSchema = resourceSchema(
  'AllergyIntolerance',
  {
    identifier: arrayOf(Identifier),
    clinicalStatus: CodeableConcept,
    type: enumOf('allergy', 'intolerance'),
    category: arrayOf(enumOf('food', 'medication', 'environment', 'biologic')),
    criticality: enumOf('low', 'high', 'unable-to-assess'),
    code: CodeableConcept,
    patient: Reference,
    encounter: Reference,
    onsetDateTime: p.dateTime,
    reaction: arrayOf(backbone({ manifestation: arrayOf(CodeableConcept), severity: enumOf('mild', 'moderate', 'severe') }, ['manifestation'])),
  },
  // ait-1: clinicalStatus whenever the verification status is not entered-in-error (never written).
  ['patient', 'clinicalStatus'],
);

import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { FHIR_RESOURCE_SCHEMAS } from './fhir-schemas.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
for (const [type, schema] of Object.entries(FHIR_RESOURCE_SCHEMAS)) ajv.addSchema(schema, type);
const valid = (resource: Record<string, unknown>) => ajv.getSchema(String(resource.resourceType))?.(resource) === true;
const base = (resourceType: string) => ({ resourceType, id: 'x1', meta: { source: 'urn:harmonizer:job:j#row=1' } });
const ref = { reference: 'Patient/p1' };
const concept = { text: 'x' };

const GOOD: Record<string, Record<string, unknown>> = {
  Observation: { ...base('Observation'), status: 'final', code: concept, valueQuantity: { value: 1, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } },
  Encounter: { ...base('Encounter'), status: 'finished', class: { code: 'AMB' } },
  Immunization: { ...base('Immunization'), status: 'completed', vaccineCode: concept, patient: ref, occurrenceDateTime: '2020-01-01' },
  MedicationRequest: { ...base('MedicationRequest'), status: 'active', intent: 'order', medicationCodeableConcept: concept, subject: ref },
  Appointment: { ...base('Appointment'), status: 'booked', start: '2020-01-01T10:00:00Z', end: '2020-01-01T10:30:00Z', participant: [{ actor: ref, status: 'accepted' }] },
  Claim: { ...base('Claim'), status: 'active', type: concept, use: 'claim', patient: ref, created: '2020-01-01', provider: ref, priority: concept, insurance: [{ sequence: 1, focal: true, coverage: { display: 'c' } }] },
  Organization: { ...base('Organization'), name: 'General Hospital' },
  Condition: { ...base('Condition'), subject: ref },
  Coverage: { ...base('Coverage'), status: 'active', beneficiary: ref, payor: [{ reference: 'Organization/o1' }] },
  MeasureReport: { ...base('MeasureReport'), status: 'complete', type: 'summary', measure: 'urn:harmonizer:fhir:measure:M1', period: { start: '2014-07-01' } },
  Location: { ...base('Location'), name: 'Ward 4B', position: { latitude: 38.2, longitude: -95.7 } },
  CarePlan: { ...base('CarePlan'), status: 'active', intent: 'plan', subject: ref },
};

describe('FHIR resource schemas', () => {
  it.each(Object.keys(GOOD))('accept a minimal valid %s', (type) => {
    expect(valid(GOOD[type] ?? {})).toBe(true);
  });

  it.each([
    ['an Observation without status', 'Observation', { status: undefined }],
    ['an Observation with two values', 'Observation', { valueString: 'NEG' }],
    ['a Quantity code without its system (qty-3)', 'Observation', { valueQuantity: { value: 1, code: 'mg' } }],
    ['an Encounter without class', 'Encounter', { class: undefined }],
    ['an Encounter status outside the value set', 'Encounter', { status: 'done' }],
    ['an Immunization without occurrence', 'Immunization', { occurrenceDateTime: undefined }],
    ['a MedicationRequest without intent', 'MedicationRequest', { intent: undefined }],
    ['an Appointment with a start and no end (app-2)', 'Appointment', { end: undefined }],
    ['a booked Appointment without times (app-3)', 'Appointment', { start: undefined, end: undefined }],
    ['an Appointment participant with neither type nor actor (app-1)', 'Appointment', { participant: [{ status: 'accepted' }] }],
    ['a Claim without insurance', 'Claim', { insurance: undefined }],
    ['a Claim without created', 'Claim', { created: undefined }],
    ['an Organization with neither name nor identifier (org-1)', 'Organization', { name: undefined }],
    ['a Condition without subject', 'Condition', { subject: undefined }],
    ['an empty reference', 'Condition', { subject: {} }],
    ['a resource without meta.source', 'Condition', { meta: {} }],
    ['a Coverage without payor', 'Coverage', { payor: undefined }],
    ['a MeasureReport without period', 'MeasureReport', { period: undefined }],
    ['a MeasureReport without measure', 'MeasureReport', { measure: undefined }],
    ['a Location position without latitude', 'Location', { position: { longitude: -95.7 } }],
    ['a Location with two addresses (0..1)', 'Location', { address: [{ city: 'A' }, { city: 'B' }] }],
    ['a CarePlan without intent', 'CarePlan', { intent: undefined }],
  ])('reject %s', (_name, type, change) => {
    const resource = JSON.parse(JSON.stringify({ ...GOOD[type], ...change })) as Record<string, unknown>;
    expect(valid(resource)).toBe(false);
  });

  it('accepts a required element given as a data-absent extension instead of a value', () => {
    const absent = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    expect(valid({ ...GOOD.Claim, created: undefined, _created: absent, provider: absent })).toBe(true);
  });
});

import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { DATA_ABSENT_REASON } from './fhir-extensions.js';
import { FHIR_RESOURCE_SCHEMAS } from './fhir-schemas.js';
import type { FhirResource } from './fhir-types.js';
import { toFhirResources } from './to-fhir-resource.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
for (const [type, schema] of Object.entries(FHIR_RESOURCE_SCHEMAS)) ajv.addSchema(schema, type);
const meta = { jobId: 'job-1', row: 4 };

/** Maps a canonical record and checks every resource against its schema. */
function map(dataset: string, record: Record<string, string | null>): FhirResource[] {
  const resources = toFhirResources(dataset, record, meta);
  for (const r of resources) {
    const validate = ajv.getSchema(r.resourceType);
    expect(validate?.(r), JSON.stringify(validate?.errors)).toBe(true);
  }
  return resources;
}
const absent = { extension: [{ url: DATA_ABSENT_REASON, valueCode: 'unknown' }] };

describe('Observation', () => {
  it('writes a wide vitals row as one Observation per vital, blood pressure as one panel with two components', () => {
    const resources = map('vital_signs', { patient_id: 'P1', effective_datetime: '2024-03-01T09:30:00-05:00', heart_rate: '72', systolic_bp: '120', diastolic_bp: '80', body_temperature: '37' });
    expect(resources.map((r) => (r.code as { coding: { code: string }[] }).coding[0]?.code)).toEqual(['8867-4', '8310-5', '85354-9']);
    expect(resources[2]).toMatchObject({
      status: 'final',
      category: [{ coding: [{ code: 'vital-signs' }] }],
      subject: { reference: 'Patient/P1' },
      effectiveDateTime: '2024-03-01T09:30:00-05:00',
      component: [
        { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 80, code: 'mm[Hg]' } },
      ],
    });
    expect(resources[1]).toMatchObject({ valueQuantity: { value: 37, code: 'Cel' } });
  });

  it('keeps a text result as valueString and a bound as a comparator, never as a number', () => {
    const [text] = map('lab_results', { code: '5778-6', code_system: 'http://loinc.org', description: 'Color of Urine', value_text: 'NEG' });
    expect(text).toMatchObject({ code: { coding: [{ system: 'http://loinc.org', code: '5778-6' }], text: 'Color of Urine' }, valueString: 'NEG' });
    expect(text).not.toHaveProperty('valueQuantity');
    const [bound] = map('lab_results', { code: '1', value_quantity: '0.01', value_comparator: '<', value_unit: 'mg/dL' });
    expect(bound?.valueQuantity).toEqual({ value: 0.01, comparator: '<', unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' });
  });

  it('writes category, interpretation and reference range of a lab result', () => {
    const [lab] = map('lab_results', { code: '2345-7', value_quantity: '5.5', value_unit: 'mmol/L', category: 'laboratory', interpretation: 'H', reference_range_low: '3.9', reference_range_high: '5.5', specimen: 'Blood' });
    expect(lab).toMatchObject({
      interpretation: [{ coding: [{ code: 'H' }] }],
      referenceRange: [{ low: { value: 3.9, code: 'mmol/L' }, high: { value: 5.5 } }],
      specimen: { display: 'Blood' },
    });
  });
});

describe('Encounter', () => {
  it('codes the class, or says UNK with the source text when the class is unknown', () => {
    expect(map('encounters', { encounter_id: 'E1', class: 'IMP', start_datetime: '2020-01-01T10:00:00Z' })[0]).toMatchObject({
      id: 'E1', status: 'unknown', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    });
    expect(map('encounters', { encounter_id: 'E1', class_text: 'NEWBORN', end_datetime: '2020-01-02' })[0]).toMatchObject({
      status: 'finished', class: { code: 'UNK', display: 'NEWBORN' },
    });
  });

  it('points the diagnosis list at contained Conditions', () => {
    const [encounter] = map('encounters', { encounter_id: 'E2', patient_id: 'P1', diagnosis_1: '250.01', diagnosis_2: '401.9', diagnosis_system: 'http://hl7.org/fhir/sid/icd-9-cm' });
    expect(encounter).toMatchObject({
      contained: [{ resourceType: 'Condition', id: 'dx1', code: { coding: [{ code: '250.01' }] }, subject: { reference: 'Patient/P1' } }, { id: 'dx2' }],
      diagnosis: [{ condition: { reference: '#dx1' }, rank: 1 }, { condition: { reference: '#dx2' }, rank: 2 }],
    });
  });
});

describe('Condition', () => {
  it('derives the clinical status from the abatement date, and keeps a contradicting one as a note', () => {
    expect(map('conditions', { patient_id: 'P1', code: '1', abatement_datetime: '2020-02-09' })[0]).toMatchObject({ clinicalStatus: { coding: [{ code: 'resolved' }] }, abatementDateTime: '2020-02-09' });
    const [contradicting] = map('conditions', { patient_id: 'P1', code: '1', clinical_status: 'active', abatement_datetime: '2020-02-09' });
    expect(contradicting).toMatchObject({ clinicalStatus: { coding: [{ code: 'active' }] }, note: [{ text: expect.stringContaining('2020-02-09') }] });
    expect(contradicting).not.toHaveProperty('abatementDateTime');
  });
});

describe('medications', () => {
  it('writes a request with intent order, both codings and the dose', () => {
    const [request] = map('medications', { patient_id: 'P1', code: '665078', code_system: 'http://www.nlm.nih.gov/research/umls/rxnorm', ndc: '00006494300', description: 'Loratadine 5 MG', dose_value: '0.5', dose_unit: 'mL', route: '26643006', start_datetime: '2009-09-27T14:12:44Z' });
    expect(request).toMatchObject({
      resourceType: 'MedicationRequest', status: 'active', intent: 'order',
      medicationCodeableConcept: { coding: [{ code: '665078' }, { system: 'http://hl7.org/fhir/sid/ndc', code: '00006494300' }], text: 'Loratadine 5 MG' },
      dosageInstruction: [{ route: { coding: [{ code: '26643006' }] }, doseAndRate: [{ doseQuantity: { value: 0.5, code: 'mL' } }] }],
    });
  });

  it('writes an administration with its period, and none when it has no time at all', () => {
    expect(map('medications', { kind: 'administration', patient_id: 'P1', code: '225799', start_datetime: '2147-10-29T16:45:00', end_datetime: '2147-10-29T16:46:00', rate_value: '5', rate_unit: 'mL/h' })[0]).toMatchObject({
      resourceType: 'MedicationAdministration', status: 'completed', effectivePeriod: { start: '2147-10-29T16:45:00Z' }, dosage: { rateQuantity: { value: 5 } },
    });
    expect(map('medications', { kind: 'administration', patient_id: 'P1', code: '225799' })).toEqual([]);
  });
});

describe('Appointment', () => {
  it('computes a missing end from the duration, or sets it to the start and says so', () => {
    expect(map('appointments', { appointment_id: 'A1', patient_id: 'P1', start_datetime: '2016-04-29T09:00:00Z', duration_minutes: '30', status: 'booked' })[0]).toMatchObject({ end: '2016-04-29T09:30:00Z', minutesDuration: 30 });
    expect(map('appointments', { appointment_id: 'A2', patient_id: 'P1', start_datetime: '2016-04-29', status: 'noshow' })[0]).toMatchObject({
      status: 'noshow', start: '2016-04-29T00:00:00Z', end: '2016-04-29T00:00:00Z', comment: expect.stringContaining('no end'), participant: [{ actor: { reference: 'Patient/P1' }, status: 'accepted' }],
    });
  });

  it('marks start and end data-absent for a fulfilled appointment without a time', () => {
    expect(map('appointments', { appointment_id: 'A3', status: 'fulfilled' })[0]).toMatchObject({ _start: absent, _end: absent, participant: [{ status: 'needs-action' }] });
  });
});

describe('Claim', () => {
  it('writes what R4 requires and the source lacks as data-absent, never a made-up value', () => {
    const [claim] = map('claims', { claim_id: 'C1', patient_id: 'P1' });
    expect(claim).toMatchObject({ status: 'active', use: 'claim', type: absent, _created: absent, provider: absent, insurance: [{ sequence: 1, focal: true, coverage: absent }] });
  });

  it('writes diagnoses in order and the billing state as an extension', () => {
    const [claim] = map('claims', { claim_id: 'C1', patient_id: 'P1', provider_id: 'D1', diagnosis_1: '195662009', diagnosis_2: '410620009', diagnosis_system: 'http://snomed.info/sct', billing_status: 'CLOSED', service_date: '2023-01-27T16:17:47Z', insurance_id: 'I1' });
    expect(claim).toMatchObject({
      created: '2023-01-27T16:17:47Z', provider: { reference: 'Practitioner/D1' }, insurance: [{ coverage: { identifier: { value: 'I1' } } }],
      diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ code: '195662009' }] } }, { sequence: 2 }],
      extension: [{ url: 'urn:harmonizer:fhir:extension:billing_status', valueString: 'CLOSED' }],
    });
  });
});

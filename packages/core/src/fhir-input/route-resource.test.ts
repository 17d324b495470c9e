import { describe, expect, it } from 'vitest';
import { createReferenceResolver, indexBundle } from './reference-resolver.js';
import { routeResource } from './route-resource.js';

const refs = createReferenceResolver();
const records = (resource: unknown, only?: string) => {
  const routed = routeResource(resource, refs, only);
  return 'records' in routed ? routed.records : routed;
};

const LOINC = 'http://loinc.org';
const observation = (category: string, extra: Record<string, unknown>) => ({
  resourceType: 'Observation',
  id: 'o-1',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: category }] }],
  subject: { reference: 'Patient/p-1' },
  encounter: { reference: 'Encounter/e-1' },
  effectiveDateTime: '2020-01-02T03:04:05-05:00',
  ...extra,
});

describe('routeResource', () => {
  it('sends a vital-signs Observation to vital_signs with its quantity and UCUM unit', () => {
    const vital = observation('vital-signs', {
      code: { coding: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }] },
      valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    expect(records(vital)).toEqual([
      {
        dataset: 'vital_signs',
        record: expect.objectContaining({
          observation_id: 'o-1', patient_id: 'p-1', encounter_id: 'e-1', effective_datetime: '2020-01-02T03:04:05-05:00',
          code: '8867-4', code_system: LOINC, description: 'Heart rate', value_quantity: '72', value_unit: '/min',
        }),
      },
    ]);
  });

  it('splits a blood-pressure panel into systolic and diastolic', () => {
    const bp = observation('vital-signs', {
      code: { coding: [{ system: LOINC, code: '85354-9' }] },
      component: [
        { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: 120, code: 'mm[Hg]' } },
        { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: 80, code: 'mm[Hg]' } },
      ],
    });
    expect(records(bp)).toEqual([{ dataset: 'vital_signs', record: expect.objectContaining({ code: '85354-9', systolic_bp: '120', diastolic_bp: '80', value_quantity: null }) }]);
  });

  it('sends any other Observation to lab_results, a coded value as text', () => {
    const lab = observation('laboratory', {
      code: { coding: [{ system: LOINC, code: '5778-6', display: 'Color of Urine' }] },
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '371244009', display: 'Yellow' }] },
      interpretation: [{ coding: [{ code: 'N' }] }],
      referenceRange: [{ low: { value: 1 }, high: { value: 2 } }],
    });
    expect(records(lab)).toEqual([
      {
        dataset: 'lab_results',
        record: expect.objectContaining({ value_text: 'Yellow', value_quantity: null, category: 'laboratory', interpretation: 'N', reference_range_low: '1', reference_range_high: '2' }),
      },
    ]);
  });

  it('gives a Claim its claim and one line per item, diagnoses read from the Conditions of the Bundle', () => {
    const bundleRefs = createReferenceResolver(
      indexBundle([{ resourceType: 'Condition', id: 'c-1', code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006' }] } }], ['urn:uuid:c1']),
    );
    const claim = {
      resourceType: 'Claim',
      id: 'cl-1',
      patient: { reference: 'Patient/p-1' },
      provider: { reference: 'Organization?identifier=http://hl7.org/fhir/sid/us-npi|1234567893' },
      diagnosis: [{ sequence: 1, diagnosisReference: { reference: 'urn:uuid:c1' } }],
      total: { value: 99.5, currency: 'USD' },
      item: [
        { sequence: 1, productOrService: { coding: [{ system: 'http://snomed.info/sct', code: '185349003' }] }, encounter: [{ reference: 'Encounter/e-1' }] },
        { sequence: 2, productOrService: { text: 'Lab' }, net: { value: 12 } },
      ],
    };
    const routed = routeResource(claim, bundleRefs);
    if (!('records' in routed)) throw new Error('expected records');
    expect(routed.records.map((r) => r.dataset)).toEqual(['claims', 'claim_lines', 'claim_lines']);
    expect(routed.records[0]?.record).toMatchObject({ claim_id: 'cl-1', provider_id: '1234567893', diagnosis_1: '44054006', encounter_id: 'e-1', total: '99.5' });
    expect(routed.records[2]?.record).toMatchObject({ line_id: 'cl-1-2', line_number: '2', amount: '12', procedure_text: 'Lab' });
  });

  it('tells an Appointment participant apart by the type it references', () => {
    const appointment = {
      resourceType: 'Appointment',
      id: 'a-1',
      status: 'noshow',
      start: '2016-04-29T10:00:00Z',
      participant: [{ actor: { reference: 'Practitioner/dr-1' } }, { actor: { reference: 'Patient/p-1' } }, { actor: { reference: 'Location/l-1', display: 'Clinic' } }],
    };
    expect(records(appointment)).toEqual([
      { dataset: 'appointments', record: expect.objectContaining({ patient_id: 'p-1', practitioner_id: 'dr-1', location: 'Clinic', no_show: 'true' }) },
    ]);
  });

  it('marks MedicationRequest and MedicationAdministration by kind in one dataset', () => {
    const med = { medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076' }] }, subject: { reference: 'Patient/p-1' } };
    expect(records({ resourceType: 'MedicationRequest', id: 'm-1', ...med })).toEqual([{ dataset: 'medications', record: expect.objectContaining({ kind: 'request', code: '314076' }) }]);
    expect(records({ resourceType: 'MedicationAdministration', id: 'm-2', ...med })).toEqual([
      { dataset: 'medications', record: expect.objectContaining({ kind: 'administration', administration_id: 'm-2' }) },
    ]);
  });

  it('skips resources no dataset takes, non-resources, and those of another dataset than the one asked for', () => {
    expect(records({ resourceType: 'Provenance', id: 'v-1' })).toEqual({ skipped: 'Provenance' });
    expect(records({ id: 'x' })).toEqual({ skipped: '(none)' });
    expect(records(42)).toEqual({ skipped: '(none)' });
    expect(records({ resourceType: 'Patient', id: 'p-1' }, 'encounters')).toEqual({ skipped: 'Patient' });
  });

  it('leaves out the display of a coded field, which the field writes to its text itself', () => {
    const encounter = { resourceType: 'Encounter', id: 'e-1', class: { code: 'AMB', display: 'ambulatory' }, status: 'finished' };
    const [first] = records(encounter) as { record: Record<string, unknown> }[];
    expect(first?.record).toMatchObject({ class: 'AMB' });
    expect(first?.record).not.toHaveProperty('class_text');
  });
});

import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { DATA_ABSENT_REASON } from './fhir-extensions.js';
import { FHIR_RESOURCE_SCHEMAS } from './fhir-schemas.js';
import type { FhirResource } from './fhir-types.js';
import { toFhirResources } from './to-fhir-resource.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
for (const [type, schema] of Object.entries(FHIR_RESOURCE_SCHEMAS)) ajv.addSchema(schema, type);

/** Maps a canonical record and checks every resource against its schema. */
function map(dataset: string, record: Record<string, string | null>): FhirResource[] {
  const resources = toFhirResources(dataset, record, { jobId: 'job-1', row: 2 });
  for (const r of resources) {
    const validate = ajv.getSchema(r.resourceType);
    expect(validate?.(r), JSON.stringify(validate?.errors)).toBe(true);
  }
  return resources;
}
const absent = { extension: [{ url: DATA_ABSENT_REASON, valueCode: 'unknown' }] };

describe('Coverage', () => {
  it('writes a secondary payer as a second Coverage of order 2 for the same period', () => {
    const resources = map('coverage', {
      patient_id: 'P1', member_id: 'M1', payer_id: 'PAY1', secondary_payer_id: 'PAY2', period_start: '2016-09-11T00:21:58Z', relationship: 'self',
    });
    expect(resources).toMatchObject([
      { status: 'active', beneficiary: { reference: 'Patient/P1' }, subscriberId: 'M1', payor: [{ reference: 'Organization/PAY1' }], order: 1, relationship: { coding: [{ code: 'self' }] } },
      { payor: [{ reference: 'Organization/PAY2' }], order: 2, period: { start: '2016-09-11T00:21:58Z' } },
    ]);
    expect(resources[0]?.id).not.toBe(resources[1]?.id);
  });

  it('writes a payor it does not know as data-absent, never a made-up one', () => {
    expect(map('coverage', { patient_id: 'P1' })[0]).toMatchObject({ payor: [absent] });
  });
});

describe('MeasureReport', () => {
  it('writes counts as denominator and numerator populations and the ratio as the score', () => {
    const [report] = map('quality_measures', {
      organization_id: '010001', organization_name: 'GENERAL HOSPITAL', measure_id: 'READM_30_COPD_HRRP', period_start: '2014-07-01',
      period_end: '2017-06-30', denominator: '217', numerator: '47', score: '1.0195', footnote: null,
    });
    expect(report).toMatchObject({
      status: 'complete', type: 'summary', measure: 'urn:harmonizer:fhir:measure:READM_30_COPD_HRRP',
      reporter: { reference: 'Organization/010001', display: 'GENERAL HOSPITAL' }, period: { start: '2014-07-01', end: '2017-06-30' },
      group: [{ population: [{ code: { coding: [{ code: 'denominator' }] }, count: 217 }, { code: { coding: [{ code: 'numerator' }] }, count: 47 }], measureScore: { value: 1.0195 } }],
    });
  });

  it('leaves out what is Not Available, and writes a missing period as data-absent', () => {
    const [report] = map('quality_measures', { organization_id: '010001', measure_id: 'READM_30_AMI_HRRP', footnote: '5 - Results are not available for this reporting period.' });
    expect(report).toMatchObject({ period: absent, group: [{ code: { coding: [{ code: 'READM_30_AMI_HRRP' }] } }] });
    expect(report?.group).toEqual([{ code: { coding: [{ code: 'READM_30_AMI_HRRP' }] } }]);
  });
});

describe('Device, Location, CarePlan, SupplyDelivery', () => {
  it('writes a removed device as inactive, with its period as extensions', () => {
    const [device] = map('devices', { patient_id: 'P1', code: '72506001', code_system: 'http://snomed.info/sct', udi_carrier: '(01)1', start_datetime: '2000-01-01', end_datetime: '2001-01-01' });
    expect(device).toMatchObject({ status: 'inactive', udiCarrier: [{ carrierHRF: '(01)1' }], patient: { reference: 'Patient/P1' } });
    expect(device?.extension).toHaveLength(2);
  });

  it('writes a position only when both coordinates are there', () => {
    expect(map('locations', { name: 'Ward 4B', latitude: '38.2', longitude: '-95.7' })[0]).toMatchObject({ position: { latitude: 38.2, longitude: -95.7 } });
    expect(map('locations', { name: 'Ward 4B', latitude: '38.2' })[0]).not.toHaveProperty('position');
  });

  it('writes a care plan with its intent, category and the condition it addresses', () => {
    const [plan] = map('care_plans', { patient_id: 'P1', code: '53950000', code_system: 'http://snomed.info/sct', description: 'Respiratory therapy', status: 'completed', intent: 'order', reason_code: '10509002', reason_text: 'Acute bronchitis (disorder)' });
    expect(plan).toMatchObject({ status: 'completed', intent: 'order', category: [{ coding: [{ code: '53950000' }] }], addresses: [{ display: 'Acute bronchitis (disorder) (10509002)' }] });
  });

  it('writes a supply delivery as completed with the item and its quantity', () => {
    const [delivery] = map('supplies', { patient_id: 'P1', code: '409534002', code_system: 'http://snomed.info/sct', quantity: '2', delivered_datetime: '2020-10-07' });
    expect(delivery).toMatchObject({ status: 'completed', suppliedItem: { quantity: { value: 2 }, itemCodeableConcept: { coding: [{ code: '409534002' }] } }, occurrenceDateTime: '2020-10-07' });
  });

  it('writes no resource for a code dictionary row', () => {
    expect(map('code_dictionary', { code: '50801', display: 'Alveolar-arterial Gradient' })).toEqual([]);
  });
});

describe('microbiology Observation', () => {
  it('writes the organism and isolate as components of a susceptibility, and an organism-only row as the identification', () => {
    const [susceptibility] = map('lab_results', { encounter_id: '1', code: '90002', description: 'PENICILLIN', value_quantity: '2', organism_code: '80172', organism: 'ENTEROCOCCUS FAECALIS', isolate_number: '1', interpretation: 'S' });
    expect(susceptibility?.component).toEqual([
      { code: { text: 'Organism' }, valueCodeableConcept: { coding: [{ code: '80172', display: 'ENTEROCOCCUS FAECALIS' }], text: 'ENTEROCOCCUS FAECALIS' } },
      { code: { text: 'Isolate number' }, valueInteger: 1 },
    ]);
    const [identification] = map('lab_results', { encounter_id: '1', organism_code: '80155', organism: 'STAPHYLOCOCCUS, COAGULASE NEGATIVE', specimen: 'BLOOD CULTURE' });
    expect(identification).toMatchObject({ code: { text: 'Microorganism identified' }, valueCodeableConcept: { text: 'STAPHYLOCOCCUS, COAGULASE NEGATIVE' }, specimen: { display: 'BLOOD CULTURE' } });
  });

  it('gives two isolates of one organism different ids', () => {
    const base = { encounter_id: '1', code: '90020', effective_datetime: '2195-05-17T09:12:00', specimen: 'URINE', organism_code: '80218' };
    const [one] = map('lab_results', { ...base, isolate_number: '1' });
    const [two] = map('lab_results', { ...base, isolate_number: '2' });
    expect(one?.id).not.toBe(two?.id);
  });
});

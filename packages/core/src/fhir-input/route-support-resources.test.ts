import { describe, expect, it } from 'vitest';
import { createReferenceResolver, indexBundle } from './reference-resolver.js';
import { routeResource } from './route-resource.js';

// Device and Location as SMART's Synthea bulk export writes them (CC0); CarePlan as in SMART's
// generated Synthea bundles (Apache-2.0); Coverage and SupplyDelivery hand-written from R4.
const routed = (resource: unknown, refs = createReferenceResolver()) => {
  const result = routeResource(resource, refs);
  return 'records' in result ? result.records : result;
};

describe('routeResource for devices, locations, care plans, coverage and supplies', () => {
  it('sends a Device to devices with its UDI, type and patient', () => {
    const device = {
      resourceType: 'Device', id: '031165b5-6fd0-d716-ccc3-bbaba3ab379a',
      udiCarrier: [{ deviceIdentifier: '96702913868313', carrierHRF: '(01)96702913868313(11)580712(17)830727(10)528662860311789(21)9866037' }],
      status: 'active', distinctIdentifier: '96702913868313', manufactureDate: '1958-07-12T23:58:16-04:00', expirationDate: '1983-07-27T23:58:16-04:00',
      lotNumber: '528662860311789', serialNumber: '9866037',
      deviceName: [{ name: 'Blood glucose meter (physical object)', type: 'user-friendly-name' }],
      type: { coding: [{ system: 'http://snomed.info/sct', code: '337414009', display: 'Blood glucose meter (physical object)' }], text: 'Blood glucose meter (physical object)' },
      patient: { reference: 'Patient/79a66c97-6131-3213-f3c9-4606946ab056' },
    };
    expect(routed(device)).toEqual([{
      dataset: 'devices',
      record: expect.objectContaining({
        device_id: '031165b5-6fd0-d716-ccc3-bbaba3ab379a', patient_id: '79a66c97-6131-3213-f3c9-4606946ab056', code: '337414009',
        code_system: 'http://snomed.info/sct', description: 'Blood glucose meter (physical object)', udi_device_identifier: '96702913868313',
        udi_carrier: '(01)96702913868313(11)580712(17)830727(10)528662860311789(21)9866037', lot_number: '528662860311789',
        serial_number: '9866037', manufacture_date: '1958-07-12T23:58:16-04:00', status: 'active',
      }),
    }]);
  });

  it('sends a Location to locations, the managing organization read from its identifier-only reference', () => {
    const location = {
      resourceType: 'Location', id: '0b9875ba-9310-313d-93d4-bf552585d527', status: 'active', name: 'LIFE CARE CENTER OF BURLINGTON',
      telecom: [{ system: 'phone', value: '6203642117' }],
      address: { line: ['601 CROSS STREET'], city: 'BURLINGTON', state: 'KS', postalCode: '668391105', country: 'US' },
      position: { longitude: -95.742114, latitude: 38.206373 },
      managingOrganization: {
        identifier: { system: 'https://github.com/synthetichealth/synthea', value: '658bfe6a-1b87-3ca3-9923-959fd4e14477' },
        display: 'LIFE CARE CENTER OF BURLINGTON',
      },
    };
    expect(routed(location)).toEqual([{
      dataset: 'locations',
      record: expect.objectContaining({
        location_id: '0b9875ba-9310-313d-93d4-bf552585d527', name: 'LIFE CARE CENTER OF BURLINGTON', address_line: '601 CROSS STREET',
        postal_code: '668391105', phone: '6203642117', latitude: '38.206373', longitude: '-95.742114',
        managing_organization_id: '658bfe6a-1b87-3ca3-9923-959fd4e14477', managing_organization_name: 'LIFE CARE CENTER OF BURLINGTON',
      }),
    }]);
  });

  it('sends a CarePlan to care_plans with the code of the Condition it addresses when the Bundle has it', () => {
    const condition = { resourceType: 'Condition', id: 'c-1', code: { coding: [{ system: 'http://snomed.info/sct', code: '10509002', display: 'Acute bronchitis (disorder)' }] } };
    const plan = {
      resourceType: 'CarePlan', id: '816b3f47-8e5e-464b-81b8-77548b107373', status: 'completed', intent: 'order',
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '53950000', display: 'Respiratory therapy' }], text: 'Respiratory therapy' }],
      subject: { reference: 'urn:uuid:p-1' }, period: { start: '1981-06-20T08:54:18+00:00', end: '1982-07-07T08:54:18+00:00' },
      addresses: [{ reference: 'urn:uuid:c-1' }],
    };
    const refs = createReferenceResolver(indexBundle([condition], ['urn:uuid:c-1']));
    expect(routed(plan, refs)).toEqual([{
      dataset: 'care_plans',
      record: expect.objectContaining({
        care_plan_id: '816b3f47-8e5e-464b-81b8-77548b107373', patient_id: 'p-1', code: '53950000', description: 'Respiratory therapy',
        period_start: '1981-06-20T08:54:18+00:00', period_end: '1982-07-07T08:54:18+00:00', status: 'completed', intent: 'order',
        reason_code: '10509002', reason_text: 'Acute bronchitis (disorder)',
      }),
    }]);
  });

  it('sends Coverage and SupplyDelivery to coverage and supplies', () => {
    const coverage = {
      resourceType: 'Coverage', id: 'cov-1', status: 'active', subscriberId: 'M-1', beneficiary: { reference: 'Patient/p-1' },
      relationship: { coding: [{ code: 'self' }] }, period: { start: '2020-01-01', end: '2020-12-31' }, payor: [{ reference: 'Organization/o-1', display: 'Medicare' }],
    };
    const supply = {
      resourceType: 'SupplyDelivery', id: 's-1', status: 'completed', patient: { reference: 'Patient/p-1' }, occurrenceDateTime: '2020-10-07',
      suppliedItem: { quantity: { value: 24 }, itemCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '713779008', display: 'Nitrile glove' }] } },
    };
    expect(routed(coverage)).toEqual([{
      dataset: 'coverage',
      record: expect.objectContaining({ patient_id: 'p-1', member_id: 'M-1', payer_id: 'o-1', payer_name: 'Medicare', period_start: '2020-01-01', relationship: 'self' }),
    }]);
    expect(routed(supply)).toEqual([{
      dataset: 'supplies',
      record: expect.objectContaining({ supply_id: 's-1', patient_id: 'p-1', code: '713779008', quantity: '24', delivered_datetime: '2020-10-07' }),
    }]);
  });

  it('sends an ImagingStudy to imaging_studies as one record per instance', () => {
    const study = {
      resourceType: 'ImagingStudy', id: 'is-1', status: 'available', subject: { reference: 'Patient/p-1' }, started: '2023-06-06T12:00:08Z',
      procedureCode: [{ coding: [{ system: 'http://snomed.info/sct', code: '399208008', display: 'Plain chest X-ray' }] }],
      series: [{
        uid: '1.2.3', modality: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'DX' }, bodySite: { system: 'http://snomed.info/sct', code: '51185008', display: 'Chest' },
        instance: [{ uid: '1.2.3.1', sopClass: { system: 'urn:ietf:rfc:3986', code: 'urn:oid:1.2.840.10008.5.1.4.1.1.1.1' } }, { uid: '1.2.3.2', sopClass: { code: 'urn:oid:1.2.840.10008.5.1.4.1.1.1.1' } }],
      }],
    };
    const result = routed(study) as { dataset: string; record: Record<string, unknown> }[];
    expect(result.map((r) => [r.dataset, r.record.instance_uid, r.record.sop_class, r.record.modality_code, r.record.procedure_code])).toEqual([
      ['imaging_studies', '1.2.3.1', '1.2.840.10008.5.1.4.1.1.1.1', 'DX', '399208008'],
      ['imaging_studies', '1.2.3.2', '1.2.840.10008.5.1.4.1.1.1.1', 'DX', '399208008'],
    ]);
  });
});

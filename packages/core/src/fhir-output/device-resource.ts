import { compact, concept, fhirDateTime, reference, text, vocabCode } from './fhir-elements.js';
import { EXTENSION_BASE, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';

/**
 * devices -> Device: the UDI (carrier as printed and device identifier), type, patient and
 * manufacturer details. The encounter and the period the patient had the device have no Device
 * element: they are extensions. status is `active` unless the source says otherwise, or
 * `inactive` once the device was removed.
 */
export const deviceResource: FhirMapper = (r, ctx) => {
  const carrier = text(r, 'udi_carrier');
  const deviceIdentifier = text(r, 'udi_device_identifier');
  const description = text(r, 'description');
  const encounter = reference('Encounter', text(r, 'encounter_id'));
  const statusText = text(r, 'status_text');
  return compact({
    resourceType: 'Device',
    id: ctx.idFor('Device', text(r, 'device_id')),
    extension: [
      encounter ? { url: `${EXTENSION_BASE}encounter_id`, valueReference: encounter } : undefined,
      ...fieldExtensions(r, [['start_datetime', 'DateTime'], ['end_datetime', 'DateTime']]),
    ],
    identifier: [text(r, 'device_id') ? { value: text(r, 'device_id') } : undefined],
    udiCarrier: carrier || deviceIdentifier ? [compact({ deviceIdentifier, carrierHRF: carrier })] : undefined,
    status: vocabCode('device_status', text(r, 'status'), text(r, 'end_datetime') ? 'inactive' : 'active'),
    statusReason: statusText ? [{ text: statusText }] : undefined,
    manufacturer: text(r, 'manufacturer'),
    manufactureDate: fhirDateTime(text(r, 'manufacture_date')),
    expirationDate: fhirDateTime(text(r, 'expiration_date')),
    lotNumber: text(r, 'lot_number'),
    serialNumber: text(r, 'serial_number'),
    deviceName: description ? [{ name: description, type: 'user-friendly-name' }] : undefined,
    modelNumber: text(r, 'model'),
    type: concept(text(r, 'code_system'), text(r, 'code'), description),
    patient: reference('Patient', text(r, 'patient_id')),
  });
};

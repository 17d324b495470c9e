import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, list, obj, str } from './fhir-values.js';

/**
 * Device -> devices: the UDI (carrier as printed, device identifier), type, patient, status and
 * the manufacturer's details. The name is the user-friendly one when there are several.
 */
export const extractDevice: FhirExtractor = (r, refs) => {
  const udi = first(r.udiCarrier);
  const type = codeOf(r.type);
  const names = list(r.deviceName).map(obj);
  const name = names.find((n) => n?.type === 'user-friendly-name') ?? names[0] ?? null;
  return {
    device_id: str(r.id),
    patient_id: refs.id(r.patient),
    code: type.code,
    code_system: type.code ? type.system : null,
    description: str(name?.name) ?? type.display,
    udi_carrier: str(udi?.carrierHRF),
    udi_device_identifier: str(udi?.deviceIdentifier),
    manufacturer: str(r.manufacturer),
    model: str(r.modelNumber),
    lot_number: str(r.lotNumber),
    serial_number: str(r.serialNumber),
    manufacture_date: str(r.manufactureDate),
    expiration_date: str(r.expirationDate),
    status: str(r.status),
    status_text: codeOf(first(r.statusReason)).display,
  };
};

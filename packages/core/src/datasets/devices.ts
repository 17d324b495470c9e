import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, encounterRef, patientRef, systemField } from './define-field.js';

/** GS1 application identifiers of a UDI in human-readable form: (01) device id, (10) lot, (21) serial. */
const UDI_PARTS = /\((01|10|21|11|17)\)([^(]+)/g;

/** The GS1 parts of a human-readable UDI carrier ("(01)13465995954590(11)760704(10)8477...(21)4882..."). */
export function udiParts(carrier: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const [, ai, value] of carrier.matchAll(UDI_PARTS)) if (ai && value) parts[ai] = value.trim();
  return parts;
}

/**
 * Devices used by or implanted in a patient, aligned with FHIR R4 Device (Synthea devices.csv:
 * START, STOP, PATIENT, ENCOUNTER, CODE, DESCRIPTION, UDI; FHIR Bulk Device resources). Choices:
 * - udi_carrier is the UDI as printed (human-readable form). When the file gives no separate
 *   device identifier, lot or serial number, they are read from the carrier's GS1 parts (01),
 *   (10) and (21): the same string, split, never guessed. Its dates (11) and (17) are six-digit
 *   YYMMDD and are not read (a two-digit year would need a guessed century).
 * - code is the device type (SNOMED CT in Synthea). start/end say when the patient had the device
 *   (a Device has no such element: written as extensions).
 * - The natural key is patient + UDI: one physical device per patient.
 */
export const devices: DatasetDefinition = {
  name: 'devices',
  description: 'Devices of a patient: UDI (device identifier, lot, serial), type code, manufacturer, model, when used.',
  fhirResource: 'Device',
  fields: [
    f('device_id', 'id', 'Device.identifier', ['Device ID', 'DEVICEID', 'Device Identifier ID', 'Asset ID', 'Asset Tag']),
    patientRef('Device.patient', false),
    encounterRef('Device.extension(encounter)'),
    codeField('code', 'Device.type.coding', ['snomed', 'local'], ['CODE', 'Device Code', 'Device Type Code', 'Type Code', 'SNOMED Code']),
    systemField('code', 'Device.type.coding.system', ['SYSTEM', 'Code System']),
    f('description', 'text', 'Device.type.text', ['DESCRIPTION', 'Device', 'Device Name', 'Device Type', 'Device Description']),
    f('udi_carrier', 'text', 'Device.udiCarrier.carrierHRF', ['UDI', 'UDI Carrier', 'Unique Device Identifier', 'UDI HRF', 'carrierHRF']),
    f('udi_device_identifier', 'text', 'Device.udiCarrier.deviceIdentifier', ['UDI DI', 'UDI Device Identifier', 'Primary DI', 'GTIN', 'deviceIdentifier']),
    f('manufacturer', 'text', 'Device.manufacturer', ['Manufacturer', 'Manufacturer Name', 'Vendor', 'Make']),
    f('model', 'text', 'Device.modelNumber', ['Model', 'Model Number', 'Model Name']),
    f('lot_number', 'text', 'Device.lotNumber', ['Lot', 'Lot Number', 'Batch']),
    f('serial_number', 'text', 'Device.serialNumber', ['Serial', 'Serial Number', 'serialNumber']),
    f('manufacture_date', 'datetime', 'Device.manufactureDate', ['Manufacture Date', 'Manufactured', 'Date of Manufacture']),
    f('expiration_date', 'datetime', 'Device.expirationDate', ['Expiration Date', 'Expiry Date', 'Expires', 'Use By']),
    f('status', 'coded', 'Device.status', ['Status', 'Device Status'], { vocabulary: 'device_status', textField: 'status_text' }),
    f('status_text', 'text', 'Device.statusReason.text', []),
    f('start_datetime', 'datetime', 'Device.extension(start_datetime)', ['START', 'Start Date', 'Implant Date', 'Date Implanted', 'In Use From']),
    f('end_datetime', 'datetime', 'Device.extension(end_datetime)', ['STOP', 'End Date', 'Removal Date', 'Date Removed', 'In Use Until']),
  ],
  naturalKey: ['patient_id', 'udi_carrier'],
  requiredColumnsAnyOf: [['udi_carrier'], ['udi_device_identifier'], ['device_id'], ['manufacturer'], ['model'], ['serial_number']],
  knownExtras: [],
  rules: [endAfterStart('device.end_before_start', 'start_datetime', 'end_datetime', 'error', 'a device cannot be removed before it was put in use')],
  derive(record) {
    if (!record.udi_carrier) return;
    const parts = udiParts(record.udi_carrier);
    record.udi_device_identifier ??= parts['01'] ?? null;
    record.lot_number ??= parts['10'] ?? null;
    record.serial_number ??= parts['21'] ?? null;
  },
  fileNameHints: ['device', 'devices', 'implants', 'implant', 'udi'],
};

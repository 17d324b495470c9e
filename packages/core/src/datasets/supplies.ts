import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, encounterRef, patientRef, systemField } from './define-field.js';

/**
 * Supplies handed out to or used for a patient (gloves, masks, test strips), aligned with FHIR
 * R4 SupplyDelivery (Synthea supplies.csv: DATE, PATIENT, ENCOUNTER, CODE, DESCRIPTION,
 * QUANTITY). Not medications: the codes are SNOMED CT physical objects, not drugs. Choices:
 * - quantity is a count of items (SupplyDelivery.suppliedItem.quantity); text in it is kept
 *   under extras with number.not_numeric, a zero or negative count is a warning.
 * - A delivery in a file happened: status is completed unless a status column says otherwise.
 * - The natural key is patient + encounter + code + date: one line per item per encounter.
 */
export const supplies: DatasetDefinition = {
  name: 'supplies',
  description: 'Supplies delivered for a patient: item code (SNOMED CT), quantity, date, encounter.',
  fhirResource: 'SupplyDelivery',
  fields: [
    f('supply_id', 'id', 'SupplyDelivery.identifier', ['Supply ID', 'Delivery ID', 'Dispense ID', 'SUPPLYID']),
    patientRef('SupplyDelivery.patient', false),
    encounterRef('SupplyDelivery.extension(encounter)'),
    codeField('code', 'SupplyDelivery.suppliedItem.itemCodeableConcept.coding', ['snomed', 'local'], [
      'CODE', 'Supply Code', 'Item Code', 'Product Code', 'SNOMED Code',
    ]),
    systemField('code', 'SupplyDelivery.suppliedItem.itemCodeableConcept.coding.system', ['SYSTEM', 'Code System']),
    f('description', 'text', 'SupplyDelivery.suppliedItem.itemCodeableConcept.text', ['DESCRIPTION', 'Supply', 'Item', 'Item Name', 'Supply Description', 'Product']),
    f('quantity', 'decimal', 'SupplyDelivery.suppliedItem.quantity.value', ['QUANTITY', 'Quantity', 'Qty', 'Count', 'Units Supplied']),
    f('delivered_datetime', 'datetime', 'SupplyDelivery.occurrenceDateTime', ['DATE', 'Date', 'Delivery Date', 'Supplied Date', 'Dispensed Date', 'Date Supplied']),
    f('status', 'coded', 'SupplyDelivery.status', ['Status', 'Delivery Status'], { vocabulary: 'supply_delivery_status', textField: 'status_text' }),
    f('status_text', 'text', 'SupplyDelivery.extension(status_text)', []),
    f('supplier_id', 'id', 'SupplyDelivery.supplier', ['Supplier', 'Supplier ID', 'Dispensed By', 'Vendor']),
  ],
  naturalKey: ['patient_id', 'encounter_id', 'code', 'delivered_datetime'],
  requiredColumnsAnyOf: [['code', 'quantity'], ['description', 'quantity']],
  knownExtras: [],
  rules: [
    {
      rule: 'supply.quantity_not_positive',
      severity: 'warning',
      field: 'quantity',
      message: 'quantity is zero or negative',
      violated: (r) => r.quantity != null && Number(r.quantity) <= 0,
    },
  ],
  fileNameHints: ['supply', 'supplies', 'supplydelivery', 'supply_delivery', 'consumables'],
};

import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, encounterRef, patientRef, systemField } from './define-field.js';

/**
 * Medications: prescriptions and orders (FHIR R4 MedicationRequest) and administrations
 * (MedicationAdministration) in one canonical model. Choices:
 * - kind: `administration` when the row names who gave it or an infusion rate (MIMIC
 *   INPUTEVENTS_MV: CGID, RATE), else `request` (Synthea medications, MIMIC PRESCRIPTIONS).
 * - code: RxNorm (Synthea), local codes (MIMIC ITEMID, formulary codes); ndc separately, in the
 *   11-digit form (MIMIC's `0` means no NDC: empty). route maps to SNOMED CT route codes (PO ->
 *   26643006 oral, IV / IV DRIP -> 47625008 intravenous, SC -> subcutaneous, IH -> respiratory
 *   tract...), the spelling kept in route_text; unknown routes are reported.
 * - dose_value is a number with dose_unit in UCUM (`mEq.` -> meq, `gm` -> g, `ml` -> mL, TAB ->
 *   {tbl}); `25,000` is 25000; a range (`1-2`, `325-650`) stays text in dose_text with
 *   number.range_text. rate_value likewise with rate_unit.
 * - status maps to the MedicationRequest / MedicationAdministration status codes; status_text
 *   keeps the source spelling.
 * - An end before the start is a WARNING (medication.end_before_start), not an error: MIMIC
 *   PRESCRIPTIONS has 39 such orders (discontinued before their planned start), and the order
 *   itself is real.
 * - Superseded versions (MIMIC INPUTEVENTS_MV): rows of one order share LINKORDERID (order_group_id)
 *   and the item (code). A row whose status_text is Rewritten or Changed has been replaced by a
 *   newer row of that group; each accepted row carries `version` (group, superseded, order) and
 *   the dedup step drops superseded rows from the outputs, counting them in the report.
 */
export const medications: DatasetDefinition = {
  name: 'medications',
  description: 'Prescriptions, orders and administrations: drug code, NDC, dose and unit, route, rate, status, period.',
  fhirResource: 'MedicationRequest',
  fields: [
    f('kind', 'text', 'resourceType (MedicationRequest | MedicationAdministration)', ['Record Type', 'Kind']),
    f('order_id', 'id', 'MedicationRequest.identifier', ['ORDERID', 'Order ID', 'Prescription ID', 'Rx Number', 'Rx ID', 'Medication Order ID']),
    f('order_group_id', 'id', 'MedicationRequest.groupIdentifier', ['LINKORDERID', 'Link Order ID', 'Parent Order ID', 'Original Order ID', 'Order Group']),
    patientRef('MedicationRequest.subject', true),
    encounterRef('MedicationRequest.encounter'),
    codeField('code', 'MedicationRequest.medicationCodeableConcept.coding', ['rxnorm', 'local'], [
      'CODE', 'RxNorm', 'RXCUI', 'RxNorm Code', 'Drug Code', 'Medication Code', 'ITEMID', 'Product Code',
    ]),
    systemField('code', 'MedicationRequest.medicationCodeableConcept.coding.system', ['SYSTEM', 'Code System']),
    f('ndc', 'clinical_code', 'MedicationRequest.medicationCodeableConcept.coding(ndc)', ['NDC', 'National Drug Code', 'NDC Code'], {
      codeSystems: ['ndc'],
      missingValues: ['0'],
    }),
    f('description', 'text', 'MedicationRequest.medicationCodeableConcept.text', [
      'DESCRIPTION', 'DRUG', 'Drug Name', 'Medication', 'Medication Name', 'Drug', 'Product Name',
    ]),
    f('generic_name', 'text', 'Medication.ingredient', ['DRUG_NAME_GENERIC', 'Generic Name', 'Generic']),
    f('start_datetime', 'datetime', 'MedicationRequest.dispenseRequest.validityPeriod.start', [
      'START', 'STARTDATE', 'STARTTIME', 'Start Date', 'Start Time', 'Order Date', 'Date Prescribed', 'Administration Time',
      'Given Time', 'Administered At',
    ]),
    f('end_datetime', 'datetime', 'MedicationRequest.dispenseRequest.validityPeriod.end', [
      'STOP', 'ENDDATE', 'ENDTIME', 'End Date', 'End Time', 'Stop Date', 'Discontinue Date', 'Discontinued Date',
    ]),
    f('recorded_datetime', 'datetime', 'MedicationRequest.authoredOn', ['STORETIME', 'Recorded Time', 'Entered Time', 'Authored On']),
    f('status', 'coded', 'MedicationRequest.status', ['STATUSDESCRIPTION', 'Status', 'Order Status', 'Administration Status'], {
      vocabulary: 'medication_status',
      textField: 'status_text',
    }),
    f('status_text', 'text', 'MedicationRequest.statusReason.text', []),
    f('dose_value', 'quantity', 'MedicationRequest.dosageInstruction.doseAndRate.doseQuantity.value', [
      'DOSE_VAL_RX', 'AMOUNT', 'Dose', 'Dose Amount', 'Dose Value', 'Amount Given', 'Quantity Given',
    ], { unitField: 'dose_unit', textField: 'dose_text' }),
    f('dose_unit', 'unit', 'MedicationRequest.dosageInstruction.doseAndRate.doseQuantity.code', [
      'DOSE_UNIT_RX', 'AMOUNTUOM', 'Dose Unit', 'Dose UOM', 'Dose Units',
    ]),
    f('dose_text', 'text', 'MedicationRequest.dosageInstruction.text', ['Sig', 'Dosage Instructions', 'Directions']),
    f('rate_value', 'quantity', 'MedicationAdministration.dosage.rateQuantity.value', ['RATE', 'Rate', 'Infusion Rate'], { unitField: 'rate_unit' }),
    f('rate_unit', 'unit', 'MedicationAdministration.dosage.rateQuantity.code', ['RATEUOM', 'Rate Unit', 'Rate UOM']),
    f('route', 'coded', 'MedicationRequest.dosageInstruction.route', ['ROUTE', 'Route', 'Route of Administration', 'Admin Route'], {
      vocabulary: 'route',
      textField: 'route_text',
    }),
    f('route_text', 'text', 'MedicationRequest.dosageInstruction.route.text', []),
    f('form', 'text', 'Medication.form', ['FORM_UNIT_DISP', 'Dosage Form', 'Form', 'Dose Form']),
    f('strength', 'text', 'Medication.ingredient.strength', ['PROD_STRENGTH', 'Strength', 'Product Strength']),
    f('dispense_quantity', 'decimal', 'MedicationRequest.dispenseRequest.quantity', ['FORM_VAL_DISP', 'Quantity', 'Qty', 'Dispense Quantity', 'Quantity Dispensed']),
    f('dispense_count', 'integer', 'MedicationRequest.dispenseRequest.numberOfRepeatsAllowed', ['DISPENSES', 'Dispenses', 'Fills', 'Refills']),
    codeField('reason_code', 'MedicationRequest.reasonCode.coding', ['snomed', 'icd10cm', 'icd9cm'], ['REASONCODE', 'Reason Code']),
    systemField('reason_code', 'MedicationRequest.reasonCode.coding.system'),
    f('reason_text', 'text', 'MedicationRequest.reasonCode.text', ['REASONDESCRIPTION', 'Reason', 'Indication']),
    f('prescriber_id', 'id', 'MedicationRequest.requester', ['PROVIDER', 'Prescriber', 'Prescriber ID', 'Ordering Provider']),
    f('performer_id', 'id', 'MedicationAdministration.performer.actor', ['CGID', 'Administered By', 'Nurse ID', 'Performer']),
    f('cost', 'decimal', 'MedicationRequest.extension(cost)', ['BASE_COST', 'Cost', 'Unit Cost']),
    f('total_cost', 'decimal', 'MedicationRequest.extension(total cost)', ['TOTALCOST', 'Total Cost']),
  ],
  naturalKey: ['order_id', 'code'],
  requiredColumnsAnyOf: [['code'], ['description'], ['ndc']],
  knownExtras: [
    'row id', 'icustay id', 'drug type', 'drug name poe', 'formulary drug cd', 'gsn', 'payer', 'payer coverage',
    'ordercategoryname', 'secondaryordercategoryname', 'ordercomponenttypedescription', 'ordercategorydescription',
    'patientweight', 'totalamount', 'totalamountuom', 'isopenbag', 'continueinnextdept', 'cancelreason',
    'comments editedby', 'comments canceledby', 'comments date', 'originalamount', 'originalrate',
  ],
  rules: [endAfterStart('medication.end_before_start', 'start_datetime', 'end_datetime', 'warning', 'the order ends before it starts; kept')],
  derive(record) {
    record.kind ??= record.performer_id || record.rate_value ? 'administration' : 'request';
  },
  versioning: {
    groupBy: ['order_group_id', 'code'],
    orderBy: ['start_datetime', 'recorded_datetime'],
    statusField: 'status_text',
    supersededStatuses: ['rewritten', 'changed'],
  },
  fileNameHints: ['medication', 'medications', 'prescription', 'prescriptions', 'inputevents', 'inputevents_mv', 'mar', 'orders', 'drugs'],
};

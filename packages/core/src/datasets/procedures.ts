import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, encounterRef, patientRef, systemField } from './define-field.js';

/**
 * Procedures, aligned with FHIR R4 Procedure. Choices:
 * - code accepts SNOMED CT (Synthea), CPT and HCPCS (MIMIC CPTEVENTS), ICD-10-PCS and ICD-9-CM
 *   volume 3 (MIMIC PROCEDURES_ICD: 3605 -> 36.05, dotted after two digits), and local codes
 *   (MIMIC PROCEDUREEVENTS_MV ITEMID). An ICD9 header in this dataset means procedure codes.
 * - status maps to FHIR event-status (MIMIC FinishedRunning -> completed, Stopped -> stopped).
 * - patient_id is required (Procedure.subject is 1..1). An end before the start is an error
 *   (procedure.end_before_start). CPTEVENTS rows without a date are kept: the code still says what
 *   was done in that admission.
 * - The natural key is patient + encounter + code + start, plus the source's procedure id when it
 *   has one (an optional key field): MIMIC PROCEDUREEVENTS_MV places two lines of the same kind at
 *   the same minute as two orders, which are two procedures, not one written twice.
 * - Superseded versions: a MIMIC row whose STATUSDESCRIPTION is Rewritten was replaced by a new
 *   order (usually the next row: the same item in the same admission, often with a corrected
 *   time); it is dropped and counted as superseded, as medications do, rather than kept as the
 *   first of two "duplicates" while its replacement is dropped.
 */
export const procedures: DatasetDefinition = {
  name: 'procedures',
  description: 'Procedures performed: SNOMED CT, CPT/HCPCS or ICD procedure code, when, status, body site. Natural key field procedure_id may be empty.',
  fhirResource: 'Procedure',
  fields: [
    f('procedure_id', 'id', 'Procedure.identifier', ['Procedure ID', 'ORDERID', 'Order ID']),
    patientRef('Procedure.subject', true),
    encounterRef('Procedure.encounter'),
    codeField('code', 'Procedure.code.coding', ['snomed', 'cpt', 'hcpcs', 'icd10pcs', 'icd9pcs', 'local'], [
      'CODE', 'ICD9_CODE', 'ICD10_CODE', 'CPT_CD', 'CPT', 'CPT Code', 'HCPCS', 'HCPCS Code', 'Procedure Code', 'PROCEDURECODE',
      'ITEMID', 'Proc Code', 'SNOMED Code',
    ]),
    systemField('code', 'Procedure.code.coding.system', ['SYSTEM', 'Code System', 'Coding System']),
    f('description', 'text', 'Procedure.code.text', ['DESCRIPTION', 'Procedure', 'Procedure Description', 'Procedure Name', 'SUBSECTIONHEADER', 'Long Title']),
    f('performed_start', 'datetime', 'Procedure.performedPeriod.start', [
      'START', 'STARTTIME', 'CHARTDATE', 'Procedure Date', 'Performed Date', 'Date Performed', 'Service Date', 'Start Date', 'Start Time',
    ]),
    f('performed_end', 'datetime', 'Procedure.performedPeriod.end', ['STOP', 'ENDTIME', 'End Date', 'End Time', 'Performed End']),
    f('status', 'coded', 'Procedure.status', ['STATUSDESCRIPTION', 'Status', 'Procedure Status'], { vocabulary: 'procedure_status', textField: 'status_text' }),
    f('status_text', 'text', 'Procedure.statusReason.text', []),
    f('body_site', 'text', 'Procedure.bodySite', ['LOCATION', 'Body Site', 'Site', 'Laterality']),
    codeField('reason_code', 'Procedure.reasonCode.coding', ['snomed', 'icd10cm', 'icd9cm'], ['REASONCODE', 'Reason Code']),
    systemField('reason_code', 'Procedure.reasonCode.coding.system'),
    f('reason_text', 'text', 'Procedure.reasonCode.text', ['REASONDESCRIPTION', 'Reason', 'Indication']),
    f('sequence', 'integer', 'Procedure.extension(sequence)', ['SEQ_NUM', 'TICKET_ID_SEQ', 'Sequence', 'Rank']),
    f('performer_id', 'id', 'Procedure.performer.actor', ['CGID', 'Performer', 'Surgeon', 'Performed By', 'Practitioner ID', 'Provider ID']),
    f('cost', 'decimal', 'Procedure.extension(cost)', ['BASE_COST', 'Cost', 'Charge']),
  ],
  // A source's own procedure id (MIMIC ORDERID) tells apart two lines placed at the same minute.
  naturalKey: ['patient_id', 'encounter_id', 'code', 'performed_start', 'procedure_id'],
  optionalKeyFields: ['procedure_id'],
  requiredColumnsAnyOf: [['code'], ['description']],
  knownExtras: [
    'row id', 'icustay id', 'costcenter', 'cpt number', 'cpt suffix', 'sectionheader', 'storetime', 'linkorderid',
    'ordercategoryname', 'secondaryordercategoryname', 'ordercategorydescription', 'isopenbag', 'continueinnextdept',
    'cancelreason', 'comments editedby', 'comments canceledby', 'comments date', 'locationcategory', 'value', 'valueuom',
  ],
  rules: [endAfterStart('procedure.end_before_start', 'performed_start', 'performed_end', 'error', 'a procedure cannot end before it starts')],
  versioning: {
    // The replacement usually has a corrected start: versions are told apart by admission and item only.
    groupBy: ['encounter_id', 'code'],
    orderBy: ['performed_start', 'performed_end'],
    statusField: 'status_text',
    supersededStatuses: ['rewritten'],
  },
  fileNameHints: ['procedure', 'procedures', 'procedures_icd', 'cptevents', 'procedureevents', 'surgeries', 'operations'],
};

import { compareTimes } from '../validate/compare-times.js';
import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, encounterRef, patientRef, systemField } from './define-field.js';

/**
 * Care plans, aligned with FHIR R4 CarePlan (Synthea careplans.csv: Id, START, STOP, PATIENT,
 * ENCOUNTER, CODE, DESCRIPTION, REASONCODE, REASONDESCRIPTION). Choices:
 * - code is the kind of plan (SNOMED CT "Respiratory therapy"): CarePlan.category, as Synthea's
 *   own FHIR export writes it.
 * - Without a status column the status is derived from the period: completed when it has an end
 *   not after the processing date, else active (a plan in a file was made, not drafted).
 * - reason_code/reason_text are the condition the plan addresses. intent is `plan` unless the
 *   source gives another of proposal, plan, order, option.
 * - patient_id is required (CarePlan.subject is 1..1). The natural key is patient + code + start.
 */
export const carePlans: DatasetDefinition = {
  name: 'care_plans',
  description: 'Care plans: kind of plan (code), period, status, the condition addressed.',
  fhirResource: 'CarePlan',
  fields: [
    f('care_plan_id', 'id', 'CarePlan.identifier', ['Id', 'Care Plan ID', 'CarePlan ID', 'Plan ID', 'CAREPLANID']),
    patientRef('CarePlan.subject', true),
    encounterRef('CarePlan.encounter'),
    codeField('code', 'CarePlan.category.coding', ['snomed', 'local'], ['CODE', 'Care Plan Code', 'Plan Code', 'Category Code']),
    systemField('code', 'CarePlan.category.coding.system', ['SYSTEM', 'Code System']),
    f('description', 'text', 'CarePlan.category.text', ['DESCRIPTION', 'Care Plan', 'Care Plan Name', 'Plan', 'Plan Name', 'Title']),
    f('period_start', 'datetime', 'CarePlan.period.start', ['START', 'Start Date', 'Plan Start', 'Created']),
    f('period_end', 'datetime', 'CarePlan.period.end', ['STOP', 'End Date', 'Plan End']),
    f('status', 'coded', 'CarePlan.status', ['Status', 'Care Plan Status', 'Plan Status'], { vocabulary: 'care_plan_status', textField: 'status_text' }),
    f('status_text', 'text', 'CarePlan.note(status)', []),
    f('intent', 'text', 'CarePlan.intent', ['Intent', 'Plan Intent']),
    codeField('reason_code', 'CarePlan.addresses(Condition.code)', ['snomed', 'icd10cm', 'icd9cm'], ['REASONCODE', 'Reason Code']),
    systemField('reason_code', 'CarePlan.addresses(Condition.code.system)'),
    f('reason_text', 'text', 'CarePlan.addresses.display', ['REASONDESCRIPTION', 'Reason', 'Reason Description', 'Indication']),
  ],
  naturalKey: ['patient_id', 'code', 'period_start'],
  requiredColumnsAnyOf: [['code'], ['description']],
  knownExtras: [],
  rules: [endAfterStart('care_plan.end_before_start', 'period_start', 'period_end', 'error', 'a care plan cannot end before it starts')],
  derive(record, ctx) {
    if (record.status || record.status_text) return;
    const end = record.period_end;
    const ended = !!end && (!ctx.referenceDate || compareTimes(end, ctx.referenceDate) <= 0);
    record.status = ended ? 'completed' : 'active';
  },
  fileNameHints: ['careplan', 'careplans', 'care_plan', 'care_plans', 'plans', 'plan'],
};

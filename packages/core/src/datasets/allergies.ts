import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition, FieldDefinition } from './dataset-definition.js';
import { codeField, defineField as f, encounterRef, patientRef, systemField } from './define-field.js';

const reaction = (n: 1 | 2): FieldDefinition[] => [
  codeField(`reaction_${n}_code`, `AllergyIntolerance.reaction[${n - 1}].manifestation.coding`, ['snomed', 'local'], [`REACTION${n}`, `Reaction ${n}`, `Reaction ${n} Code`], {
    systemField: 'reaction_system',
  }),
  f(`reaction_${n}_description`, 'text', `AllergyIntolerance.reaction[${n - 1}].manifestation.text`, [`DESCRIPTION${n}`, `Reaction ${n} Description`]),
  f(`reaction_${n}_severity`, 'coded', `AllergyIntolerance.reaction[${n - 1}].severity`, [`SEVERITY${n}`, `Reaction ${n} Severity`], {
    vocabulary: 'reaction_severity',
  }),
];

/**
 * Allergies and intolerances, aligned with FHIR R4 AllergyIntolerance. Choices:
 * - code is SNOMED CT or RxNorm, as the row's SYSTEM column says (Synthea: `SNOMED-CT`, `RxNorm`),
 *   stored as the FHIR system URI; without that column the format decides.
 * - type, category, criticality and reaction severity map to their required value sets
 *   (allergy/intolerance; food/medication/environment/biologic; low/high/unable-to-assess;
 *   mild/moderate/severe); unknown values are reported and left empty.
 * - Two reactions per row (Synthea's REACTION1/2 with description and severity).
 * - An end (STOP) before the start is an error (allergy.end_before_start).
 */
export const allergies: DatasetDefinition = {
  name: 'allergies',
  description: 'Allergies and intolerances: substance code, type, category, criticality and reactions.',
  fhirResource: 'AllergyIntolerance',
  fields: [
    f('allergy_id', 'id', 'AllergyIntolerance.identifier', ['Allergy ID', 'AllergyIntolerance ID']),
    patientRef('AllergyIntolerance.patient', true),
    encounterRef('AllergyIntolerance.encounter'),
    f('onset_datetime', 'datetime', 'AllergyIntolerance.onsetDateTime', ['START', 'Onset', 'Onset Date', 'Start Date', 'Recorded Date', 'Noted Date']),
    f('end_datetime', 'datetime', 'AllergyIntolerance.extension(end)', ['STOP', 'End Date', 'Resolved Date', 'Inactive Date']),
    codeField('code', 'AllergyIntolerance.code.coding', ['snomed', 'rxnorm', 'local'], ['CODE', 'Allergen Code', 'Substance Code', 'Allergy Code']),
    systemField('code', 'AllergyIntolerance.code.coding.system', ['SYSTEM', 'Code System', 'Coding System']),
    f('description', 'text', 'AllergyIntolerance.code.text', ['DESCRIPTION', 'Allergen', 'Substance', 'Allergy', 'Allergy Name']),
    f('type', 'coded', 'AllergyIntolerance.type', ['TYPE', 'Allergy Type', 'Reaction Type'], { vocabulary: 'allergy_type' }),
    f('category', 'coded', 'AllergyIntolerance.category', ['CATEGORY', 'Allergy Category', 'Allergen Type'], { vocabulary: 'allergy_category' }),
    f('criticality', 'coded', 'AllergyIntolerance.criticality', ['Criticality', 'Risk'], { vocabulary: 'allergy_criticality' }),
    f('clinical_status', 'coded', 'AllergyIntolerance.clinicalStatus', ['Status', 'Clinical Status', 'Allergy Status'], { vocabulary: 'allergy_clinical_status' }),
    ...reaction(1),
    ...reaction(2),
    f('reaction_system', 'code_system', 'AllergyIntolerance.reaction.manifestation.coding.system', []),
  ],
  naturalKey: ['patient_id', 'code'],
  requiredColumnsAnyOf: [['code'], ['description']],
  knownExtras: ['row id'],
  rules: [endAfterStart('allergy.end_before_start', 'onset_datetime', 'end_datetime', 'error', 'an allergy cannot end before it was noted')],
  fileNameHints: ['allergy', 'allergies', 'intolerances', 'allergyintolerance'],
};

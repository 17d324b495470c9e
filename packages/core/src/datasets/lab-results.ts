import type { DatasetDefinition } from './dataset-definition.js';
import { defineField as f } from './define-field.js';
import { OBSERVATION_COLUMNS, OBSERVATION_RULES, observationFields } from './observation-fields.js';

/**
 * Laboratory results, aligned with FHIR R4 Observation (category laboratory). Also the home of
 * mixed observation exports (Synthea observations.csv: laboratory, vital-signs and survey rows
 * under a CATEGORY column): vitals in it still get their conversions and range checks, since
 * those follow the analyte, not the dataset. Choices:
 * - Values: numbers go to value_quantity, converted to the analyte's canonical unit when the
 *   LOINC code or label names one (glucose and cholesterol mg/dL -> mmol/L, creatinine mg/dL ->
 *   umol/L, potassium/sodium/chloride meq/L -> mmol/L), then range-checked (`labs.<name>.range`).
 *   `<0.01` keeps 0.01 with value_comparator `<` (never range-checked: it is a bound); text
 *   results (`NEG`, `1+`, `See Comments`, `NONE`) go to value_text; ranges (`0-2`) too, flagged
 *   number.range_text. None of these reject the row.
 * - Units to UCUM whatever the spelling (`MG/DL`, `mEq/L`, `mm Hg`, `SECONDS`); an empty or blank
 *   unit is empty; a unit the engine does not know is kept with unit.unrecognized.
 * - MIMIC LABEVENTS codes are ITEMIDs (local codes, no system); D_LABITEMS maps them to LOINC,
 *   which a per-job code mapping can apply. Rows without HADM_ID (outpatient labs) are kept and
 *   flagged observation.unattributed when no patient is named either.
 * - interpretation maps flags to v3 ObservationInterpretation (`abnormal` -> A, S/R/I for
 *   susceptibility); MIMIC's directionless `delta` stays as text with a warning.
 * - Microbiology (MIMIC MICROBIOLOGYEVENTS): the antibiotic is the code, the organism
 *   (organism_code, organism) and isolate_number are their own fields. The natural key adds
 *   specimen, organism and isolate to encounter + code + time, as optional key fields: empty for
 *   an ordinary lab, they still tell two susceptibilities of different isolates apart, so only
 *   true duplicates are dropped.
 */
export const labResults: DatasetDefinition = {
  name: 'lab_results',
  description:
    'Laboratory results (and mixed observation exports, microbiology): code, value with unit or text, flags, reference range, organism and isolate. ' +
    'Natural key fields specimen, organism_code and isolate_number may be empty.',
  fhirResource: 'Observation',
  fields: [
    ...observationFields(),
    f('category', 'coded', 'Observation.category', ['CATEGORY', 'Observation Category', 'Result Category'], { vocabulary: 'observation_category', textField: 'category_text' }),
    f('category_text', 'text', 'Observation.category.text', []),
    f('interpretation', 'coded', 'Observation.interpretation', ['FLAG', 'Abnormal Flag', 'Interpretation', 'INTERPRETATION', 'Result Flag', 'Abnormal'], {
      vocabulary: 'observation_interpretation',
      textField: 'interpretation_text',
    }),
    f('interpretation_text', 'text', 'Observation.interpretation.text', []),
    f('reference_range_low', 'decimal', 'Observation.referenceRange.low', ['Reference Low', 'Ref Low', 'Normal Low', 'Range Low', 'Low']),
    f('reference_range_high', 'decimal', 'Observation.referenceRange.high', ['Reference High', 'Ref High', 'Normal High', 'Range High', 'High']),
    f('reference_range_text', 'text', 'Observation.referenceRange.text', ['Reference Range', 'Normal Range', 'Ref Range', 'Reference Interval']),
    f('specimen', 'text', 'Observation.specimen', ['FLUID', 'Specimen', 'Specimen Type', 'SPEC_TYPE_DESC', 'Sample Type', 'Source']),
    f('organism_code', 'id', 'Observation.component(organism).valueCodeableConcept.coding', ['ORG_ITEMID', 'Organism Code', 'Organism ID']),
    f('organism', 'text', 'Observation.component(organism).valueCodeableConcept.text', ['ORG_NAME', 'Organism', 'Organism Name', 'Microorganism']),
    f('isolate_number', 'integer', 'Observation.component(isolate).valueInteger', ['ISOLATE_NUM', 'Isolate', 'Isolate Number']),
  ],
  // A susceptibility result is one antibiotic tested on one isolate of one organism from one
  // specimen: rows sharing encounter, antibiotic and time but not these are different results.
  naturalKey: ['encounter_id', 'code', 'effective_datetime', 'specimen', 'organism_code', 'isolate_number'],
  optionalKeyFields: ['specimen', 'organism_code', 'isolate_number'],
  requiredColumnsAnyOf: OBSERVATION_COLUMNS,
  knownExtras: [
    'type', 'row id', 'valuenum', 'cgid', 'warning', 'error', 'stopped', 'icustay id', 'chartdate', 'spec itemid',
    'dilution value', 'storetime',
  ],
  rules: [
    ...OBSERVATION_RULES,
    {
      rule: 'observation.reference_range_inverted',
      severity: 'warning',
      field: 'reference_range_high',
      message: 'reference_range_high is below reference_range_low',
      violated: (r) =>
        r.reference_range_low != null && r.reference_range_high != null && Number(r.reference_range_high) < Number(r.reference_range_low),
    },
  ],
  fileNameHints: ['lab', 'labs', 'labevents', 'laboratory', 'results', 'observations', 'microbiologyevents', 'datetimeevents'],
};

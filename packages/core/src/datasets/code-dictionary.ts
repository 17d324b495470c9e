import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, systemField } from './define-field.js';

/**
 * Code dictionaries: a site's local codes with their labels, aligned with FHIR R4 CodeSystem
 * concepts (code, display, properties) and ConceptMap elements (the standard code a local one
 * maps to). MIMIC D_ITEMS (ITEMID, LABEL, ABBREVIATION, DBSOURCE, LINKSTO, CATEGORY, UNITNAME,
 * PARAM_TYPE, CONCEPTID) and D_LABITEMS (ITEMID, LABEL, FLUID, CATEGORY, LOINC_CODE) fit here.
 * Choices:
 * - code is kept exactly as written (a local code: no system, no reformatting).
 * - source_system is the system the code belongs to (MIMIC's DBSOURCE: carevue, metavision,
 *   hospital); with the code it is the natural key. It may be empty (D_LABITEMS has no
 *   DBSOURCE): the code alone is then the key.
 * - target_code is a standard code the local code maps to (D_LABITEMS' LOINC_CODE), checked and
 *   normalized like any LOINC/SNOMED CT code; a per-job code mapping can be built from this file.
 * - unit is normalized to UCUM like any unit column (unknown spellings kept, unit.unrecognized).
 * - No FHIR resource per row: a dictionary is one CodeSystem (and one ConceptMap) as a whole,
 *   and a row is only one concept of it; FHIR output skips the rows (the job's report counts
 *   them), and the harmonized CSV/NDJSON are the dictionary.
 */
export const codeDictionary: DatasetDefinition = {
  name: 'code_dictionary',
  description:
    'Local code dictionaries: code, label, category, unit, specimen and the standard code it maps to (no FHIR output per row). ' +
    'Natural key field source_system may be empty.',
  fhirResource: 'CodeSystem',
  fields: [
    f('source_system', 'text', 'CodeSystem.url', ['DBSOURCE', 'Source System', 'Code Source', 'Local System', 'Dictionary', 'Vocabulary']),
    f('code', 'id', 'CodeSystem.concept.code', ['ITEMID', 'Item ID', 'Local Code', 'Code', 'CODE', 'Item Code', 'Concept Code', 'Source Code'], { required: true }),
    f('display', 'text', 'CodeSystem.concept.display', ['LABEL', 'Label', 'Display', 'Display Name', 'Item Name', 'Code Description', 'Long Name', 'Name']),
    f('abbreviation', 'text', 'CodeSystem.concept.designation', ['ABBREVIATION', 'Abbreviation', 'Short Name', 'Short Label']),
    f('category', 'text', 'CodeSystem.concept.property(category)', ['CATEGORY', 'Category', 'Group', 'Class']),
    f('unit', 'unit', 'CodeSystem.concept.property(unit)', ['UNITNAME', 'Unit', 'Units', 'UOM', 'Unit Name', 'Unit of Measure']),
    f('specimen', 'text', 'CodeSystem.concept.property(specimen)', ['FLUID', 'Specimen', 'Specimen Type', 'Fluid']),
    f('linked_table', 'text', 'CodeSystem.concept.property(linksTo)', ['LINKSTO', 'Links To', 'Table', 'Used In']),
    f('value_type', 'text', 'CodeSystem.concept.property(valueType)', ['PARAM_TYPE', 'Value Type', 'Data Type', 'Param Type']),
    codeField('target_code', 'ConceptMap.group.element.target.code', ['loinc', 'snomed', 'local'], [
      'LOINC_CODE', 'LOINC', 'LOINC Code', 'Standard Code', 'Target Code', 'Mapped Code', 'SNOMED Code',
    ]),
    systemField('target_code', 'ConceptMap.group.target', ['Target System', 'Standard System']),
    f('concept_id', 'id', 'ConceptMap.group.element.target(omop).code', ['CONCEPTID', 'Concept ID', 'OMOP Concept ID', 'Standard Concept ID']),
  ],
  naturalKey: ['source_system', 'code'],
  optionalKeyFields: ['source_system'],
  requiredColumnsAnyOf: [['display'], ['target_code']],
  knownExtras: ['row id'],
  rules: [],
  fileNameHints: ['d_items', 'd_labitems', 'dictionary', 'dictionaries', 'codebook', 'item_dictionary', 'codes', 'code_list', 'items', 'labitems'],
};

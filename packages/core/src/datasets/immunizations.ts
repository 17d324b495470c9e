import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, encounterRef, patientRef, systemField } from './define-field.js';

/**
 * Immunizations, aligned with FHIR R4 Immunization. Choices:
 * - vaccine_code is CVX first (Synthea), keeping its leading zero: `08` stays 08, and a one-digit
 *   `8` becomes 08 with cvx.leading_zero_restored; NDC and SNOMED CT codes are accepted too.
 * - status maps to the required value set (completed, entered-in-error, not-done); a file
 *   without a status column leaves it empty (FHIR output may default it to completed).
 * - patient_id and occurrence_datetime matter: the patient is required (Immunization.patient is
 *   1..1); the natural key is patient + vaccine + date.
 */
export const immunizations: DatasetDefinition = {
  name: 'immunizations',
  description: 'Vaccines given: CVX code, date, lot, status, route and site.',
  fhirResource: 'Immunization',
  fields: [
    f('immunization_id', 'id', 'Immunization.identifier', ['Immunization ID', 'Vaccination ID', 'Shot ID']),
    patientRef('Immunization.patient', true),
    encounterRef('Immunization.encounter'),
    f('occurrence_datetime', 'datetime', 'Immunization.occurrenceDateTime', [
      'DATE', 'Date Administered', 'Administration Date', 'Vaccination Date', 'Date Given', 'Immunization Date', 'Given Date',
    ]),
    codeField('vaccine_code', 'Immunization.vaccineCode.coding', ['cvx', 'ndc', 'snomed'], [
      'CODE', 'CVX', 'CVX Code', 'Vaccine Code', 'Vaccine CVX', 'Immunization Code',
    ]),
    systemField('vaccine_code', 'Immunization.vaccineCode.coding.system', ['SYSTEM', 'Code System']),
    f('description', 'text', 'Immunization.vaccineCode.text', ['DESCRIPTION', 'Vaccine', 'Vaccine Name', 'Immunization', 'Immunization Name']),
    f('status', 'coded', 'Immunization.status', ['Status', 'Immunization Status', 'Completion Status'], { vocabulary: 'immunization_status' }),
    f('lot_number', 'text', 'Immunization.lotNumber', ['Lot', 'Lot Number', 'Lot No', 'Vaccine Lot']),
    f('expiration_date', 'date', 'Immunization.expirationDate', ['Expiration Date', 'Expiry Date', 'Lot Expiration']),
    f('manufacturer', 'text', 'Immunization.manufacturer', ['Manufacturer', 'MVX', 'Vaccine Manufacturer']),
    f('route', 'coded', 'Immunization.route', ['Route', 'Route of Administration'], { vocabulary: 'route', textField: 'route_text' }),
    f('route_text', 'text', 'Immunization.route.text', []),
    f('site', 'text', 'Immunization.site', ['Site', 'Body Site', 'Injection Site']),
    f('dose_quantity', 'quantity', 'Immunization.doseQuantity', ['Dose', 'Dose Amount', 'Dose Quantity'], { unitField: 'dose_unit' }),
    f('dose_unit', 'unit', 'Immunization.doseQuantity.code', ['Dose Unit', 'Dose UOM']),
    f('performer_id', 'id', 'Immunization.performer.actor', ['Performer', 'Administered By', 'Provider ID', 'Vaccinator']),
    f('cost', 'decimal', 'Immunization.extension(cost)', ['BASE_COST', 'Cost']),
  ],
  naturalKey: ['patient_id', 'vaccine_code', 'occurrence_datetime'],
  requiredColumnsAnyOf: [['vaccine_code'], ['description']],
  knownExtras: ['row id'],
  rules: [],
  fileNameHints: ['immunization', 'immunizations', 'vaccination', 'vaccinations', 'vaccines', 'shots'],
};

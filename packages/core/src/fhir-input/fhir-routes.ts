import type { JsonObject } from '../formats/parse-json-document.js';
import { extractAllergy } from './extract-allergy.js';
import { extractAppointment } from './extract-appointment.js';
import { extractCarePlan } from './extract-care-plan.js';
import { extractClaim } from './extract-claim.js';
import { extractCondition } from './extract-condition.js';
import { extractCoverage } from './extract-coverage.js';
import { extractDevice } from './extract-device.js';
import { extractOrganization, extractPractitioner, extractPractitionerRole } from './extract-directory.js';
import { extractEncounter } from './extract-encounter.js';
import { extractImagingStudy } from './extract-imaging-study.js';
import { extractImmunization } from './extract-immunization.js';
import { extractLocation } from './extract-location.js';
import { extractMedicationAdministration, extractMedicationRequest } from './extract-medication.js';
import { extractLabResult, extractVitalSign, isVitalSign } from './extract-observation.js';
import { extractPatient } from './extract-patient.js';
import { extractProcedure } from './extract-procedure.js';
import { extractSupplyDelivery } from './extract-supply-delivery.js';
import type { FhirExtractor } from './fhir-extractor.js';
import type { ReferenceResolver } from './reference-resolver.js';
import { lookupTable } from '../lookup-table.js';

/** One flat record and the dataset it belongs to (a name the registry may not have: then it is skipped). */
export interface ExtractedRecord {
  dataset: string;
  record: Record<string, string | null>;
}

/** What one resource type yields: usually one record, a Claim one per item besides. */
export type FhirRoute = (resource: JsonObject, refs: ReferenceResolver) => ExtractedRecord[];

const to =
  (dataset: string, extract: FhirExtractor): FhirRoute =>
  (resource, refs) => [{ dataset, record: extract(resource, refs) }];

/** resourceType -> records. Types not listed (ExplanationOfBenefit, DiagnosticReport, Provenance...) are skipped and counted. */
export const FHIR_ROUTES: Readonly<Record<string, FhirRoute>> = lookupTable({
  Patient: to('patients', extractPatient),
  Encounter: to('encounters', extractEncounter),
  Observation: (resource, refs) =>
    isVitalSign(resource)
      ? [{ dataset: 'vital_signs', record: extractVitalSign(resource, refs) }]
      : [{ dataset: 'lab_results', record: extractLabResult(resource, refs) }],
  Condition: to('conditions', extractCondition),
  Procedure: to('procedures', extractProcedure),
  MedicationRequest: to('medications', extractMedicationRequest),
  MedicationAdministration: to('medications', extractMedicationAdministration),
  Immunization: to('immunizations', extractImmunization),
  AllergyIntolerance: to('allergies', extractAllergy),
  Appointment: to('appointments', extractAppointment),
  Claim: (resource, refs) => {
    const { claim, lines } = extractClaim(resource, refs);
    return [{ dataset: 'claims', record: claim }, ...lines.map((record) => ({ dataset: 'claim_lines', record }))];
  },
  Practitioner: to('practitioners', extractPractitioner),
  PractitionerRole: to('practitioners', extractPractitionerRole),
  Organization: to('organizations', extractOrganization),
  Coverage: to('coverage', extractCoverage),
  Device: to('devices', extractDevice),
  Location: to('locations', extractLocation),
  CarePlan: to('care_plans', extractCarePlan),
  SupplyDelivery: to('supplies', extractSupplyDelivery),
  ImagingStudy: (resource, refs) => extractImagingStudy(resource, refs).map((record) => ({ dataset: 'imaging_studies', record })),
});

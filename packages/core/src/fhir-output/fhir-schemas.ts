import {
  AppointmentSchema, ClaimResponseSchema, ClaimSchema, MedicationSchema, OrganizationSchema, PractitionerRoleSchema, PractitionerSchema,
} from './admin-resource-schemas.js';
import {
  AllergyIntoleranceSchema, ImmunizationSchema, MedicationAdministrationSchema, MedicationRequestSchema, ProcedureSchema,
} from './care-resource-schemas.js';
import { ConditionSchema, EncounterSchema, ObservationSchema } from './clinical-resource-schemas.js';
import { OperationOutcomeSchema, PatientSchema } from './fhir-resource-schemas.js';
import {
  CarePlanSchema, CoverageSchema, DeviceSchema, ImagingStudySchema, LocationSchema, MeasureReportSchema, SupplyDeliverySchema,
} from './support-resource-schemas.js';

/**
 * Every resource type the service writes -> a JSON Schema (2020-12) of it: required elements,
 * required-binding codes, primitive formats, the invariants that bite, and no unknown elements.
 * Tests run each generated resource through these; any JSON Schema validator can use them too.
 */
export const FHIR_RESOURCE_SCHEMAS: Readonly<Record<string, Record<string, unknown>>> = {
  Patient: PatientSchema,
  Encounter: EncounterSchema,
  Observation: ObservationSchema,
  Condition: ConditionSchema,
  Procedure: ProcedureSchema,
  MedicationRequest: MedicationRequestSchema,
  MedicationAdministration: MedicationAdministrationSchema,
  Medication: MedicationSchema,
  Immunization: ImmunizationSchema,
  AllergyIntolerance: AllergyIntoleranceSchema,
  Appointment: AppointmentSchema,
  Claim: ClaimSchema,
  ClaimResponse: ClaimResponseSchema,
  Practitioner: PractitionerSchema,
  PractitionerRole: PractitionerRoleSchema,
  Organization: OrganizationSchema,
  Coverage: CoverageSchema,
  MeasureReport: MeasureReportSchema,
  Device: DeviceSchema,
  Location: LocationSchema,
  CarePlan: CarePlanSchema,
  SupplyDelivery: SupplyDeliverySchema,
  ImagingStudy: ImagingStudySchema,
  OperationOutcome: OperationOutcomeSchema,
};

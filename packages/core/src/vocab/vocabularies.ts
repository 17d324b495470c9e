import { allergyCategory, allergyClinicalStatus, allergyCriticality, allergyType, appointmentStatus, conditionClinicalStatus, observationCategory, observationInterpretation, observationStatus, reactionSeverity } from './care-vocabularies.js';
import { encounterClass, encounterPriority, encounterStatus, maritalStatus } from './encounter-vocabularies.js';
import { immunizationStatus, medicationStatus, procedureStatus, route } from './medication-vocabularies.js';
import { carePlanStatus, deviceStatus, locationStatus, subscriberRelationship, supplyDeliveryStatus } from './resource-status-vocabularies.js';
import { buildLookup, normalizeTerm, type Vocabulary } from './vocabulary.js';

/** Every vocabulary a `coded` field can name; the name is also the prefix of its `.unknown` rule. */
export const VOCABULARIES = {
  marital_status: maritalStatus,
  encounter_class: encounterClass,
  encounter_status: encounterStatus,
  encounter_priority: encounterPriority,
  appointment_status: appointmentStatus,
  route,
  medication_status: medicationStatus,
  procedure_status: procedureStatus,
  immunization_status: immunizationStatus,
  allergy_category: allergyCategory,
  allergy_criticality: allergyCriticality,
  allergy_type: allergyType,
  allergy_clinical_status: allergyClinicalStatus,
  reaction_severity: reactionSeverity,
  condition_clinical_status: conditionClinicalStatus,
  observation_status: observationStatus,
  observation_category: observationCategory,
  observation_interpretation: observationInterpretation,
  device_status: deviceStatus,
  location_status: locationStatus,
  care_plan_status: carePlanStatus,
  supply_delivery_status: supplyDeliveryStatus,
  subscriber_relationship: subscriberRelationship,
} as const satisfies Record<string, Vocabulary>;

export type VocabularyName = keyof typeof VOCABULARIES;
export const VOCABULARY_NAMES = Object.keys(VOCABULARIES) as VocabularyName[];

const lookups = new Map<VocabularyName, ReadonlyMap<string, string>>();

/** The vocabulary's code for a source spelling, or null when it is not one of them. */
export function lookupTerm(name: VocabularyName, raw: string): string | null {
  let lookup = lookups.get(name);
  if (!lookup) {
    lookup = buildLookup(VOCABULARIES[name]);
    lookups.set(name, lookup);
  }
  return lookup.get(normalizeTerm(raw)) ?? null;
}

import { describe, expect, it } from 'vitest';
import { buildLookup } from './vocabulary.js';
import { lookupTerm, VOCABULARIES, VOCABULARY_NAMES, type VocabularyName } from './vocabularies.js';

// Spellings from Synthea (ENCOUNTERCLASS, MARITAL, allergies), MIMIC-III demo (ROUTE,
// MARITAL_STATUS, ADMISSION_TYPE, STATUSDESCRIPTION) and the Kaggle no-show header's meaning.
describe('lookupTerm', () => {
  it.each<[VocabularyName, string, string | null]>([
    ['marital_status', 'M', 'M'],
    ['marital_status', 'MARRIED', 'M'],
    ['marital_status', 'SINGLE', 'S'],
    ['marital_status', 'LIFE PARTNER', 'T'],
    ['marital_status', 'UNKNOWN (DEFAULT)', 'UNK'],
    ['encounter_class', 'wellness', 'AMB'],
    ['encounter_class', 'ambulatory', 'AMB'],
    ['encounter_class', 'outpatient', 'AMB'],
    ['encounter_class', 'urgentcare', 'AMB'],
    ['encounter_class', 'emergency', 'EMER'],
    ['encounter_class', 'inpatient', 'IMP'],
    ['encounter_class', 'home', 'HH'],
    ['encounter_class', 'virtual', 'VR'],
    ['encounter_class', 'snf', 'NONAC'],
    ['encounter_priority', 'EMERGENCY', 'EM'],
    ['encounter_priority', 'ELECTIVE', 'EL'],
    ['encounter_priority', 'NEWBORN', null],
    ['appointment_status', 'No Show', 'noshow'],
    ['appointment_status', 'Attended', 'fulfilled'],
    ['appointment_status', 'canceled', 'cancelled'],
    ['appointment_status', 'Checked In', 'checked-in'],
    ['route', 'PO', '26643006'],
    ['route', 'ORAL', '26643006'],
    ['route', 'PO/NG', '26643006'],
    ['route', 'IV', '47625008'],
    ['route', 'IV DRIP', '47625008'],
    ['route', 'IV BOLUS', '47625008'],
    ['route', 'SC', '34206005'],
    ['route', 'SUBCUT', '34206005'],
    ['route', 'IH', '447694001'],
    ['route', 'NG', '127492001'],
    ['route', 'BOTH EYES', '54485002'],
    ['route', 'DIALYS', null],
    ['allergy_category', 'environment', 'environment'],
    ['allergy_category', 'drug', 'medication'],
    ['allergy_criticality', 'HIGH', 'high'],
    ['allergy_type', 'intolerance', 'intolerance'],
    ['reaction_severity', 'MODERATE', 'moderate'],
    ['immunization_status', 'completed', 'completed'],
    ['immunization_status', 'Refused', 'not-done'],
    ['medication_status', 'FinishedRunning', 'completed'],
    ['medication_status', 'Rewritten', 'entered-in-error'],
    ['medication_status', 'Paused', 'on-hold'],
    ['procedure_status', 'Stopped', 'stopped'],
    ['observation_interpretation', 'abnormal', 'A'],
    ['observation_interpretation', 'delta', null],
    ['device_status', 'Explanted', 'inactive'],
    ['location_status', 'Temporarily closed', 'suspended'],
    ['care_plan_status', 'In Progress', 'active'],
    ['supply_delivery_status', 'Delivered', 'completed'],
    ['subscriber_relationship', '18', 'self'],
    ['subscriber_relationship', 'Dependent', 'child'],
    ['subscriber_relationship', 'Guardian', null],
    ['observation_category', 'vital-signs', 'vital-signs'],
  ])('%s maps %j to %j', (name, raw, code) => expect(lookupTerm(name, raw)).toBe(code));

  it('builds every vocabulary: each alias names one of its codes', () => {
    for (const name of VOCABULARY_NAMES) expect(() => buildLookup(VOCABULARIES[name]), name).not.toThrow();
  });

  it('ignores case, spaces and punctuation but not meaning', () => {
    expect(lookupTerm('route', ' iv-drip ')).toBe('47625008');
    expect(lookupTerm('appointment_status', 'NO-SHOW')).toBe('noshow');
    expect(lookupTerm('appointment_status', 'maybe')).toBeNull();
  });
});

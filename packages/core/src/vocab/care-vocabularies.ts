import type { Vocabulary } from './vocabulary.js';

/** Appointment.status (required binding, R4 appointmentstatus). */
export const appointmentStatus: Vocabulary = {
  system: 'http://hl7.org/fhir/appointmentstatus',
  codes: {
    proposed: 'Proposed', pending: 'Pending', booked: 'Booked', arrived: 'Arrived', fulfilled: 'Fulfilled',
    cancelled: 'Cancelled', noshow: 'No Show', 'entered-in-error': 'Entered in error', 'checked-in': 'Checked In',
    waitlist: 'Waitlisted',
  },
  aliases: {
    scheduled: 'booked', confirmed: 'booked', attended: 'fulfilled', completed: 'fulfilled', complete: 'fulfilled',
    seen: 'fulfilled', kept: 'fulfilled', 'no-show': 'noshow', 'no show': 'noshow', dna: 'noshow',
    'did not attend': 'noshow', missed: 'noshow', canceled: 'cancelled', 'checked in': 'checked-in',
    waitlisted: 'waitlist', tentative: 'pending', requested: 'proposed', error: 'entered-in-error',
  },
};

/** AllergyIntolerance.category (required binding). Synthea writes these codes. */
export const allergyCategory: Vocabulary = {
  system: 'http://hl7.org/fhir/allergy-intolerance-category',
  codes: { food: 'Food', medication: 'Medication', environment: 'Environment', biologic: 'Biologic' },
  aliases: { drug: 'medication', drugs: 'medication', med: 'medication', environmental: 'environment', biological: 'biologic' },
};

/** AllergyIntolerance.criticality (required binding). */
export const allergyCriticality: Vocabulary = {
  system: 'http://hl7.org/fhir/allergy-intolerance-criticality',
  codes: { low: 'Low Risk', high: 'High Risk', 'unable-to-assess': 'Unable to Assess Risk' },
  aliases: { l: 'low', h: 'high', mild: 'low', severe: 'high', unknown: 'unable-to-assess' },
};

/** AllergyIntolerance.type (required binding). */
export const allergyType: Vocabulary = {
  system: 'http://hl7.org/fhir/allergy-intolerance-type',
  codes: { allergy: 'Allergy', intolerance: 'Intolerance' },
  aliases: { allergic: 'allergy', sensitivity: 'intolerance' },
};

/** AllergyIntolerance.clinicalStatus (allergyintolerance-clinical). */
export const allergyClinicalStatus: Vocabulary = {
  system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  codes: { active: 'Active', inactive: 'Inactive', resolved: 'Resolved' },
  aliases: { current: 'active', historical: 'inactive' },
};

/** AllergyIntolerance.reaction.severity (required binding). */
export const reactionSeverity: Vocabulary = {
  system: 'http://hl7.org/fhir/reaction-event-severity',
  codes: { mild: 'Mild', moderate: 'Moderate', severe: 'Severe' },
  aliases: { mod: 'moderate', sev: 'severe', low: 'mild', high: 'severe' },
};

/** Condition.clinicalStatus (condition-clinical). */
export const conditionClinicalStatus: Vocabulary = {
  system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  codes: {
    active: 'Active', recurrence: 'Recurrence', relapse: 'Relapse', inactive: 'Inactive', remission: 'Remission',
    resolved: 'Resolved',
  },
  aliases: { current: 'active', chronic: 'active', historical: 'inactive', 'in remission': 'remission', cured: 'resolved' },
};

/** Observation.status (required binding). */
export const observationStatus: Vocabulary = {
  system: 'http://hl7.org/fhir/observation-status',
  codes: {
    registered: 'Registered', preliminary: 'Preliminary', final: 'Final', amended: 'Amended', corrected: 'Corrected',
    cancelled: 'Cancelled', 'entered-in-error': 'Entered in Error', unknown: 'Unknown',
  },
  aliases: { f: 'final', p: 'preliminary', c: 'corrected', a: 'amended', canceled: 'cancelled', complete: 'final', resulted: 'final' },
};

/** Observation.category (observation-category). Synthea's CATEGORY holds these codes. */
export const observationCategory: Vocabulary = {
  system: 'http://terminology.hl7.org/CodeSystem/observation-category',
  codes: {
    'social-history': 'Social History', 'vital-signs': 'Vital Signs', imaging: 'Imaging', laboratory: 'Laboratory',
    procedure: 'Procedure', survey: 'Survey', exam: 'Exam', therapy: 'Therapy', activity: 'Activity',
  },
  aliases: { vitals: 'vital-signs', lab: 'laboratory', labs: 'laboratory', 'blood gas': 'laboratory', hematology: 'laboratory', chemistry: 'laboratory' },
};

/**
 * Observation.interpretation: HL7 v3 ObservationInterpretation. MIMIC FLAG writes `abnormal`
 * and `delta`; delta-check flags have no direction, so `delta` is reported as unknown and kept
 * as text. Microbiology susceptibility (S, R, I) is in the same code system.
 */
export const observationInterpretation: Vocabulary = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  codes: {
    N: 'Normal', A: 'Abnormal', AA: 'Critical abnormal', H: 'High', HH: 'Critical high', L: 'Low',
    LL: 'Critical low', POS: 'Positive', NEG: 'Negative', S: 'Susceptible', R: 'Resistant', I: 'Intermediate',
  },
  aliases: {
    normal: 'N', abnormal: 'A', abn: 'A', high: 'H', low: 'L', 'critical high': 'HH', 'critical low': 'LL',
    critical: 'AA', 'panic high': 'HH', 'panic low': 'LL', positive: 'POS', negative: 'NEG', susceptible: 'S',
    sensitive: 'S', resistant: 'R', intermediate: 'I',
  },
};

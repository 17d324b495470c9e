import type { Vocabulary } from './vocabulary.js';

/** Encounter.class: HL7 v3 ActCode (the R4 binding). Synthea writes its own class names. */
export const encounterClass: Vocabulary = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  codes: {
    AMB: 'ambulatory', EMER: 'emergency', FLD: 'field', HH: 'home health', IMP: 'inpatient encounter',
    ACUTE: 'inpatient acute', NONAC: 'inpatient non-acute', OBSENC: 'observation encounter',
    PRENC: 'pre-admission', SS: 'short stay', VR: 'virtual',
  },
  aliases: {
    outpatient: 'AMB', wellness: 'AMB', urgentcare: 'AMB', 'urgent care': 'AMB', clinic: 'AMB', office: 'AMB',
    op: 'AMB', emergency: 'EMER', er: 'EMER', ed: 'EMER', 'emergency room': 'EMER', inpatient: 'IMP', ip: 'IMP',
    admitted: 'IMP', home: 'HH', 'home health': 'HH', hospice: 'HH', virtual: 'VR', telehealth: 'VR',
    telemedicine: 'VR', observation: 'OBSENC', 'short stay': 'SS', 'day case': 'SS', 'day surgery': 'SS',
    snf: 'NONAC', 'skilled nursing': 'NONAC', 'non-acute': 'NONAC', acute: 'ACUTE', preadmission: 'PRENC',
  },
};

/** Encounter.status (required binding, R4 encounter-status). */
export const encounterStatus: Vocabulary = {
  system: 'http://hl7.org/fhir/encounter-status',
  codes: {
    planned: 'Planned', arrived: 'Arrived', triaged: 'Triaged', 'in-progress': 'In Progress', onleave: 'On Leave',
    finished: 'Finished', cancelled: 'Cancelled', 'entered-in-error': 'Entered in Error', unknown: 'Unknown',
  },
  aliases: {
    completed: 'finished', complete: 'finished', discharged: 'finished', closed: 'finished', done: 'finished',
    active: 'in-progress', admitted: 'in-progress', open: 'in-progress', canceled: 'cancelled',
    scheduled: 'planned', booked: 'planned', 'on leave': 'onleave', error: 'entered-in-error',
  },
};

/** Encounter.priority: HL7 v3 ActPriority; MIMIC's ADMISSION_TYPE says how urgent the admission was. */
export const encounterPriority: Vocabulary = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActPriority',
  codes: { EM: 'emergency', UR: 'urgent', EL: 'elective', R: 'routine', A: 'ASAP', S: 'stat' },
  aliases: { emergent: 'EM', emer: 'EM', trauma: 'EM', 'trauma center': 'EM', urg: 'UR', elect: 'EL' },
};

/** Patient.maritalStatus: HL7 v3 MaritalStatus (UNK from v3 NullFlavor, as the R4 value set does). */
export const maritalStatus: Vocabulary = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
  codes: {
    A: 'Annulled', D: 'Divorced', I: 'Interlocutory', L: 'Legally Separated', M: 'Married', C: 'Common Law',
    P: 'Polygamous', T: 'Domestic partner', U: 'unmarried', S: 'Never Married', W: 'Widowed', UNK: 'unknown',
  },
  aliases: {
    single: 'S', 'never married': 'S', separated: 'L', widow: 'W', widower: 'W', 'life partner': 'T',
    partner: 'T', 'civil union': 'T', 'common-law': 'C', unknown: 'UNK', 'unknown (default)': 'UNK',
  },
};

import type { Vocabulary } from './vocabulary.js';

/**
 * Route of administration: SNOMED CT route codes (the R4 example binding, descendants of
 * 284009009). MIMIC PRESCRIPTIONS writes abbreviations (PO, IV DRIP, SC, IH, PR, TP, NG, OU...).
 * Ambiguous ones are mapped to the route the drug reaches: PO/NG is oral (the tube is optional),
 * NG/OG nasogastric, eye abbreviations (OU, OD, OS) ophthalmic, PB (IV piggyback) intravenous.
 * MIMIC's DIALYS, DWELL, REPLACE, ED, NU and IJ name no SNOMED route: reported as unknown.
 */
export const route: Vocabulary = {
  system: 'http://snomed.info/sct',
  codes: {
    '26643006': 'Oral route', '47625008': 'Intravenous route', '78421000': 'Intramuscular route',
    '34206005': 'Subcutaneous route', '6064005': 'Topical route', '37839007': 'Sublingual route',
    '37161004': 'Rectal route', '46713006': 'Nasal route', '45890007': 'Transdermal route',
    '54485002': 'Ophthalmic route', '10547007': 'Otic route', '16857009': 'Vaginal route',
    '127492001': 'Nasogastric route', '418441008': 'Orogastric route', '127490009': 'Gastrostomy route',
    '127491008': 'Jejunostomy route', '447694001': 'Respiratory tract route', '72607000': 'Intrathecal route',
    '372464004': 'Intradermal route', '58100008': 'Intra-arterial route', '12130007': 'Intra-articular route',
    '54471007': 'Buccal route', '404820008': 'Epidural route', '38239002': 'Intraperitoneal route',
    '417985001': 'Enteral route', '90028008': 'Urethral route', '372471009': 'Intravesical route',
  },
  aliases: {
    po: '26643006', oral: '26643006', 'by mouth': '26643006', orally: '26643006', 'po/ng': '26643006',
    iv: '47625008', intravenous: '47625008', 'iv drip': '47625008', 'iv bolus': '47625008', ivpb: '47625008',
    ivpca: '47625008', pb: '47625008', ivpiggyback: '47625008', 'iv push': '47625008', ivp: '47625008', 'iv infusion': '47625008', im: '78421000',
    sc: '34206005', sq: '34206005', subq: '34206005', subcut: '34206005', 'sub-q': '34206005',
    tp: '6064005', top: '6064005', topical: '6064005', sl: '37839007', pr: '37161004', rectal: '37161004',
    nas: '46713006', nasal: '46713006', intranasal: '46713006', td: '45890007', 'transdermal patch': '45890007',
    ou: '54485002', od: '54485002', os: '54485002', 'both eyes': '54485002', 'right eye': '54485002',
    'left eye': '54485002', eye: '54485002', ophth: '54485002', au: '10547007', ad: '10547007', ear: '10547007',
    'both ears': '10547007', pv: '16857009', vg: '16857009', vaginal: '16857009', ng: '127492001', 'ng/og': '127492001',
    og: '418441008', 'g tube': '127490009', gt: '127490009', peg: '127490009', 'j tube': '127491008',
    ih: '447694001', inh: '447694001', inhalation: '447694001', inhaled: '447694001', neb: '447694001',
    nebulized: '447694001', it: '72607000', intrathecal: '72607000', id: '372464004', ia: '58100008',
    'intra-arterial': '58100008', buccal: '54471007', epidural: '404820008', ip: '38239002', enteral: '417985001',
    bladder: '372471009',
  },
};

/**
 * Medication status: one vocabulary for orders (MedicationRequest) and administrations
 * (MedicationAdministration); the codes are those the two R4 value sets share or either needs.
 * MIMIC INPUTEVENTS_MV statuses: FinishedRunning -> completed, Stopped -> stopped, Paused ->
 * on-hold, Flushed -> completed, Changed -> completed (that segment ran until the change),
 * Rewritten -> entered-in-error (the entry was replaced). Which rows a newer version supersedes
 * is decided from the status as written (status_text), see medications.ts.
 */
export const medicationStatus: Vocabulary = {
  system: 'http://hl7.org/fhir/CodeSystem/medication-admin-status',
  codes: {
    active: 'Active', 'in-progress': 'In Progress', 'not-done': 'Not Done', 'on-hold': 'On Hold',
    completed: 'Completed', 'entered-in-error': 'Entered in Error', stopped: 'Stopped', cancelled: 'Cancelled',
    draft: 'Draft', unknown: 'Unknown',
  },
  aliases: {
    finishedrunning: 'completed', finished: 'completed', flushed: 'completed', changed: 'completed',
    given: 'completed', administered: 'completed', done: 'completed', rewritten: 'entered-in-error',
    error: 'entered-in-error', paused: 'on-hold', held: 'on-hold', hold: 'on-hold', running: 'in-progress',
    discontinued: 'stopped', dc: 'stopped', canceled: 'cancelled', 'not given': 'not-done', refused: 'not-done',
    ordered: 'active', pending: 'draft',
  },
};

/** Procedure.status (required binding, R4 event-status). */
export const procedureStatus: Vocabulary = {
  system: 'http://hl7.org/fhir/event-status',
  codes: {
    preparation: 'Preparation', 'in-progress': 'In Progress', 'not-done': 'Not Done', 'on-hold': 'On Hold',
    stopped: 'Stopped', completed: 'Completed', 'entered-in-error': 'Entered in Error', unknown: 'Unknown',
  },
  aliases: {
    finishedrunning: 'completed', finished: 'completed', done: 'completed', performed: 'completed',
    paused: 'on-hold', rewritten: 'entered-in-error', changed: 'completed', cancelled: 'not-done',
    canceled: 'not-done', running: 'in-progress',
  },
};

/** Immunization.status (required binding, R4 immunization-status). */
export const immunizationStatus: Vocabulary = {
  system: 'http://hl7.org/fhir/event-status',
  codes: { completed: 'Completed', 'entered-in-error': 'Entered in Error', 'not-done': 'Not Done' },
  aliases: {
    given: 'completed', administered: 'completed', complete: 'completed', done: 'completed', cp: 'completed',
    refused: 'not-done', declined: 'not-done', 'not given': 'not-done', re: 'not-done',
    error: 'entered-in-error', deleted: 'entered-in-error',
  },
};

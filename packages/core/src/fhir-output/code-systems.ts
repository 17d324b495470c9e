import { lookupTable } from '../lookup-table.js';

/**
 * Code system names as files and the engine spell them -> the canonical FHIR system URI
 * (terminology.hl7.org "external terminologies" list). Keys are lower-cased with spaces,
 * dashes, dots and underscores removed.
 */
const SYSTEM_URIS: Readonly<Record<string, string>> = lookupTable({
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  snomedct: 'http://snomed.info/sct',
  sct: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  icd9cm: 'http://hl7.org/fhir/sid/icd-9-cm',
  icd9: 'http://hl7.org/fhir/sid/icd-9-cm',
  icd10pcs: 'http://www.cms.gov/Medicare/Coding/ICD10',
  icd9proc: 'http://hl7.org/fhir/sid/icd-9-cm',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ndc: 'http://hl7.org/fhir/sid/ndc',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  ucum: 'http://unitsofmeasure.org',
  drg: 'https://www.cms.gov/Medicare/Coding/AcuteInpatientPPS',
  msdrg: 'https://www.cms.gov/Medicare/Coding/AcuteInpatientPPS',
  unii: 'http://fdasis.nlm.nih.gov',
});

/** The FHIR URI of a code system name, a URI given as is, or undefined when unknown (the code is then text only). */
export function codeSystemUri(name: string | undefined): string | undefined {
  if (!name) return undefined;
  if (/^(https?|urn):/i.test(name)) return name;
  return SYSTEM_URIS[name.toLowerCase().replace(/[\s\-._]/g, '')];
}

export const UCUM = 'http://unitsofmeasure.org';
export const V2_IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';

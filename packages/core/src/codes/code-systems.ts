import { lookupTable } from '../lookup-table.js';

/**
 * The code systems the engine recognizes, with their FHIR system URIs (terminology.hl7.org
 * "External code systems"). `code_system` fields hold the URI, so FHIR output uses it as is.
 * `local` is a site's own code (MIMIC ITEMID, a formulary code): kept, with no system URI.
 */
export const CODE_SYSTEMS = [
  'loinc',
  'snomed',
  'icd10cm',
  'icd10pcs',
  'icd9cm',
  'icd9pcs',
  'rxnorm',
  'ndc',
  'cvx',
  'npi',
  'cpt',
  'hcpcs',
  'local',
] as const;
export type CodeSystem = (typeof CODE_SYSTEMS)[number];

export const CODE_SYSTEM_URIS: Readonly<Record<CodeSystem, string | null>> = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10pcs: 'http://www.cms.gov/Medicare/Coding/ICD10',
  // FHIR names one URI for ICD-9-CM, diagnoses (volumes 1-2) and procedures (volume 3) alike.
  icd9cm: 'http://hl7.org/fhir/sid/icd-9-cm',
  icd9pcs: 'http://hl7.org/fhir/sid/icd-9-cm',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ndc: 'http://hl7.org/fhir/sid/ndc',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  local: null,
};

/** Families a header or a SYSTEM cell can name; the field's accepted systems pick the member (ICD-9 dx vs proc). */
const FAMILY_MEMBERS: Readonly<Record<string, readonly CodeSystem[]>> = lookupTable({
  loinc: ['loinc'],
  snomed: ['snomed'],
  icd10: ['icd10cm', 'icd10pcs'],
  icd9: ['icd9cm', 'icd9pcs'],
  rxnorm: ['rxnorm'],
  ndc: ['ndc'],
  cvx: ['cvx'],
  npi: ['npi'],
  cpt: ['cpt', 'hcpcs'],
  hcpcs: ['hcpcs', 'cpt'],
  local: ['local'],
});

/** Spellings of a system name in SYSTEM columns and headers (normalized: lower case, letters and digits). */
const FAMILY_ALIASES: readonly (readonly [RegExp, string])[] = [
  [/loinc/, 'loinc'],
  [/snomed|^sct$|sctid/, 'snomed'],
  [/icd10|icd-10/, 'icd10'],
  [/icd9|icd-9/, 'icd9'],
  [/rxnorm|rxcui/, 'rxnorm'],
  [/^ndc|ndc$|nationaldrugcode/, 'ndc'],
  [/cvx/, 'cvx'],
  [/^npi|npi$/, 'npi'],
  [/hcpcs/, 'hcpcs'],
  [/cpt/, 'cpt'],
  [/itemid|localcode|^local$/, 'local'],
];

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The family a header ("ICD9_CODE", "LOINC_CODE", "CPT_CD", "ITEMID") or a system name names, or null. */
export function codeFamily(text: string): string | null {
  const s = squash(text);
  if (s === '') return null;
  for (const [pattern, family] of FAMILY_ALIASES) if (pattern.test(s)) return family;
  return null;
}

/** The member of `family` among the systems a field accepts (ICD-9 in a procedures field is ICD-9 volume 3). */
export function systemInFamily(family: string, accepted: readonly CodeSystem[]): CodeSystem | null {
  const members = FAMILY_MEMBERS[family] ?? [];
  return members.find((m) => accepted.includes(m)) ?? members[0] ?? null;
}

/** URI -> family: ICD-9-CM diagnoses and procedures share one URI, so the field decides which. */
const URI_FAMILY: Readonly<Record<string, string>> = lookupTable({
  'http://loinc.org': 'loinc',
  'http://snomed.info/sct': 'snomed',
  'http://hl7.org/fhir/sid/icd-10-cm': 'icd10',
  'http://hl7.org/fhir/sid/icd-10': 'icd10',
  'http://www.cms.gov/Medicare/Coding/ICD10': 'icd10',
  'http://hl7.org/fhir/sid/icd-9-cm': 'icd9',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'rxnorm',
  'http://hl7.org/fhir/sid/ndc': 'ndc',
  'http://hl7.org/fhir/sid/cvx': 'cvx',
  'http://hl7.org/fhir/sid/us-npi': 'npi',
  'http://www.ama-assn.org/go/cpt': 'cpt',
  'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets': 'hcpcs',
});

/** A system named by URI or by name ("SNOMED-CT", "RxNorm", "ICD-9-CM"), as the field accepts it; null when unknown. */
export function systemFromName(text: string, accepted: readonly CodeSystem[]): CodeSystem | null {
  const trimmed = text.trim();
  const family = URI_FAMILY[trimmed] ?? codeFamily(trimmed);
  return family ? systemInFamily(family, accepted) : null;
}

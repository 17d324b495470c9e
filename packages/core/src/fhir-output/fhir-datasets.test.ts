import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { harmonizeText } from '../harmonize-text.js';
import { DATASET_NAMES, type DatasetName } from '../types.js';
import { FHIR_RESOURCE_SCHEMAS } from './fhir-schemas.js';
import { FHIR_OUTPUT_TYPES, toFhirResources } from './to-fhir-resource.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
for (const [type, schema] of Object.entries(FHIR_RESOURCE_SCHEMAS)) ajv.addSchema(schema, type);
const problems = (resource: { resourceType: string }) => {
  const validate = ajv.getSchema(resource.resourceType);
  if (!validate) return [`no schema for ${resource.resourceType}`];
  return validate(resource) ? [] : (validate.errors ?? []).map((e) => `${resource.resourceType}${e.instancePath} ${e.message}`);
};

/**
 * One small file per dataset: the header and first rows of ohdsi-dbt-synthea (Apache-2.0) and
 * the MIMIC-III demo (ODbL), cut to the columns that matter; a Location of SMART's Synthea bulk
 * export (CC0) as a CSV row; appointments, inventory and quality measures are hand-written in
 * the shape of the Kaggle, USAID and CMS files (whose licences are not verified).
 */
const FILES: Record<DatasetName, [string, Record<string, number>]> = {
  patients: [`Id,BIRTHDATE,DEATHDATE,FIRST,LAST,GENDER,ZIP
3edac2e3-d223-6fae-d515-daf96ef6bc76,2014-10-06,,Maynard46,Mosciski958,M,02155`, { Patient: 1 }],
  encounters: [`ROW_ID,SUBJECT_ID,HADM_ID,ICUSTAY_ID,DBSOURCE,FIRST_CAREUNIT,LAST_CAREUNIT,FIRST_WARDID,LAST_WARDID,INTIME,OUTTIME,LOS
12742,10006,142345,206504,carevue,MICU,MICU,52,52,2164-10-23 21:10:15,2164-10-25 12:21:07,1.6325`, { Encounter: 1 }],
  vital_signs: [`Patient ID,Visit Date,Heart Rate,Systolic BP,Diastolic BP,Temp F,Weight (lbs),SpO2
P1,2024-03-01 09:30,72,120,80,98.6,150,97`, { Observation: 5 }],
  lab_results: [`HADM_ID,ITEMID,CHARTTIME,VALUE,VALUEUOM,FLAG
193924,51214,2115-05-13 14:53:00,226,mg/dL,
193924,51221,2115-05-13 14:53:00,23.9,%,abnormal
193924,51487,2115-05-13 14:53:00,NEG,,`, { Observation: 3 }],
  conditions: [`START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION
2023-01-27,2023-02-09,3edac2e3-d223-6fae-d515-daf96ef6bc76,57f2562b-445c-f11c-ba40-edc55af3c84f,195662009,Acute viral pharyngitis (disorder)
2011-08-09,,9d188916-8390-282b-3ec2-73fce6e08649,fa5e3e1f-217f-f8ce-a479-ed569c6599df,232353008,Perennial allergic rhinitis with seasonal variation`, { Condition: 2 }],
  procedures: [`START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,REASONCODE,REASONDESCRIPTION
2023-10-10T04:17:47Z,2023-10-10T04:32:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,430193006,Medication Reconciliation (procedure),735.40,,`, { Procedure: 1 }],
  medications: [`ROW_ID,SUBJECT_ID,HADM_ID,ICUSTAY_ID,STARTTIME,ENDTIME,ITEMID,AMOUNT,AMOUNTUOM,RATE,RATEUOM,STORETIME,CGID,ORDERID,LINKORDERID,STATUSDESCRIPTION
118897,42367,139932,250305,2147-10-29 16:45:00,2147-10-29 16:46:00,225799,60,ml,,,2147-10-29 16:45:00,16027,11922,11922,FinishedRunning`, { MedicationAdministration: 1 }],
  pharmacy_inventory: [`Item ID,Item Name,NDC,Lot Number,Expiry Date,Quantity on Hand,Unit Cost,Location
A-100,Amoxicillin 500 mg capsule,0093-3109-01,L2291,2026-01-31,"1,200",0.12,Main pharmacy`, { Medication: 1 }],
  immunizations: [`DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,BASE_COST
2023-10-10T04:17:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,08,Hep B  adolescent or pediatric,140.52`, { Immunization: 1 }],
  allergies: [`START,STOP,PATIENT,ENCOUNTER,CODE,SYSTEM,DESCRIPTION,TYPE,CATEGORY,REACTION1,DESCRIPTION1,SEVERITY1,REACTION2,DESCRIPTION2,SEVERITY2
2009-09-27,,9d188916-8390-282b-3ec2-73fce6e08649,f2de2a64-fdf0-13f1-e7e5-2c466588d688,111088007,SNOMED-CT,Latex (substance),allergy,environment,418290006,Itching (finding),MODERATE,271807003,Eruption of skin (disorder),MILD`, { AllergyIntolerance: 1 }],
  appointments: [`PatientId,AppointmentID,ScheduledDay,AppointmentDay,SMS_received,No-show
29872499824296,5642903,2016-04-29T18:38:08Z,2016-04-29T00:00:00Z,0,No
558997776694438,5642503,2016-04-29T16:08:27Z,2016-04-29T00:00:00Z,1,Yes`, { Appointment: 2 }],
  claims: [`ROW_ID,SUBJECT_ID,HADM_ID,DRG_TYPE,DRG_CODE,DESCRIPTION,DRG_SEVERITY,DRG_MORTALITY
1338,10130,156668,HCFA,148,"MAJOR SMALL & LARGE BOWEL PROCEDURES WITH COMPLICATIONS, COMORBIDITIES",,`, { Claim: 1 }],
  claim_lines: [`ID,CLAIMID,CHARGEID,PATIENTID,TYPE,AMOUNT,METHOD,FROMDATE,TODATE,PROCEDURECODE,UNITS,UNITAMOUNT,PAYMENTS,ADJUSTMENTS,TRANSFERS,OUTSTANDING
47cd1dc0-2b8b-b518-8ebb-cb5e4728bd87,9120543f-28b9-96ae-09eb-d54f6d918234,0,3edac2e3-d223-6fae-d515-daf96ef6bc76,CHARGE,77.49,,2023-01-27T16:17:47Z,2023-01-27T16:32:47Z,185345009,1,77.49,,,,
46eb1b67-4c05-6988-f0f2-7f48241aacbe,9120543f-28b9-96ae-09eb-d54f6d918234,1,3edac2e3-d223-6fae-d515-daf96ef6bc76,TRANSFEROUT,,,2023-01-27T16:17:47Z,2023-01-27T16:32:47Z,185345009,1,,,,77.49,77.49`, { Claim: 1, ClaimResponse: 1 }],
  practitioners: [`Id,ORGANIZATION,NAME,GENDER,SPECIALITY,ADDRESS,CITY,STATE,ZIP
0f4db68f-7743-3960-b373-4a47d811dec2,5e765f2b-e908-3888-9fc7-df2cb87beb58,Ludivina884 Steuber698,F,GENERAL PRACTICE,211 PARK STREET,ATTLEBORO,MA,02703`, { Practitioner: 1, PractitionerRole: 1 }],
  organizations: [`Id,NAME,ADDRESS,CITY,STATE,ZIP,LAT,LON,PHONE,REVENUE
5e765f2b-e908-3888-9fc7-df2cb87beb58,STURDY MEMORIAL HOSPITAL,211 PARK STREET,ATTLEBORO,MA,02703,41.931653,-71.294503,5082225200,0.0`, { Organization: 1 }],
  coverage: [`PATIENT,MEMBERID,START_YEAR,END_YEAR,PAYER,SECONDARY_PAYER,OWNERSHIP,OWNERNAME
3edac2e3-d223-6fae-d515-daf96ef6bc76,2277431c-b682-4a3d-2990-8bef6f1bd4f9,2014-10-14T04:17:47Z,2015-10-20T04:17:47Z,6e2f1a2d-27bd-3701-8d08-dae202c58632,,Guardian,Gail741 Mosciski958
319af005-46b9-f635-79dd-ec44d34a8c23,de165245-1431-3b30-f756-5f2ad1438132,2016-09-11T00:21:58Z,2017-06-04T00:21:58Z,7caa7254-5050-3b5e-9eae-bd5ea30e809c,047f6ec3-6215-35eb-9608-f9dda363a44c,Self,Lewis216 Zulauf375`, { Coverage: 3 }],
  quality_measures: [`Hospital Name,Provider ID,State,Measure Name,Number of Discharges,Footnote,Excess Readmission Ratio,Predicted Readmission Rate,Expected Readmission Rate,Number of Readmissions,Start Date,End Date
GENERAL HOSPITAL,010001,AL,READM_30_HF_HRRP,Not Available,1 - The number of cases/patients is too few to report.,Not Available,Not Available,Not Available,Not Available,07/01/2014,06/30/2017
GENERAL HOSPITAL,010001,AL,READM_30_COPD_HRRP,217,,1.0195,20.9722,20.5712,47,07/01/2014,06/30/2017`, { MeasureReport: 2 }],
  devices: [`START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION,UDI
1976-07-25T11:25:06Z,,261ad2a4-7c6f-da54-6a5b-3441beab9a6a,3efa2195-38e2-badc-a815-e8d858aafd3b,705643001,Coronary artery stent (physical object),(01)13465995954590(11)760704(17)010719(10)8477791433724820(21)488266988`, { Device: 1 }],
  locations: [`Location ID,Location Name,Status,Address,City,State,ZIP,Phone,Latitude,Longitude,Managing Organization
0b9875ba-9310-313d-93d4-bf552585d527,LIFE CARE CENTER OF BURLINGTON,active,601 CROSS STREET,BURLINGTON,KS,668391105,6203642117,38.206373,-95.742114,658bfe6a-1b87-3ca3-9923-959fd4e14477`, { Location: 1 }],
  care_plans: [`Id,START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION,REASONCODE,REASONDESCRIPTION
ef0dd717-46eb-4473-5499-3fd3d291e9a6,2009-09-13,,9d188916-8390-282b-3ec2-73fce6e08649,6f27371d-c552-4ec1-8460-d9d5da91f338,384758001,Self-care interventions (procedure),,
60d2b037-fbb0-aae1-455f-a50aa49f66fc,2000-01-18,2000-05-10,1d3d16ce-a3a4-5e9e-1b4d-58a391895443,5620d48f-1026-2e42-8039-34a29f194309,53950000,Respiratory therapy,10509002,Acute bronchitis (disorder)`, { CarePlan: 2 }],
  supplies: [`DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,QUANTITY
2020-10-07,1cd7cc0a-2e2a-c167-1207-cad02d69328e,87ba74ed-9dcf-329d-f403-084227c41f5d,409534002,Disposable air-purifying respirator (physical object),2`, { SupplyDelivery: 1 }],
  imaging_studies: [`Id,DATE,PATIENT,ENCOUNTER,SERIES_UID,BODYSITE_CODE,BODYSITE_DESCRIPTION,MODALITY_CODE,MODALITY_DESCRIPTION,INSTANCE_UID,SOP_CODE,SOP_DESCRIPTION,PROCEDURE_CODE
82702944-686c-a8fa-9463-6b72152c58a5,2023-06-06T12:00:08Z,280ee8b5-6ebb-11cf-e4db-8cf101827ec7,55d800bc-7613-49be-f417-a808325415ab,1.2.840.99999999.1.98060115.1686052808412,51185008,Chest,DX,Digital Radiography,1.2.840.99999999.1.1.75434013.194248875300,1.2.840.10008.5.1.4.1.1.1.1,Digital X-Ray Image Storage,399208008`, { ImagingStudy: 1 }],
  code_dictionary: [`ROW_ID,ITEMID,LABEL,FLUID,CATEGORY,LOINC_CODE
2,50801,Alveolar-arterial Gradient,Blood,Blood Gas,19991-9`, {}],
};

const resourcesOf = (dataset: DatasetName) => {
  const [text] = FILES[dataset];
  const { kept, chunk } = harmonizeText(`${text}\n`, { dataset, referenceDate: '2025-06-15' });
  expect(chunk.rejects).toEqual([]);
  return kept.flatMap((r) => toFhirResources(dataset, JSON.parse(r.json) as Record<string, unknown>, { jobId: 'job-1', row: r.row }));
};

describe('FHIR output of every dataset', () => {
  it('covers every dataset the engine knows', () => {
    expect(Object.keys(FILES).sort()).toEqual([...DATASET_NAMES].sort());
  });

  it.each([...DATASET_NAMES])('writes valid R4 resources for %s, each pointing back to its job and row', (dataset) => {
    const resources = resourcesOf(dataset);
    const types: Record<string, number> = {};
    for (const resource of resources) {
      types[resource.resourceType] = (types[resource.resourceType] ?? 0) + 1;
      expect(problems(resource)).toEqual([]);
      expect(resource.meta.source).toMatch(/^urn:harmonizer:job:job-1#row=\d+$/);
    }
    expect(types).toEqual(FILES[dataset][1]);
    for (const type of Object.keys(types)) expect(FHIR_OUTPUT_TYPES[dataset]).toContain(type);
    expect(new Set(resources.map((r) => `${r.resourceType}/${r.id}`)).size).toBe(resources.length);
  });

  it('gives the same ids when the same file is sent again in another job', () => {
    for (const dataset of DATASET_NAMES) {
      const [text] = FILES[dataset];
      const { kept } = harmonizeText(`${text}\n`, { dataset, referenceDate: '2025-06-15' });
      const ids = (jobId: string) => kept.flatMap((r) => toFhirResources(dataset, JSON.parse(r.json) as Record<string, unknown>, { jobId, row: r.row }).map((x) => x.id));
      expect(ids('job-2'), dataset).toEqual(ids('job-1'));
    }
  });

  it('references the patient, encounter, practitioner and organization by the ids their own resources get', () => {
    const [patient] = resourcesOf('patients');
    const [condition] = resourcesOf('conditions');
    const [encounter] = resourcesOf('encounters');
    const [practitioner, role] = resourcesOf('practitioners');
    const [organization] = resourcesOf('organizations');
    expect(condition).toMatchObject({ subject: { reference: `Patient/${patient?.id}` } });
    expect(encounter).toMatchObject({ subject: { reference: 'Patient/10006' }, partOf: { reference: 'Encounter/142345' } });
    expect(role).toMatchObject({ practitioner: { reference: `Practitioner/${practitioner?.id}` }, organization: { reference: `Organization/${organization?.id}` } });
  });
});

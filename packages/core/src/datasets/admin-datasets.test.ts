import { describe, expect, it } from 'vitest';
import { harmonizeRows } from '../testing/harmonize-rows.js';

// Synthea rows from OHDSI/dbt-synthea seeds (Apache-2.0); MIMIC DRGCODES rows from the MIMIC-III
// demo (PhysioNet; ODbL v1.0). The appointment, hospital and supply-chain rows are invented in the
// header shapes of the Kaggle, CMS and USAID files, whose data rows are not copied here.
describe('immunizations', () => {
  it('keeps CVX 08 as 08, restores a one-digit 8, and requires the patient', () => {
    const result = harmonizeRows(
      'immunizations',
      `DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,BASE_COST
2024-01-03T23:24:16Z,6cf3d1b9-4d5e-8bb3-51f4-e047a6386c38,fbf1e429-84d7-6674-9d9c-de2242116125,08,Hep B  adolescent or pediatric,140.52
2023-10-10T04:17:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,140,Influenza  seasonal  injectable  preservative free,140.52
2023-10-10T04:17:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,8,Hep B,140.52
2023-10-10T04:17:47Z,,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,140,Influenza,140.52
`,
    );
    expect(result.records.map((r) => [r.vaccine_code, r.vaccine_code_system, r.description])).toEqual([
      ['08', 'http://hl7.org/fhir/sid/cvx', 'Hep B adolescent or pediatric'],
      ['140', 'http://hl7.org/fhir/sid/cvx', 'Influenza seasonal injectable preservative free'],
      ['08', 'http://hl7.org/fhir/sid/cvx', 'Hep B'],
    ]);
    expect(result.stats.rules['cvx.leading_zero_restored']?.count).toBe(1);
    expect(result.rejected).toEqual([expect.objectContaining({ row: 4, rules: ['required.missing'] })]);
  });
});

describe('allergies', () => {
  it('takes the code system from the SYSTEM column and maps type, category and reaction severity', () => {
    const result = harmonizeRows(
      'allergies',
      `START,STOP,PATIENT,ENCOUNTER,CODE,SYSTEM,DESCRIPTION,TYPE,CATEGORY,REACTION1,DESCRIPTION1,SEVERITY1,REACTION2,DESCRIPTION2,SEVERITY2
2009-09-27,,9d188916-8390-282b-3ec2-73fce6e08649,f2de2a64-fdf0-13f1-e7e5-2c466588d688,111088007,SNOMED-CT,Latex (substance),allergy,environment,418290006,Itching (finding),MODERATE,271807003,Eruption of skin (disorder),MILD
2011-02-26,,42c09e08-1dbf-546f-fe06-f8e92891c41e,0a854eb0-ea77-1444-4e39-17f6f2377efa,7984,RxNorm,Penicillin V,allergy,medication,49727002,Cough (finding),MODERATE,,,
`,
    );
    expect(result.records.map((r) => [r.code, r.code_system, r.type, r.category, r.reaction_1_code, r.reaction_1_severity, r.reaction_2_severity])).toEqual([
      ['111088007', 'http://snomed.info/sct', 'allergy', 'environment', '418290006', 'moderate', 'mild'],
      ['7984', 'http://www.nlm.nih.gov/research/umls/rxnorm', 'allergy', 'medication', '49727002', 'moderate', null],
    ]);
    expect(result.records[0]?.reaction_system).toBe('http://snomed.info/sct');
  });
});

describe('claims and claim lines', () => {
  it('reads Synthea claims: 0 is no secondary insurance, diagnoses share one system', () => {
    const result = harmonizeRows(
      'claims',
      `Id,PATIENTID,PROVIDERID,PRIMARYPATIENTINSURANCEID,SECONDARYPATIENTINSURANCEID,DEPARTMENTID,PATIENTDEPARTMENTID,DIAGNOSIS1,DIAGNOSIS2,DIAGNOSIS3,DIAGNOSIS4,DIAGNOSIS5,DIAGNOSIS6,DIAGNOSIS7,DIAGNOSIS8,REFERRINGPROVIDERID,APPOINTMENTID,CURRENTILLNESSDATE,SERVICEDATE,SUPERVISINGPROVIDERID,STATUS1,STATUS2,STATUSP,OUTSTANDING1,OUTSTANDING2,OUTSTANDINGP,LASTBILLEDDATE1,LASTBILLEDDATE2,LASTBILLEDDATEP,HEALTHCARECLAIMTYPEID1,HEALTHCARECLAIMTYPEID2
9120543f-28b9-96ae-09eb-d54f6d918234,3edac2e3-d223-6fae-d515-daf96ef6bc76,2d85c411-b7bb-3133-8903-276c2e31f452,42c4fca7-f8a9-3cd1-982a-dd9751bf3e2a,0,1,1,195662009,195662009,,,,,,,,57f2562b-445c-f11c-ba40-edc55af3c84f,2023-01-27T16:17:47Z,2023-01-27T16:17:47Z,2d85c411-b7bb-3133-8903-276c2e31f452,CLOSED,,CLOSED,0,,0,2023-01-27T16:32:47Z,,2023-01-27T16:32:47Z,2,0
`,
    );
    expect(result.records[0]).toMatchObject({
      insurance_id: '42c4fca7-f8a9-3cd1-982a-dd9751bf3e2a', secondary_insurance_id: null, diagnosis_1: '195662009',
      diagnosis_system: 'http://snomed.info/sct', billing_status: 'CLOSED', outstanding: '0', encounter_id: '57f2562b-445c-f11c-ba40-edc55af3c84f',
    });
  });

  it('reads MIMIC DRG codes as claims of the admission, trimming the APR type', () => {
    const result = harmonizeRows('claims', 'ROW_ID,SUBJECT_ID,HADM_ID,DRG_TYPE,DRG_CODE,DESCRIPTION,DRG_SEVERITY,DRG_MORTALITY\n18487,10126,160445,APR ,0014,Liver Transplant,4,4\n');
    expect(result.records[0]).toMatchObject({ drg_type: 'APR', drg_code: '0014', drg_severity: '4', patient_id: '10126', encounter_id: '160445' });
  });

  it('flags the epoch TODATE of a Synthea claim transaction but keeps the line', () => {
    const result = harmonizeRows(
      'claim_lines',
      `ID,CLAIMID,CHARGEID,PATIENTID,TYPE,AMOUNT,METHOD,FROMDATE,TODATE,PLACEOFSERVICE,PROCEDURECODE,MODIFIER1,MODIFIER2,DIAGNOSISREF1,DIAGNOSISREF2,DIAGNOSISREF3,DIAGNOSISREF4,UNITS,DEPARTMENTID,NOTES,UNITAMOUNT,TRANSFEROUTID,TRANSFERTYPE,PAYMENTS,ADJUSTMENTS,TRANSFERS,OUTSTANDING,APPOINTMENTID,LINENOTE,PATIENTINSURANCEID,FEESCHEDULEID,PROVIDERID,SUPERVISINGPROVIDERID
3d0ddcd9-b3ae-83d4-e55c-5b4310c929b4,3c40ae10-c975-a366-5733-1348e3e97d46,10,3edac2e3-d223-6fae-d515-daf96ef6bc76,CHARGE,140.52,,2023-10-10T04:17:47Z,1970-01-01T00:00:00Z,d6155326-7127-3791-8031-7704e5d867ce,140,,,1,,,,1,10,Influenza  seasonal  injectable  preservative free,140.52,,1,,,,,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,,3edac2e3-d223-6fae-d515-daf96ef6bc76,1,f98dc38d-9c3f-32cb-b7a3-ac99a7df97f4,f98dc38d-9c3f-32cb-b7a3-ac99a7df97f4
`,
    );
    expect(result.rejected).toEqual([]);
    expect(result.stats.rules['date.sentinel']?.count).toBe(1);
    expect(result.records[0]).toMatchObject({ service_end: '1970-01-01T00:00:00Z', amount: '140.52', line_number: '10', procedure_code: '140' });
  });
});

describe('practitioners and organizations', () => {
  it('reads Synthea providers with ZIP leading zeros and accented names kept', () => {
    const result = harmonizeRows(
      'practitioners',
      `Id,ORGANIZATION,NAME,GENDER,SPECIALITY,ADDRESS,CITY,STATE,ZIP,LAT,LON,UTILIZATION
2d85c411-b7bb-3133-8903-276c2e31f452,e002090d-4e92-300e-b41e-7d1f21dee4c6,Víctor493 Noriega353,M,GENERAL PRACTICE,1493 CAMBRIDGE STREET,CAMBRIDGE,MA,02138,42.375967,-71.118275,5
`,
    );
    expect(result.records[0]).toMatchObject({ full_name: 'Víctor493 Noriega353', gender: 'male', postal_code: '02138', specialty: 'GENERAL PRACTICE' });
  });

  it('checks NPIs: a bad check digit is kept with a warning', () => {
    const result = harmonizeRows('practitioners', 'NPI,Last Name\n1234567893,Curie\n1234567890,Bohr\n');
    expect(result.records.map((r) => [r.npi, r.npi_system])).toEqual([
      ['1234567893', 'http://hl7.org/fhir/sid/us-npi'],
      ['1234567890', 'http://hl7.org/fhir/sid/us-npi'],
    ]);
    expect(result.stats.rules['code.check_digit']?.count).toBe(1);
  });

  it('reads CMS-shaped hospital rows: CCN with its leading zero, Not Available, true/false', () => {
    const result = harmonizeRows(
      'organizations',
      'Provider ID,Hospital Name,State,ZIP Code,Phone Number,Emergency Services,Meets criteria for meaningful use of EHRs,Hospital overall rating,Hospital overall rating footnote,Location\n' +
        '010999,TEST GENERAL HOSPITAL,AL,35957,2565550100,true,,Not Available,5 - Results are not available for this reporting period.,"1 MAIN ST BOAZ, AL 35957"\n',
    );
    expect(result.records[0]).toMatchObject({
      organization_id: '010999', emergency_services: 'true', ehr_meaningful_use: null, overall_rating: null, phone: '+12565550100',
      extras: { 'Hospital overall rating footnote': '5 - Results are not available for this reporting period.', Location: '1 MAIN ST BOAZ, AL 35957' },
    });
  });
});

describe('appointments', () => {
  const KAGGLE = 'PatientId,AppointmentID,Gender,ScheduledDay,AppointmentDay,Age,Neighbourhood,Scholarship,Hipertension,Diabetes,Alcoholism,Handcap,SMS_received,No-show\n';

  it('warns, not rejects, when a same-day booking looks later than its midnight appointment, and derives the status', () => {
    const result = harmonizeRows(
      'appointments',
      KAGGLE + '111111111111,1000001,F,2016-04-29T18:38:08Z,2016-04-29T00:00:00Z,62,CENTRO,0,1,0,0,0,0,No\n' +
        '222222222222222,1000002,M,2016-04-20T08:00:00Z,2016-04-29T00:00:00Z,0,SÃO CRISTÓVÃO,0,0,0,0,0,1,Yes\n',
    );
    expect(result.rejected).toEqual([]);
    expect(result.stats.rules['appointment.booked_after_start']).toEqual({ severity: 'warning', count: 1 });
    expect(result.records.map((r) => [r.patient_id, r.status, r.no_show, r.reminder_sent])).toEqual([
      ['111111111111', 'fulfilled', 'false', 'false'],
      ['222222222222222', 'noshow', 'true', 'true'],
    ]);
    expect(result.records[1]?.extras).toMatchObject({ Neighbourhood: 'SÃO CRISTÓVÃO', Age: '0' });
  });

  it('rejects an appointment ending before it starts', () => {
    const result = harmonizeRows('appointments', 'Appointment ID,Start Time,End Time\nA1,2024-05-01 10:00,2024-05-01 09:30\n');
    expect(result.rejected[0]?.rules).toEqual(['appointment.end_before_start']);
  });
});

describe('pharmacy_inventory', () => {
  it('reads SCMS-shaped deliveries: d-Mon-yy dates, placeholders and text in numbers kept under extras', () => {
    const result = harmonizeRows(
      'pharmacy_inventory',
      'id,country,delivered to client date,item description,molecule/test type,dosage,dosage form,unit of measure (per pack),line item quantity,line item value,pack price,unit price,weight (kilograms),freight cost (usd)\n' +
        '1,Côte d\'Ivoire,2-Jun-06,"HIV, Test Kit, 30 Tests","HIV, Test",,Test kit,30,19,551,29,0.97,13,780.34\n' +
        '2,Vietnam,Pre-PQ Process,"Nevirapine 10mg/ml, oral suspension",Nevirapine,10mg/ml,Oral suspension,240,"1,000",6200,6.2,0.03,Weight Captured Separately,Freight Included in Commodity Cost\n',
    );
    expect(result.rejected).toEqual([]);
    expect(result.records.map((r) => [r.item_id, r.received_date, r.quantity_on_hand, r.unit_cost, r.strength])).toEqual([
      ['1', '2006-06-02', '19', '0.97', null],
      ['2', null, '1000', '0.03', '10mg/ml'],
    ]);
    expect(result.records[1]?.extras).toMatchObject({
      'delivered to client date': 'Pre-PQ Process', 'weight (kilograms)': 'Weight Captured Separately', country: 'Vietnam',
    });
    expect(result.stats.rules['date.placeholder']?.count).toBe(1);
    expect(result.stats.rules['inventory.expired']).toBeUndefined();
  });

  it('warns about expired stock and negative quantities', () => {
    const result = harmonizeRows('pharmacy_inventory', 'SKU,Item Name,Quantity on Hand,Lot,Expiry Date\nA,Amoxicillin 500 mg,-4,L1,2024-01-31\n');
    expect(Object.keys(result.stats.rules).sort()).toEqual(['inventory.expired', 'inventory.negative_quantity']);
    expect(result.records[0]).toMatchObject({ lot_number: 'L1', expiry_date: '2024-01-31', quantity_on_hand: '-4' });
  });
});

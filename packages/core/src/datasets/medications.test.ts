import { describe, expect, it } from 'vitest';
import { harmonizeRows } from '../testing/harmonize-rows.js';

// Rows copied from MIMIC-III demo PRESCRIPTIONS and INPUTEVENTS_MV (PhysioNet; ODbL v1.0) and
// Synthea medications (OHDSI/dbt-synthea seeds, Apache-2.0).
const PRESCRIPTIONS = `ROW_ID,SUBJECT_ID,HADM_ID,ICUSTAY_ID,STARTDATE,ENDDATE,DRUG_TYPE,DRUG,DRUG_NAME_POE,DRUG_NAME_GENERIC,FORMULARY_DRUG_CD,GSN,NDC,PROD_STRENGTH,DOSE_VAL_RX,DOSE_UNIT_RX,FORM_VAL_DISP,FORM_UNIT_DISP,ROUTE
32600,42458,159647,,2146-07-21 00:00:00,2146-07-22 00:00:00,MAIN,Pneumococcal Vac Polyvalent,Pneumococcal Vac Polyvalent,PNEUMOcoccal Vac Polyvalent,PNEU25I,048548,00006494300,25mcg/0.5mL Vial,0.5,mL,1,VIAL,IM
59640,42275,128293,290478,2135-10-25 00:00:00,2135-10-27 00:00:00,MAIN,Albuterol Inhaler,Albuterol Inhaler,Albuterol Inhaler,ALBU17H,005037,17270072101,8 g Inhaler,1-2,PUFF,0.01-0.02,INH,IH
131076,42412,114867,241992,2165-12-20 00:00:00,2165-12-20 00:00:00,MAIN,Heparin Sodium,,,HEPPREMIX,060301,00338055002,"25,000 unit Premix Bag","25,000",UNIT,1,BAG,IV
743820,10124,170883,295043,2192-04-27 00:00:00,2192-04-26 00:00:00,MAIN,Sodium Chloride 0.9%  Flush,Sodium Chloride 0.9%  Flush,Sodium Chloride 0.9%  Flush,NACLFLUSH,,0,Syringe,3,ml,0.6,SYR,IV
86594,43735,112662,283181,2128-11-09 00:00:00,2128-11-09 00:00:00,MAIN,Fentanyl Citrate,Fentanyl Citrate,Fentanyl,FENT2.550,041385,10019003783,2.5mg/50mL Solution,2.5,mg,1,BAG,IV DRIP
2240061,10126,160445,249805,2171-08-09 00:00:00,2171-08-10 00:00:00,BASE,Sterile Water,,,SW3000,009825,00074797308,3000 mL Bag,3000,ml,1,BAG,DIALYS
`;

/** One order (LINKORDERID 107030, item 222168) in four versions: changed, rewritten twice, finished. */
const INPUTEVENTS = `ROW_ID,SUBJECT_ID,HADM_ID,ICUSTAY_ID,STARTTIME,ENDTIME,ITEMID,AMOUNT,AMOUNTUOM,RATE,RATEUOM,STORETIME,CGID,ORDERID,LINKORDERID,ORDERCATEGORYNAME,SECONDARYORDERCATEGORYNAME,ORDERCOMPONENTTYPEDESCRIPTION,ORDERCATEGORYDESCRIPTION,PATIENTWEIGHT,TOTALAMOUNT,TOTALAMOUNTUOM,ISOPENBAG,CONTINUEINNEXTDEPT,CANCELREASON,STATUSDESCRIPTION,COMMENTS_EDITEDBY,COMMENTS_CANCELEDBY,COMMENTS_DATE,ORIGINALAMOUNT,ORIGINALRATE
118902,42367,139932,250305,2147-10-03 17:35:00,2147-10-03 17:50:00,222168,15.756303,mg,15.0060028571,mcg/kg/min,2147-10-03 17:35:00,15046,107030,107030,01-Drips,02-Fluids (Crystalloids),Main order parameter,Continuous Med,70,100,ml,0,0,0,Changed,,,,1000,15.000001
118903,42367,139932,250305,2147-10-03 17:35:00,2147-10-03 17:50:00,225943,1.5756303,ml,6.3025212,mL/hour,2147-10-03 17:35:00,15046,107030,107030,01-Drips,02-Fluids (Crystalloids),Mixed solution,Continuous Med,70,100,ml,0,0,0,Changed,,,,100,6.3024998
119087,42367,139932,250305,2147-10-03 17:50:00,2147-10-04 05:25:00,222168,984.2441965,mg,20.2311242857,mcg/kg/min,2147-10-04 07:06:00,15046,2296517,107030,01-Drips,02-Fluids (Crystalloids),Main order parameter,Continuous Med,70,100,ml,0,0,0,FinishedRunning,,,,984.24408,20.230227
119721,42367,139932,250305,2147-10-03 17:50:00,2147-10-03 17:51:00,222168,1.4000621,mg,20.0008871429,mcg/kg/min,2147-10-03 17:50:00,15046,9557085,107030,01-Drips,02-Fluids (Crystalloids),Main order parameter,Continuous Med,70,100,ml,0,0,0,Rewritten,,,,984.24371,20.000002
119727,42367,139932,250305,2147-10-03 17:50:00,2147-10-04 05:33:00,222168,984.2437266,mg,20.0008885714,mcg/kg/min,2147-10-04 07:06:00,15046,9594084,107030,01-Drips,02-Fluids (Crystalloids),Main order parameter,Continuous Med,70,100,ml,0,0,0,Rewritten,,,,984.24371,20.000002
118898,42367,139932,250305,2147-10-20 13:17:00,2147-10-20 13:18:00,223258,10,units,,,2147-10-20 13:17:00,17446,27063,27063,06-Insulin (Non IV),,Main order parameter,Drug Push,70,,,0,0,1,Rewritten,,RN,2147-10-20 13:18:00,10,10
`;

describe('medications from MIMIC PRESCRIPTIONS', () => {
  const result = harmonizeRows('medications', PRESCRIPTIONS);

  it('keeps every order: NDC to 11 digits (0 is none), dose units to UCUM, routes to SNOMED CT', () => {
    expect(result.rejected).toEqual([]);
    expect(result.records.map((r) => [r.ndc, r.dose_value, r.dose_unit, r.dose_text, r.route, r.route_text, r.kind])).toEqual([
      ['00006494300', '0.5', 'mL', null, '78421000', 'IM', 'request'],
      ['17270072101', null, '{puff}', '1-2', '447694001', 'IH', 'request'],
      ['00338055002', '25000', 'U', null, '47625008', 'IV', 'request'],
      [null, '3', 'mL', null, '47625008', 'IV', 'request'],
      ['10019003783', '2.5', 'mg', null, '47625008', 'IV DRIP', 'request'],
      ['00074797308', '3000', 'mL', null, null, 'DIALYS', 'request'],
    ]);
  });

  it('warns about, but keeps, an order ending before it starts, and reports unknown routes and ranges', () => {
    const rules = Object.fromEntries(Object.entries(result.stats.rules).map(([k, v]) => [k, [v.severity, v.count]]));
    expect(rules).toEqual({
      'medication.end_before_start': ['warning', 1],
      'route.unknown': ['warning', 1],
      'number.range_text': ['warning', 2],
    });
    expect(result.records[1]?.extras).toMatchObject({ FORM_VAL_DISP: '0.01-0.02' });
    expect(result.records[3]).toMatchObject({ start_datetime: '2192-04-27T00:00:00', end_datetime: '2192-04-26T00:00:00' });
  });
});

describe('medications from MIMIC INPUTEVENTS_MV: superseded versions', () => {
  const result = harmonizeRows('medications', INPUTEVENTS);

  it('reads administrations with rates in UCUM', () => {
    expect(result.records[0]).toMatchObject({
      kind: 'administration', order_id: '107030', order_group_id: '107030', code: '222168', dose_value: '15.756303',
      dose_unit: 'mg', rate_value: '15.0060028571', rate_unit: 'ug/kg/min', status: 'completed', status_text: 'Changed',
    });
    expect(result.records[1]).toMatchObject({ rate_unit: 'mL/h', dose_unit: 'mL' });
  });

  it('groups the versions of one order and item, marking the rewritten and changed ones superseded', () => {
    const versions = result.accepted.map((a) => a.version);
    const group = versions[0]?.group;
    expect(versions.map((v) => [v?.group === group, v?.superseded])).toEqual([
      [true, true],
      [false, true],
      [true, false],
      [true, true],
      [true, true],
      [false, true],
    ]);
    expect(versions[2]?.order > (versions[0]?.order ?? '')).toBe(true);
    expect(result.records[3]).toMatchObject({ status: 'entered-in-error', status_text: 'Rewritten' });
  });
});

describe('medications from Synthea', () => {
  it('reads RxNorm codes, costs with float noise removed, and leaves them unversioned', () => {
    const result = harmonizeRows(
      'medications',
      `START,STOP,PATIENT,PAYER,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,PAYER_COVERAGE,DISPENSES,TOTALCOST,REASONCODE,REASONDESCRIPTION
2009-09-27T14:12:44Z,,9d188916-8390-282b-3ec2-73fce6e08649,7c4411ce-02f1-39b5-b9ec-dfbea9ad3c1a,f2de2a64-fdf0-13f1-e7e5-2c466588d688,665078,Loratadine 5 MG Chewable Tablet,7.24,0.00,174,1259.76,,
`,
    );
    expect(result.records[0]).toMatchObject({
      code: '665078', code_system: 'http://www.nlm.nih.gov/research/umls/rxnorm', cost: '7.24', dispense_count: '174', total_cost: '1259.76',
      kind: 'request',
    });
    expect(result.accepted[0]?.version).toBeUndefined();
  });
});

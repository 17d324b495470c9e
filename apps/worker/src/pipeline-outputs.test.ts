import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { InputError } from '@harmonizer/core';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from './pipeline.js';
import { createPipelineHarness, parseNdjson, type JsonRecord, type PipelineHarness } from './testing/pipeline-harness.js';

const FIXTURES = path.join(import.meta.dirname, '../../../test/fixtures');
const MESSY = readFileSync(path.join(FIXTURES, 'messy-patients.csv'));
const BUNDLE = readFileSync(path.join(FIXTURES, 'smart-generated-fhir-r4/Clemente_Kreiger_1484a42d-0eaf-4654-9cbf-6b050a5cd73b.json'));

/** Identifying values of messy-patients.csv, as sent and as a plain job standardizes them. */
const MARKERS = ['MRN-10', 'Garcia', 'José', 'KOWALSKI', 'Kowalski', '12 Main St', 'Boston', 'jose.garcia@example.com', '+16175550101', '1980-01-15'];

/** Four rows of MIMIC-III demo INPUTEVENTS_MV (PhysioNet, ODbL): order 107030 changed, rewritten twice, then finished. */
const INPUTEVENTS = `ROW_ID,SUBJECT_ID,HADM_ID,ICUSTAY_ID,STARTTIME,ENDTIME,ITEMID,AMOUNT,AMOUNTUOM,RATE,RATEUOM,STORETIME,CGID,ORDERID,LINKORDERID,ORDERCATEGORYNAME,SECONDARYORDERCATEGORYNAME,ORDERCOMPONENTTYPEDESCRIPTION,ORDERCATEGORYDESCRIPTION,PATIENTWEIGHT,TOTALAMOUNT,TOTALAMOUNTUOM,ISOPENBAG,CONTINUEINNEXTDEPT,CANCELREASON,STATUSDESCRIPTION,COMMENTS_EDITEDBY,COMMENTS_CANCELEDBY,COMMENTS_DATE,ORIGINALAMOUNT,ORIGINALRATE
118902,42367,139932,250305,2147-10-03 17:35:00,2147-10-03 17:50:00,222168,15.756303,mg,15.0060028571,mcg/kg/min,2147-10-03 17:35:00,15046,107030,107030,01-Drips,02-Fluids (Crystalloids),Main order parameter,Continuous Med,70,100,ml,0,0,0,Changed,,,,1000,15.000001
119087,42367,139932,250305,2147-10-03 17:50:00,2147-10-04 05:25:00,222168,984.2441965,mg,20.2311242857,mcg/kg/min,2147-10-04 07:06:00,15046,2296517,107030,01-Drips,02-Fluids (Crystalloids),Main order parameter,Continuous Med,70,100,ml,0,0,0,FinishedRunning,,,,984.24408,20.230227
119721,42367,139932,250305,2147-10-03 17:50:00,2147-10-03 17:51:00,222168,1.4000621,mg,20.0008871429,mcg/kg/min,2147-10-03 17:50:00,15046,9557085,107030,01-Drips,02-Fluids (Crystalloids),Main order parameter,Continuous Med,70,100,ml,0,0,0,Rewritten,,,,984.24371,20.000002
119727,42367,139932,250305,2147-10-03 17:50:00,2147-10-04 05:33:00,222168,984.2437266,mg,20.0008885714,mcg/kg/min,2147-10-04 07:06:00,15046,9594084,107030,01-Drips,02-Fluids (Crystalloids),Main order parameter,Continuous Med,70,100,ml,0,0,0,Rewritten,,,,984.24371,20.000002
`;

/** The real header and first rows of Synthea's conditions.csv (OHDSI/dbt-synthea, Apache-2.0). */
const SYNTHEA_CONDITIONS = `START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION
2023-01-27,2023-02-09,3edac2e3-d223-6fae-d515-daf96ef6bc76,57f2562b-445c-f11c-ba40-edc55af3c84f,195662009,Acute viral pharyngitis (disorder)
2011-08-09,,9d188916-8390-282b-3ec2-73fce6e08649,fa5e3e1f-217f-f8ce-a479-ed569c6599df,232353008,Perennial allergic rhinitis with seasonal variation
`;

type Report = JsonRecord & { totals: JsonRecord; quality: JsonRecord; outputs: JsonRecord; by_dataset: Record<string, JsonRecord & { superseded: JsonRecord }> };

let h: PipelineHarness;
beforeAll(async () => {
  h = await createPipelineHarness();
});
afterAll(async () => h?.close());

async function harmonize(body: Buffer | string, job: Parameters<PipelineHarness['runningJob']>[1] = {}) {
  const row = await h.runningJob(body, job);
  const outcome = await runPipeline(row, h.deps());
  if (outcome.status !== 'completed') throw new Error('expected completion');
  const report = JSON.parse(await h.read(row.id, 'report.json')) as Report;
  return { id: row.id, outcome, report };
}

const readParquet = async (id: string, dataset: string) => {
  const bytes = await buffer(await h.storage.read(`results/${id}/${dataset}.parquet`));
  return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
};
const readFhir = async (id: string, type: string) => parseNdjson(await h.read(id, `fhir/${type}.ndjson`));
const asText = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

describe('runPipeline outputs', () => {
  it('writes CSV, NDJSON, FHIR per resource type and Parquet, committed together with counts that agree', async () => {
    const { id, outcome, report } = await harmonize(MESSY, { fileName: 'messy-patients.csv', options: { outputs: ['csv', 'ndjson', 'fhir', 'parquet'] } });
    const { rows_out, rows_rejected } = outcome.done.counts;
    expect(outcome.done.results.map((r) => [r.dataset, r.type, r.format, r.storageKey.replace(`results/${id}/`, ''), r.count])).toEqual([
      ['patients', 'harmonized', 'csv', 'patients.harmonized.csv', rows_out],
      ['patients', 'harmonized', 'ndjson', 'patients.harmonized.ndjson', rows_out],
      ['patients', 'harmonized', 'parquet', 'patients.parquet', rows_out],
      ['patients', 'rejects', 'fhir+ndjson', 'fhir/OperationOutcome.ndjson', rows_rejected],
      ['patients', 'harmonized', 'fhir+ndjson', 'fhir/Patient.ndjson', rows_out],
      [null, 'rejects', 'ndjson', 'rejects.ndjson', rows_rejected],
      [null, 'report', 'json', 'report.json', 1],
    ]);
    const records = await h.readNdjson(id, 'patients.harmonized.ndjson');
    const patients = await readFhir(id, 'Patient');
    expect(patients.map((p) => p.meta)).toEqual(records.map((r) => ({ source: `urn:harmonizer:job:${id}#row=${String(r._row)}` })));
    expect(patients.every((p) => p.resourceType === 'Patient')).toBe(true);
    const outcomes = await readFhir(id, 'OperationOutcome');
    const rejects = await h.readNdjson(id, 'rejects.ndjson');
    expect(outcomes.map((o) => (o.meta as JsonRecord).source)).toEqual(rejects.map((r) => `urn:harmonizer:job:${id}#row=${String(r.row)}`));
    const rows = await readParquet(id, 'patients');
    expect(rows.map((r) => [r.patient_id, r.birth_date, r.source_row])).toEqual(records.map((r) => [r.patient_id, r.birth_date, r._row]));
    expect(report.totals).toMatchObject({ rows_out, rows_rejected });
    expect(report.outputs).toEqual({ formats: ['csv', 'ndjson', 'fhir', 'parquet'], fhir_records_without_resource: 0 });
    expect((await h.filesOf(id)).filter((f) => f.startsWith('.tmp/'))).toEqual([]);
  });

  it('writes only the outputs options.outputs asks for, besides rejects and the report', async () => {
    const { id, outcome, report } = await harmonize(MESSY, { options: { outputs: ['parquet'] } });
    expect(report.outputs).toEqual({ formats: ['parquet'] });
    expect(outcome.done.results.map((r) => `${r.type}.${r.format}`)).toEqual(['harmonized.parquet', 'rejects.ndjson', 'report.json']);
    expect(await h.filesOf(id)).toEqual([`results/${id}/patients.parquet`, `results/${id}/rejects.ndjson`, `results/${id}/report.json`]);
    expect(await readParquet(id, 'patients')).toHaveLength(outcome.done.counts.rows_out);
  });

  it('builds FHIR and Parquet from the de-identified records when options.deidentify is on', async () => {
    const { id, outcome } = await harmonize(MESSY, { options: { deidentify: true, outputs: ['csv', 'ndjson', 'fhir', 'parquet'] } });
    const texts = [
      asText(await readParquet(id, 'patients')),
      await h.read(id, 'fhir/Patient.ndjson'),
      await h.read(id, 'fhir/OperationOutcome.ndjson'),
    ];
    for (const marker of MARKERS) for (const text of texts) expect(text, marker).not.toContain(marker);
    const patients = await readFhir(id, 'Patient');
    expect(patients).toHaveLength(outcome.done.counts.rows_out);
    const pseudonyms = (await h.readNdjson(id, 'patients.harmonized.ndjson')).map((r) => r.patient_id);
    expect(JSON.stringify(patients)).toContain(String(pseudonyms[0]));
  });

  it('leaves out superseded versions of a medication order everywhere and accounts for them in the report and counts', async () => {
    const { id, outcome, report } = await harmonize(INPUTEVENTS, { fileName: 'INPUTEVENTS_MV.csv', options: { outputs: ['csv', 'ndjson', 'fhir', 'parquet'] } });
    expect(outcome.done.detectedDataset).toBe('medications');
    expect(outcome.done.counts).toMatchObject({ rows_in: 4, rows_out: 1, rows_rejected: 0, duplicates: 0, superseded: 3 });
    const { rows_in, rows_out, rows_rejected, duplicates, superseded } = outcome.done.counts;
    expect(rows_out + rows_rejected + duplicates + (superseded ?? 0)).toBe(rows_in);
    expect((await h.readNdjson(id, 'medications.harmonized.ndjson')).map((r) => [r._row, r.status_text])).toEqual([[2, 'FinishedRunning']]);
    expect((await h.read(id, 'medications.harmonized.csv')).trimEnd().split('\n')).toHaveLength(2);
    expect((await readParquet(id, 'medications')).map((r) => r.source_row)).toEqual([2]);
    const fhirFiles = outcome.done.results.filter((r) => r.format === 'fhir+ndjson');
    expect(fhirFiles.map((r) => [r.storageKey.replace(`results/${id}/`, ''), r.count])).toEqual([['fhir/MedicationAdministration.ndjson', 1]]);
    const section = report.by_dataset.medications!;
    expect(section.superseded).toEqual({ count: 3, examples: [1, 3, 4].map((row) => ({ row, group: expect.stringMatching(/^\S+$/) })) });
    expect(new Set((section.superseded.examples as { group: string }[]).map((e) => e.group)).size).toBe(1);
    expect(report.totals).toMatchObject({ rows_in: 4, rows_out: 1, superseded: 3 });
  });

  it('tells Synthea conditions from procedures (same columns) by the upload file name', async () => {
    const named = async (fileName: string) => (await harmonize(SYNTHEA_CONDITIONS, { fileName })).report;
    expect(await named('conditions.csv')).toMatchObject({ dataset: 'conditions', detection: { method: 'detected', confidence: 1 } });
    expect(await named('procedures.csv')).toMatchObject({ dataset: 'procedures', detection: { method: 'detected', confidence: 1 } });
    // Without a telling name the columns alone leave it a coin toss, and the confidence says so.
    expect(((await named('export.csv')).detection as JsonRecord).confidence).toBeLessThan(1);
  });

  it('reports the job quality: a single dataset keeps its score, several are weighted by their rows', async () => {
    const single = (await harmonize(MESSY)).report;
    expect(single.quality).toMatchObject({ score: expect.any(Number), key_fields: expect.any(Array) });
    const { report } = await harmonize(BUNDLE);
    const sections = Object.values(report.by_dataset) as unknown as { rows_in: number; quality: { score: number | null } }[];
    expect(sections.length).toBeGreaterThan(1);
    const scored = sections.filter((s) => s.quality.score !== null && s.rows_in > 0);
    const weighted = scored.reduce((sum, s) => sum + (s.quality.score ?? 0) * s.rows_in, 0) / scored.reduce((sum, s) => sum + s.rows_in, 0);
    expect(report.quality).toEqual({ score: Math.round(weighted * 10) / 10, formula: expect.stringContaining('rows_in') });
  });

  it('fails a job whose reject rate is above fail_if_error_rate_above, leaving no output of any format', async () => {
    const row = await h.runningJob(MESSY, { options: { fail_if_error_rate_above: 0.05, outputs: ['csv', 'ndjson', 'fhir', 'parquet'] } });
    const error = await runPipeline(row, h.deps()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'quality.error_rate_exceeded', message: expect.stringMatching(/4 of 30 rows were rejected .*above fail_if_error_rate_above 0\.05/) });
    expect(await h.filesOf(row.id)).toEqual([]);
    // At or under the threshold the job completes.
    const { outcome } = await harmonize(MESSY, { options: { fail_if_error_rate_above: 0.2 } });
    expect(outcome.done.counts).toMatchObject({ rows_in: 30, rows_rejected: 4 });
  });
});

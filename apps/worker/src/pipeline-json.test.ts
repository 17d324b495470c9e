import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '@harmonizer/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from './pipeline.js';
import { createPipelineHarness, type JsonRecord, type PipelineHarness } from './testing/pipeline-harness.js';

const FIXTURES = path.join(import.meta.dirname, '../../../test/fixtures');
const BUNDLE = readFileSync(path.join(FIXTURES, 'smart-generated-fhir-r4/Clemente_Kreiger_1484a42d-0eaf-4654-9cbf-6b050a5cd73b.json'));
const BULK_PATIENTS = readFileSync(path.join(FIXTURES, 'smart-bulk-fhir-synthea/10p_Patient.ndjson'));
const BULK_IMMUNIZATIONS = readFileSync(path.join(FIXTURES, 'smart-bulk-fhir-synthea/10p_Immunization.ndjson'));

type Report = JsonRecord & { input: JsonRecord; totals: JsonRecord; datasets: string[]; by_dataset: Record<string, JsonRecord> };

let h: PipelineHarness;
beforeAll(async () => {
  h = await createPipelineHarness();
});
afterAll(async () => h?.close());

async function harmonize(body: Buffer | string, options: { dataset?: string; chunkRows?: number; maxJsonDocumentChars?: number } = {}) {
  const job = await h.runningJob(body, { dataset: options.dataset ?? null });
  const settings = { chunkRows: options.chunkRows ?? 1000, ...(options.maxJsonDocumentChars ? { maxJsonDocumentChars: options.maxJsonDocumentChars } : {}) };
  const outcome = await runPipeline(job, h.deps(settings));
  if (outcome.status !== 'completed') throw new Error('expected completion');
  const report = JSON.parse(await h.read(job.id, 'report.json')) as Report;
  const records = (dataset: string) => h.readNdjson(job.id, `${dataset}.harmonized.ndjson`);
  const rejects = await h.readNdjson(job.id, 'rejects.ndjson');
  return { job, outcome, report, records, rejects };
}

const PLAIN = [
  { MRN: 'P1', 'First Name': 'ann', 'Last Name': 'LEE', DOB: '1990-07-15', Sex: 'F' },
  { MRN: 'P2', 'First Name': 'Bo', 'Last Name': 'Ng', DOB: '02/03/1985', Sex: 'male', meta: { source: 'crm' } },
  { MRN: 'P1', 'First Name': 'ann', 'Last Name': 'LEE', DOB: '1990-07-15', Sex: 'F' },
  { MRN: 'P3', DOB: '2999-01-01' },
];

describe('runPipeline reads JSON records', () => {
  it('harmonizes NDJSON line by line, numbering rows by line and rejecting a line that is not JSON', async () => {
    const lines = PLAIN.map((r) => JSON.stringify(r));
    const body = [lines[0], '', lines[1], '{"MRN": "P9", broken', lines[2], lines[3]].join('\r\n');
    const { records, rejects, report, outcome } = await harmonize(body, { chunkRows: 2 });
    const patients = await records('patients');
    expect(patients.map((r) => [r.patient_id, r._row])).toEqual([['P1', 1], ['P2', 3]]);
    expect(patients[0]).toMatchObject({ given_name: 'Ann', family_name: 'Lee', gender: 'female', birth_date: '1990-07-15' });
    expect(patients[1]).toMatchObject({ birth_date: '1985-02-03', extras: { 'meta.source': 'crm' } });
    expect(rejects.map((r) => [r.dataset, r.row, r.rule])).toEqual([
      ['patients', 4, 'row.malformed'],
      ['patients', 6, 'birth_date.future'],
    ]);
    expect(outcome.done.counts).toMatchObject({ rows_in: 5, rows_out: 2, rows_rejected: 2, duplicates: 1 });
    expect(report.input).toMatchObject({ format: 'ndjson', records: 5, blank_lines: 1 });
    expect(report).toMatchObject({ dataset: 'patients', datasets: ['patients'], detection: { method: 'detected' } });
  });

  it('harmonizes a JSON array, rejecting items that are not objects, and gzip-compressed too', async () => {
    const body = JSON.stringify([...PLAIN, 'not a record'], null, 2);
    for (const bytes of [Buffer.from(body), gzipSync(body)]) {
      const { records, rejects, report } = await harmonize(bytes);
      expect((await records('patients')).map((r) => r.patient_id)).toEqual(['P1', 'P2']);
      expect(rejects.map((r) => [r.row, r.rule])).toEqual([[4, 'birth_date.future'], [5, 'row.malformed']]);
      expect(report.input).toMatchObject({ format: 'json', records: 5 });
    }
  });

  it('reads ambiguous dates of a column by the day order the rest of the column shows', async () => {
    const lines = [
      { MRN: 'A', DOB: '03/04/1980' },
      { MRN: 'B', DOB: '25/12/1975' },
    ].map((r) => JSON.stringify(r));
    const { records } = await harmonize(lines.join('\n'));
    expect((await records('patients')).map((r) => r.birth_date)).toEqual(['1980-04-03', '1975-12-25']);
  });

  it('reads a JSON document whole only up to the cap, and NDJSON of the same size at any size', async () => {
    const items = Array.from({ length: 400 }, (_, i) => ({ MRN: `P${i}`, DOB: '1990-01-01' }));
    const array = JSON.stringify(items);
    const job = await h.runningJob(array);
    const error = await runPipeline(job, h.deps({ maxJsonDocumentChars: array.length - 1 })).catch((err: unknown) => err);
    expect((error as InputError).code).toBe('input.too_large_for_json');
    expect((error as InputError).message).toContain('NDJSON');
    const ndjsonBody = items.map((r) => JSON.stringify(r)).join('\n');
    const { outcome } = await harmonize(ndjsonBody, { maxJsonDocumentChars: 100 });
    expect(outcome.done.counts).toMatchObject({ rows_in: 400, rows_out: 400 });
  });

  it('fails JSON that holds no records, and a truncated JSON document, with their codes', async () => {
    for (const [body, code] of [
      ['{"count": 3, "status": "ok"}', 'input.json_not_records'],
      ['[{"MRN": "P1"}, {"MRN": ', 'input.invalid_json'],
    ] as const) {
      const job = await h.runningJob(body);
      const error = await runPipeline(job, h.deps()).catch((err: unknown) => err);
      expect((error as InputError).code).toBe(code);
      expect(await h.filesOf(job.id)).toEqual([]);
    }
  });
});

describe('runPipeline reads FHIR R4', () => {
  it('routes a transaction Bundle by resource type, resolving urn:uuid references inside it', async () => {
    const bundle = JSON.parse(BUNDLE.toString()) as { entry: { fullUrl: string; resource: JsonRecord }[] };
    const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
    const practitioner = bundle.entry.find((e) => e.resource.resourceType === 'Practitioner')!.resource;
    const { records, report, outcome } = await harmonize(BUNDLE);

    expect(report.input).toMatchObject({ format: 'fhir-bundle', records: 70 });
    expect(report.datasets).toEqual(expect.arrayContaining(['patients', 'encounters']));
    const [person] = await records('patients');
    expect(person).toMatchObject({ patient_id: patient.id, family_name: 'Kreiger', gender: 'male', _row: 1 });
    const encounters = await records('encounters');
    expect(encounters).toHaveLength(3);
    for (const encounter of encounters) {
      expect(encounter).toMatchObject({ patient_id: patient.id, practitioner_id: practitioner.id });
    }
    // Every entry is accounted for: harmonized (a Claim also gives one claim_lines record per item) or skipped by type.
    const input = report.input as { records: number; harmonized_resources: number; skipped_resources: Record<string, number> };
    const skipped = Object.values(input.skipped_resources).reduce((sum, n) => sum + n, 0);
    expect(input.harmonized_resources + skipped).toBe(70);
    expect(report.totals).toMatchObject({ rows_skipped: skipped });
    expect(input.skipped_resources).toEqual({ DiagnosticReport: 4, ExplanationOfBenefit: 3 });
    expect(report.datasets).toEqual(
      expect.arrayContaining(['patients', 'encounters', 'vital_signs', 'lab_results', 'immunizations', 'claims', 'claim_lines', 'conditions', 'procedures', 'practitioners', 'organizations']),
    );
    expect(outcome.done.results.filter((r) => r.type === 'harmonized').map((r) => r.dataset)).toEqual(
      expect.arrayContaining(['patients', 'patients', 'encounters', 'encounters']),
    );
    expect(outcome.done.detectedDataset).toBe(report.datasets[0]);
    expect(Object.keys(report.by_dataset)).toEqual(report.datasets);
  });

  it('harmonizes only the dataset the user named, skipping the other resources by type', async () => {
    const { report, outcome } = await harmonize(BUNDLE, { dataset: 'patients' });
    expect(report.datasets).toEqual(['patients']);
    expect(outcome.done.counts).toMatchObject({ rows_in: 1, rows_out: 1 });
    expect(report.input.skipped_resources).toMatchObject({ Encounter: 3, Observation: 48 });
  });

  it('streams Bulk Data NDJSON, keeping identifiers and US Core extensions, and deduplicates a resent file', async () => {
    const { records, report, outcome } = await harmonize(Buffer.concat([BULK_PATIENTS, BULK_PATIENTS]), { chunkRows: 5 });
    const patients = await records('patients');
    expect(patients).toHaveLength(13);
    expect(outcome.done.counts).toMatchObject({ rows_in: 26, rows_out: 13, duplicates: 13 });
    const first = JSON.parse(BULK_PATIENTS.toString().split('\n')[0]!) as JsonRecord;
    expect(patients[0]).toMatchObject({
      patient_id: first.id,
      birth_date: first.birthDate,
      ssn: expect.stringMatching(/^999-?\d{2}-?\d{4}$/),
      extras: expect.objectContaining({ mrn: expect.any(String), race: expect.any(String) }),
    });
    expect(report.input).toMatchObject({ format: 'fhir-ndjson', records: 26 });
  });

  it('keeps the identifier of a conditional reference and the CVX code of a Bulk Data Immunization', async () => {
    const { records, outcome } = await harmonize(BULK_IMMUNIZATIONS);
    const immunizations = await records('immunizations');
    expect(outcome.done.counts).toMatchObject({ rows_in: 161, rows_rejected: 0 });
    expect(immunizations[0]).toMatchObject({
      immunization_id: '04912b69-f775-5a9d-3e8b-9d06c28165ad',
      patient_id: 'fb7c882a-f897-e7c5-67e0-825e7fd55d15',
      encounter_id: '0d3f79d5-ee2c-af5f-18bb-0cde9480457f',
      vaccine_code: '62',
      vaccine_code_system: 'http://hl7.org/fhir/sid/cvx',
      extras: expect.objectContaining({ location_id: '185312a0-05aa-3dae-9a19-9ebf1fb3a524' }),
    });
    expect(String(immunizations[0]?.occurrence_datetime)).toMatch(/^2014-08-19T01:16:46/);
  });

  it('rejects an unreadable line of a FHIR NDJSON file at job level and keeps the rest', async () => {
    const lines = BULK_PATIENTS.toString().trim().split('\n').slice(0, 3);
    const body = [lines[0], '{"resourceType": "Patient", "id": ', lines[1], '{"resourceType":"Provenance","id":"v1"}', lines[2]].join('\n');
    const { rejects, report, outcome } = await harmonize(body);
    expect(rejects).toEqual([expect.objectContaining({ dataset: null, row: 2, rule: 'row.malformed' })]);
    expect(outcome.done.counts).toMatchObject({ rows_in: 4, rows_out: 3, rows_rejected: 1 });
    expect(report.input.skipped_resources).toEqual({ Provenance: 1 });
    expect(report.totals).toMatchObject({ rows_in: 4, rows_skipped: 1 });
  });

  it('completes a FHIR file of resources no dataset takes with no dataset, every resource reported as skipped', async () => {
    const { report, outcome } = await harmonize('{"resourceType":"Provenance","id":"v1"}\n{"resourceType":"Provenance","id":"v2"}\n');
    expect(outcome.done).toMatchObject({ detectedDataset: null, counts: { rows_in: 0, rows_out: 0 } });
    expect(outcome.done.results.map((r) => r.type)).toEqual(['rejects', 'report']);
    expect(report).toMatchObject({ dataset: null, datasets: [], input: { records: 2, harmonized_resources: 0, skipped_resources: { Provenance: 2 } } });
    expect(outcome.summary.dataset).toBe('none');
  });
});

import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import { downloadOutputs, unguarded, type JobOutputs, type JsonRecord, type Row } from './helpers/job-outputs.js';
import type { JobList, Manifest, SubmittedJob } from './helpers/job-types.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { dumpRedisPrefix } from './helpers/redis-keys.js';
import { startStack, type Stack } from './helpers/start-stack.js';

const MESSY = path.join(import.meta.dirname, 'fixtures/messy-patients.csv');
const SYNTHEA = path.join(import.meta.dirname, 'fixtures/ohdsi-dbt-synthea/patients.csv');

/** Values from messy-patients.csv that must never reach a log line or Redis. */
const PHI_MARKERS = ['Łukasz', 'KOWALSKI', 'Kowalski', '312 555 0103', '+13125550103', 'lukasz.k@example.net', 'Siobhan', 'Harbor Rd'];

/** Rows of messy-patients.csv (1-based data record numbers) that must be rejected, and why. */
const EXPECTED_REJECTS = [
  { row: 11, rule: 'birth_date.future' },
  { row: 12, rule: 'deceased_date.before_birth' },
  { row: 13, rule: 'patient.unidentifiable' },
  { row: 23, rule: 'age.over_125' },
];

describe('messy patients file with the dataset auto-detected', () => {
  let stack: Stack;
  let api: ApiClient;
  let messyId: string;
  let syntheaId: string;
  let manifest: Manifest;
  let outputs: JobOutputs;
  let csvById: Map<string, Row>;
  let jsonById: Map<string, JsonRecord>;

  beforeAll(async () => {
    stack = await startStack();
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => stack?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  it('detects the patients dataset and counts 30 rows in, 4 rejected, 4 duplicates, 22 out', async () => {
    const submitted = await api.submit<SubmittedJob>(await openAsBlob(MESSY, { type: 'text/csv' }), 'messy-patients.csv');
    expect(submitted.status).toBe(202);
    expect(submitted.body.dataset).toBeNull();
    messyId = submitted.body.id;

    manifest = (await api.waitForStatus<Manifest>(messyId)).body;

    expect(manifest.status).toBe('completed');
    expect(manifest.counts).toMatchObject({ rows_in: 30, rows_rejected: 4, duplicates: 4, rows_out: 22 });
    const record = await api.request<{ detected_dataset: string }>('GET', `/api/v1/jobs/${messyId}`);
    expect(record.body.detected_dataset).toBe('patients');
    outputs = await downloadOutputs(api, messyId);
    csvById = new Map(outputs.csvRows.map((r) => [r.patient_id!, r]));
    jsonById = new Map(outputs.ndjson.map((r) => [String(r.patient_id), r]));
  });

  it('keeps one record per MRN after removing exact, standardized-equal and same-MRN duplicates', () => {
    const ids = outputs.csvRows.map((r) => r.patient_id);
    expect(new Set(ids).size).toBe(22);
    const duplicates = outputs.report.duplicates as { exact: number; by_key: number; keys: string[]; examples: unknown[] };
    expect(duplicates).toMatchObject({ exact: 3, by_key: 1, keys: ['patient_id'] });
    expect(duplicates.examples).toEqual([
      { row: 14, duplicate_of: 1, kind: 'exact' }, // the same line twice
      { row: 15, duplicate_of: 9, kind: 'exact' },
      { row: 16, duplicate_of: 10, kind: 'exact' }, // equal once standardized (case, date and phone styles)
      { row: 17, duplicate_of: 4, kind: 'key' }, // same MRN, other phone and email
    ]);
    // The record that survives is the earlier one.
    expect(csvById.get('MRN-1004')?.email).toBe('siobhan@example.com');
  });

  it('normalizes every date style to ISO 8601', () => {
    const birth = (id: string) => csvById.get(id)?.birth_date;
    expect(birth('MRN-1001')).toBe('1980-01-15'); // ISO
    expect(birth('MRN-1002')).toBe('1975-03-04'); // MM/DD/YYYY
    expect(birth('MRN-1003')).toBe('1990-03-05'); // D Mon YYYY
    expect(birth('MRN-1009')).toBe('2001-01-01'); // YYYYMMDD
    expect(birth('MRN-1005')).toBe('1962-04-05'); // MM/DD/YY
    expect(birth('MRN-1022')).toBe('1977-07-07'); // MM/DD/YY
    expect(csvById.get('MRN-1008')?.deceased_date).toBe('2021-08-15'); // DD Mon YYYY
  });

  it('counts the two-digit years as warnings and keeps those rows', () => {
    expect(manifest.counts.warnings).toBeGreaterThanOrEqual(2);
    expect(outputs.report.rules).toContainEqual({ rule: 'date.two_digit_year', severity: 'warning', count: 2 });
  });

  it('maps sexes to FHIR administrative gender', () => {
    expect(csvById.get('MRN-1001')?.gender).toBe('male'); // M
    expect(csvById.get('MRN-1002')?.gender).toBe('female'); // female
    expect(csvById.get('MRN-1004')?.gender).toBe('female'); // F
    expect(csvById.get('MRN-1006')?.gender).toBe('unknown'); // U
    expect(csvById.get('MRN-1007')?.gender).toBe('other'); // x
  });

  it('writes phones as E.164, unguarded because a signed number cannot run as a formula', () => {
    const expected: Record<string, string> = {
      'MRN-1001': '+16175550101', 'MRN-1002': '+19735550102', 'MRN-1003': '+13125550103',
      'MRN-1005': '+18605550105', 'MRN-1024': '+12065550124', 'MRN-1030': '+19735550130',
    };
    for (const [id, phone] of Object.entries(expected)) {
      expect(csvById.get(id)?.phone, id).toBe(phone);
      expect(jsonById.get(id)?.phone, id).toBe(phone);
    }
  });

  it('neutralizes a cell that starts with "=" in the CSV', () => {
    expect(csvById.get('MRN-1007')?.address_line).toBe("'=SUM(A1:A9)");
    expect(jsonById.get('MRN-1007')?.address_line).toBe('=SUM(A1:A9)');
  });

  it('keeps non-ASCII names, ZIP leading zeros and quoted fields intact; trims and cases names', () => {
    expect(csvById.get('MRN-1001')?.given_name).toBe('José');
    expect(csvById.get('MRN-1002')).toMatchObject({ given_name: 'Zoë', family_name: 'Müller', postal_code: '07102', city: 'Newark' });
    expect(csvById.get('MRN-1003')).toMatchObject({ given_name: 'Łukasz', family_name: 'Kowalski', city: 'Chicago' });
    expect(unguarded(csvById.get('MRN-1003')?.address_line)).toBe('Suite 5; Building B');
    expect(csvById.get('MRN-1002')?.address_line).toMatch(/^45 Elm St\s+Apt 4$/);
    expect(csvById.get('MRN-1028')).toMatchObject({ given_name: 'Mark', family_name: 'Young' });
    expect(csvById.get('MRN-1001')?.postal_code).toBe('02115');
    expect(csvById.get('MRN-1026')?.postal_code).toBe('02840');
  });

  it('rejects the impossible rows with their row numbers and rule codes', () => {
    const rejects = [...outputs.rejects].sort((a, b) => Number(a.row) - Number(b.row));
    expect(rejects).toEqual(EXPECTED_REJECTS.map(({ row, rule }) => expect.objectContaining({ row, rule, severity: 'error' })));
    const rules = outputs.report.rules as { rule: string; severity: string; count: number }[];
    for (const { rule } of EXPECTED_REJECTS) expect(rules).toContainEqual({ rule, severity: 'error', count: 1 });
    expect(outputs.report).toMatchObject({ dataset: 'patients', rows_in: 30, rows_out: 22, rows_rejected: 4, input: { delimiter: ';' } });
  });

  it('puts no record value into the service logs, the job logs, the metrics or Redis', async () => {
    const logs = stack.output();
    const jobLogs = JSON.stringify(outputs.logs);
    const redis = await dumpRedisPrefix(stack.queuePrefix);
    const metrics = (await api.request<undefined>('GET', '/metrics')).text + (await (await fetch(stack.workerMetricsUrl)).text());
    expect(logs).toContain(messyId);
    for (const marker of PHI_MARKERS) {
      expect(metrics, marker).not.toContain(marker);
      expect(logs, marker).not.toContain(marker);
      expect(jobLogs, marker).not.toContain(marker);
      expect(redis, marker).not.toContain(marker);
    }
  });

  it('answers the probes and exposes Prometheus metrics from the api and the worker', async () => {
    expect((await api.request<unknown>('GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await api.request<unknown>('GET', '/ready')).body).toMatchObject({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    expect((await api.request<{ name: string }>('GET', '/version')).body.name).toEqual(expect.any(String));

    const apiMetrics = await api.request<undefined>('GET', '/api/v1/metrics');
    expect(apiMetrics.text).toMatch(/^harmonizer_jobs_submitted_total\{[^}]*\} [1-9]/m);
    expect(apiMetrics.text).toContain('harmonizer_http_request_duration_seconds_bucket');
    const workerMetrics = await (await fetch(stack.workerMetricsUrl)).text();
    expect(workerMetrics).toMatch(/^harmonizer_jobs_finished_total\{[^}]*status="completed"[^}]*\} [1-9]/m);
    expect(workerMetrics).toMatch(/^harmonizer_validation_issues_total\{[^}]*rule="date.two_digit_year"[^}]*\} 2$/m);
    expect(workerMetrics).toMatch(/^harmonizer_duplicates_removed_total\{[^}]*\} [1-9]/m);
  });

  it('returns the first job again for a repeated Idempotency-Key', async () => {
    const headers = { 'idempotency-key': `e2e-${messyId}` };
    const file = await openAsBlob(SYNTHEA, { type: 'text/csv' });
    const first = await api.submit<SubmittedJob>(file, 'patients.csv', { dataset: 'patients' }, headers);
    expect(first.status).toBe(202);
    syntheaId = first.body.id;

    const again = await api.submit<SubmittedJob>(file, 'patients.csv', { dataset: 'patients' }, headers);

    expect(again.status).toBeLessThan(300);
    expect(again.body.id).toBe(syntheaId);
    expect(again.headers.get('location')).toBe(`/api/v1/jobs/${syntheaId}`);
    await api.waitForStatus(syntheaId);
  });

  it('lists the jobs newest first, one page at a time with next_cursor', async () => {
    const first = await api.request<JobList>('GET', '/api/v1/jobs?limit=1');
    expect(first.body.items.map((j) => j.id)).toEqual([syntheaId]);
    expect(first.body.next_cursor).toEqual(expect.any(String));

    const second = await api.request<JobList>('GET', `/api/v1/jobs?limit=1&cursor=${encodeURIComponent(first.body.next_cursor!)}`);
    expect(second.body.items.map((j) => j.id)).toEqual([messyId]);

    const rest = second.body.next_cursor
      ? (await api.request<JobList>('GET', `/api/v1/jobs?limit=1&cursor=${encodeURIComponent(second.body.next_cursor)}`)).body.items
      : [];
    expect(rest).toEqual([]);
    const completed = await api.request<JobList>('GET', '/api/v1/jobs?status=completed');
    expect(completed.body.items.map((j) => j.id)).toEqual([syntheaId, messyId]);
  });
});

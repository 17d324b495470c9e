import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import type { Manifest, SubmittedJob } from './helpers/job-types.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { startStack, type Stack } from './helpers/start-stack.js';

/** Headers no synonym matches, and a local sex code (1/2), as a clinic's export might have. */
const CLINIC_CSV = `Pt Ident,Bday,Last Name,Sex Cd
A-1,1980-01-15,Lee,1
A-2,1975-03-04,Kim,2
A-3,1990-07-20,Ng,1
`;

describe('saved mapping profiles, end to end', () => {
  let stack: Stack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => stack?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  it('harmonizes a file with odd headers and local codes through a profile named in the options', async () => {
    const saved = await api.request('POST', '/api/v1/mappings', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'clinic-a',
        dataset: 'patients',
        columns: { 'Pt Ident': 'patient_id', Bday: 'birth_date', 'Sex Cd': 'gender' },
        codes: { gender: { '1': 'male', '2': 'female' } },
      }),
    });
    expect(saved.status).toBe(201);

    const submitted = await api.submit<SubmittedJob>(new Blob([CLINIC_CSV], { type: 'text/csv' }), 'clinic.csv', {
      dataset: 'patients',
      options: JSON.stringify({ mapping_profile: 'clinic-a' }),
    });
    expect(submitted.status).toBe(202);
    const manifest = (await api.waitForStatus<Manifest>(submitted.body.id)).body;
    expect(manifest.status).toBe('completed');
    expect(manifest.counts).toMatchObject({ rows_in: 3, rows_rejected: 0, rows_out: 3 });

    const csvUrl = manifest.output.map((file) => file.url).find((url) => /format=csv|\.csv$/.test(url));
    const csv = await api.request<unknown>('GET', csvUrl ?? '');
    expect(csv.status).toBe(200);
    const rows = parse(csv.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.patient_id, r.birth_date, r.gender])).toEqual([
      ['A-1', '1980-01-15', 'male'],
      ['A-2', '1975-03-04', 'female'],
      ['A-3', '1990-07-20', 'male'],
    ]);

    const report = await api.request<unknown>('GET', `/api/v1/jobs/${submitted.body.id}/report`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('code_map:gender');
  });
});

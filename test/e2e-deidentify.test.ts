import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import type { Manifest, SubmittedJob } from './helpers/job-types.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { startStack, type Stack } from './helpers/start-stack.js';

const MESSY = path.join(import.meta.dirname, 'fixtures/messy-patients.csv');

/** Identifying values of messy-patients.csv, as sent and as the plain job would standardize them. */
const MARKERS = [
  'MRN-10', 'Garcia', 'José', 'KOWALSKI', 'Kowalski', 'Łukasz', "O'Brien", 'Siobhan', '12 Main St', 'Harbor Rd',
  'Boston', 'Chicago', 'lukasz.k@example.net', 'jose.garcia@example.com', '(617) 555-0101', '+16175550101',
  '+13125550103', '1980-01-15', '1990-03-05', '03/04/1975', '2020-06-01', '02115', '60601',
];

describe('de-identified output, end to end', () => {
  let stack: Stack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => stack?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  it('writes every output of the messy file without an identifying value, still deduplicated on the real ones', async () => {
    const submitted = await api.submit<SubmittedJob>(await openAsBlob(MESSY, { type: 'text/csv' }), 'messy-patients.csv', {
      options: JSON.stringify({ deidentify: true }),
    });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id;
    const manifest = (await api.waitForStatus<Manifest>(id)).body;
    expect(manifest.status).toBe('completed');
    // The same rows as without de-identification: keys were computed on the real values.
    expect(manifest.counts).toMatchObject({ rows_in: 30, rows_rejected: 4, duplicates: 4, rows_out: 22 });

    const urls = [...manifest.output, ...manifest.error].map((file) => file.url);
    const downloads = await Promise.all(urls.map((url) => api.request<unknown>('GET', url)));
    for (const res of downloads) expect(res.status).toBe(200);
    const everything = downloads.map((res) => res.text).join('\n');
    for (const marker of MARKERS) expect(everything, marker).not.toContain(marker);

    const csv = downloads[urls.findIndex((url) => /format=csv|\.csv$/.test(url))]?.text ?? '';
    const rows = parse(csv, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(22);
    expect(new Set(rows.map((r) => r.patient_id)).size).toBe(22);
    for (const row of rows) {
      expect(row.patient_id).toMatch(/^[0-9a-f]{24}$/);
      expect(row).toMatchObject({ given_name: '', family_name: '', address_line: '', city: '', phone: '', email: '' });
      expect(row.birth_date).toMatch(/^\d{4}$/);
      expect(row.postal_code).toMatch(/^\d{3}$/);
    }
  });
});

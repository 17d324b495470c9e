import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import type { Counts, ErrorBody, SubmittedJob } from './helpers/job-types.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { startStack, type Stack } from './helpers/start-stack.js';

const BAD = path.join(import.meta.dirname, 'fixtures/bad');
const MAX_DECOMPRESSED_BYTES = 4 * 1024 * 1024;

type Expected =
  | { failed: string }
  | { completed: Partial<Counts> }
  /** Either way is acceptable, but never a transient-failure retry loop (processing_failed). */
  | { completedOrInputError: true };

interface BadUpload {
  name: string;
  file: () => Blob;
  expected: Expected;
}

const fixture = (name: string, type = 'application/octet-stream') => () => new Blob([readFileSync(path.join(BAD, name))], { type });

/** A small gzip of a valid CSV whose one row repeats until it inflates far past the cap. */
function gzipBomb(): Blob {
  const row = 'P1,Ann,Lee,1980-01-02,F\n';
  const body = Buffer.from(`MRN,First Name,Last Name,DOB,Sex\n${row.repeat(Math.ceil((4 * MAX_DECOMPRESSED_BYTES) / row.length))}`);
  return new Blob([gzipSync(body, { level: 9 })], { type: 'application/gzip' });
}

const deepJson = () => {
  const depth = 20_000;
  return new Blob([`[{"MRN":"P1","First Name":"Ann","payload":${'['.repeat(depth)}${']'.repeat(depth)}}]`], { type: 'application/json' });
};

/** Each bad upload with what the service must answer; the README next to the fixtures says why. */
const CORPUS: BadUpload[] = [
  { name: 'binary.png', file: fixture('binary.png', 'image/png'), expected: { failed: 'input.binary' } },
  { name: 'nul-bytes.csv', file: fixture('nul-bytes.csv', 'text/csv'), expected: { failed: 'input.binary' } },
  { name: 'truncated.csv.gz', file: fixture('truncated.csv.gz'), expected: { failed: 'input.truncated_gzip' } },
  { name: 'spreadsheet.csv', file: fixture('spreadsheet.csv', 'text/csv'), expected: { failed: 'input.unsupported_format' } },
  { name: 'not-records.json', file: fixture('not-records.json', 'application/json'), expected: { failed: 'input.json_not_records' } },
  { name: 'invalid.json', file: fixture('invalid.json', 'application/json'), expected: { failed: 'input.invalid_json' } },
  { name: 'bomb.csv.gz', file: gzipBomb, expected: { failed: 'input.decompressed_too_large' } },
  { name: 'one-line-50mb.csv', file: () => new Blob(['x'.repeat(50 * 1024 * 1024)], { type: 'text/csv' }), expected: { failed: 'input.no_header' } },
  { name: 'mismatched-quotes.csv', file: fixture('mismatched-quotes.csv', 'text/csv'), expected: { completed: { rows_in: 2, rows_out: 1, rows_rejected: 1 } } },
  { name: 'header-only.csv', file: fixture('header-only.csv', 'text/csv'), expected: { completed: { rows_in: 0, rows_out: 0 } } },
  { name: 'patients-named-as.json', file: fixture('patients-named-as.json', 'application/json'), expected: { completed: { rows_in: 2, rows_out: 2 } } },
  { name: 'windows-1252.csv', file: fixture('windows-1252.csv', 'text/csv'), expected: { completed: { rows_in: 2, rows_out: 2 } } },
  { name: 'deeply-nested.json', file: deepJson, expected: { completedOrInputError: true } },
];

interface FinalStatus {
  status: string;
  counts?: Counts;
  error?: { code: string; message: string };
}

describe('bad uploads end to end', () => {
  let stack: Stack;
  let api: ApiClient;
  const submitted = new Map<string, string>();

  beforeAll(async () => {
    stack = await startStack({
      env: { MAX_DECOMPRESSED_BYTES: String(MAX_DECOMPRESSED_BYTES), JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '100', WORKER_CONCURRENCY: '2' },
    });
    api = createApiClient(stack.baseUrl);
    for (const upload of CORPUS) {
      const res = await api.submit<SubmittedJob>(upload.file(), upload.name);
      expect(res.status, upload.name).toBe(202);
      submitted.set(upload.name, res.body.id);
    }
  });
  afterAll(async () => stack?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  it('refuses an empty file at submission with 400 file_empty', async () => {
    const res = await api.submit<ErrorBody>(new Blob([], { type: 'text/csv' }), 'empty.csv');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('file_empty');
  });

  it.each(CORPUS.map((upload) => [upload.name, upload] as const))('answers %s as expected', async (_name, upload) => {
    const id = submitted.get(upload.name)!;
    const done = await api.waitForStatus<FinalStatus>(id, undefined, 60_000);
    const { expected } = upload;
    if ('failed' in expected) {
      expect({ status: done.body.status, code: done.body.error?.code }).toEqual({ status: 'failed', code: expected.failed });
      expect(done.body.error?.message.length).toBeGreaterThan(10);
      expect((await api.request<ErrorBody>('GET', `/api/v1/jobs/${id}/result`)).status).toBe(409);
    } else if ('completed' in expected) {
      expect(done.body.status).toBe('completed');
      expect(done.body.counts).toMatchObject(expected.completed);
    } else {
      const outcome = done.body.status === 'completed' ? 'completed' : done.body.error?.code ?? '';
      expect(outcome).toMatch(/^(completed|input\..+)$/);
    }
  });
});

import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { InputError } from '@harmonizer/core';
import { createDb, type Database, type Job } from '@harmonizer/db';
import { createLocalStorage, type ObjectStorage } from '@harmonizer/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type PipelineDeps } from './pipeline.js';
import { createPool, type ChunkPool } from './pool.js';

/** Semicolons, a BOM, CRLF, a quoted line break, an exact duplicate, a duplicate MRN, a future birth date. */
const MESSY_PATIENTS = [
  '\uFEFFMRN;First Name;Last Name;DOB;Sex;Address;ZIP;Phone',
  'P001;john;SMITH;01/02/1980;M;"12 Main St\r\nApt 4";02134;(617) 555-0101',
  'P002;Mary;Jones;1975-03-04;F;1 Elm St;10001;212-555-0102',
  'P001;john;SMITH;01/02/1980;M;"12 Main St\r\nApt 4";02134;(617) 555-0101',
  'P002;Maria;Jones;1975-03-04;female;9 Oak Ave;10001;212-555-0199',
  'P003;Ann;Lee;01/01/2999;F;3 Pine Rd;60601;312-555-0103',
  'P004;Bob;Brown;19900715;male;4 Birch Ln;94105;415-555-0104',
].join('\r\n') + '\r\n';

let root: string;
let db: Database;
let storage: ObjectStorage;
let pool: ChunkPool;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-pipeline-'));
  db = await createDb({ kind: 'sqlite', file: path.join(root, 'db.sqlite') });
  storage = createLocalStorage(path.join(root, 'files'));
  pool = createPool({ threads: 2 });
});

afterAll(async () => {
  await pool?.destroy();
  await db?.close();
  await fs.rm(root, { recursive: true, force: true });
});

const deps = (settings: Partial<PipelineDeps['settings']> = {}): PipelineDeps => ({
  db,
  storage,
  pool,
  settings: { chunkRows: 1000, progressIntervalMs: 1000, ...settings },
  today: () => '2025-06-01',
});

/** Stores the file and a running job row for it, as the api and markRunning would leave them. */
async function runningJob(body: string, dataset: string | null = null, options: Record<string, unknown> = {}): Promise<Job> {
  const id = randomUUID();
  const storageKey = `uploads/${id}/input`;
  const { size, sha256 } = await storage.put(storageKey, Readable.from([Buffer.from(body)]));
  await db.jobs.create({ tenantId: 'local', id, dataset, fileName: 'patients.csv', contentType: 'text/csv', sizeBytes: size, sha256, storageKey, options, idempotencyKey: null });
  const row = await db.jobs.markRunning(id);
  if (!row) throw new Error('job did not start');
  return row;
}

const read = async (jobId: string, name: string) => text(await storage.read(`results/${jobId}/${name}`));
const ndjson = (body: string) => body.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
const files = async () => (await fs.readdir(path.join(root, 'files'), { recursive: true })).sort();

/** A bigger messy file (several read buffers): duplicates, quoted line breaks, a rejected row every 97. */
function bigPatients(rows: number): string {
  const lines = ['Patient ID,Given,Surname,Birth Date,Gender,Street,Zip Code'];
  for (let i = 1; i <= rows; i++) {
    const n = i % 10 === 0 ? i - 3 : i; // every tenth row repeats an earlier patient exactly
    const birth = i % 97 === 0 ? '2999-01-01' : `19${String(50 + (n % 50)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`;
    lines.push(`M${n},Name${n},FAMILY${n},${birth},${n % 2 ? 'M' : 'F'},"${n} Long Road\nUnit ${n}",0${String(n).padStart(4, '0')}`);
  }
  return lines.join('\n') + '\n';
}

describe('runPipeline', () => {
  it('harmonizes a messy patients file: maps, standardizes, rejects and deduplicates', async () => {
    const job = await runningJob(MESSY_PATIENTS);
    const outcome = await runPipeline(job, deps());
    if (outcome.status !== 'completed') throw new Error('expected completion');
    expect(outcome.done.detectedDataset).toBe('patients');
    expect(outcome.done.counts).toEqual({ rows_in: 6, rows_out: 3, rows_rejected: 1, duplicates: 2, superseded: 0, warnings: expect.any(Number) });
    expect(outcome.summary.duplicatesByKind).toEqual({ exact: 1, key: 1 });

    const csv = (await read(job.id, 'patients.harmonized.csv')).split('\n').filter(Boolean);
    expect(csv).toHaveLength(4);
    expect(csv[0]).toMatch(/^patient_id,/);
    const records = ndjson(await read(job.id, 'patients.harmonized.ndjson'));
    expect(records.map((r) => r.patient_id)).toEqual(['P001', 'P002', 'P004']);
    expect(records[0]).toMatchObject({ birth_date: '1980-01-02', gender: 'male', postal_code: '02134', family_name: 'Smith' });
    expect(records[1]).toMatchObject({ given_name: 'Mary' }); // the first P002 survives, not the later one
    expect(records[2]).toMatchObject({ birth_date: '1990-07-15' });

    const rejects = ndjson(await read(job.id, 'rejects.ndjson'));
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ row: 5 });
    expect(JSON.stringify(rejects[0])).toContain('birth_date.future');

    const report = JSON.parse(await read(job.id, 'report.json')) as Record<string, unknown>;
    expect(JSON.stringify(report)).toContain('birth_date.future');
    // The default outputs: CSV, NDJSON and FHIR (rejects as OperationOutcome too).
    expect(outcome.done.results.map((r) => [r.dataset, r.type, r.format, r.count])).toEqual([
      ['patients', 'harmonized', 'csv', 3],
      ['patients', 'harmonized', 'ndjson', 3],
      ['patients', 'rejects', 'fhir+ndjson', 1],
      ['patients', 'harmonized', 'fhir+ndjson', 3],
      [null, 'rejects', 'ndjson', 1],
      [null, 'report', 'json', 1],
    ]);
  });

  it('writes identical outputs whatever the chunk size', async () => {
    const body = bigPatients(3000);
    const outputs = [];
    for (const chunkRows of [1, 1000]) {
      const job = await runningJob(body);
      const outcome = await runPipeline(job, deps({ chunkRows }));
      if (outcome.status !== 'completed') throw new Error('expected completion');
      const names = ['patients.harmonized.csv', 'patients.harmonized.ndjson', 'rejects.ndjson', 'report.json'];
      outputs.push({ counts: outcome.done.counts, files: await Promise.all(names.map((name) => read(job.id, name))) });
    }
    // 300 repeats, less the 3 that are themselves rejected and the 3 whose original was rejected.
    expect(outputs[0]!.counts).toMatchObject({ rows_in: 3000, rows_rejected: 30, duplicates: 294 });
    expect(outputs[1]).toEqual(outputs[0]);
  });

  it('writes progress to the row, capped at 99% until the job is marked completed', async () => {
    const job = await runningJob(bigPatients(500));
    const outcome = await runPipeline(job, deps({ chunkRows: 100, progressIntervalMs: 0 }));
    expect(outcome.status).toBe('completed');
    expect(await db.jobs.get(job.id)).toMatchObject({ status: 'running', progressPercent: 99, recordsProcessed: 500, errorsFound: 5 });
  });

  it('fails with an InputError and leaves no output when no header is recognizable', async () => {
    const job = await runningJob('colour,weight\nred,3\nblue,4\n');
    const error = await runPipeline(job, deps()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('input.unknown_dataset');
    expect((await files()).filter((f) => f.startsWith(`results/${job.id}`))).toEqual([]);
  });

  it('completes a file with a header and no data rows as an empty result', async () => {
    const job = await runningJob('MRN;DOB\r\n\r\n');
    const outcome = await runPipeline(job, deps());
    expect(outcome).toMatchObject({ status: 'completed', done: { counts: { rows_in: 0, rows_out: 0, rows_rejected: 0 } } });
  });

  it('stops when the job is cancelled while running and leaves no output', async () => {
    const job = await runningJob(bigPatients(5000));
    let checks = 0;
    const cancelling: PipelineDeps = {
      ...deps({ chunkRows: 50, progressIntervalMs: 0 }),
      db: {
        ...db,
        jobs: {
          ...db.jobs,
          // The user's DELETE arrives while the first progress update is on its way.
          async updateProgress(id, progress) {
            checks += 1;
            if (checks === 1) await db.jobs.cancel(id);
            return db.jobs.updateProgress(id, progress);
          },
        },
      },
    };
    const outcome = await runPipeline(job, cancelling);
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(checks).toBe(1);
    expect((await db.jobs.get(job.id))?.status).toBe('cancelled');
    expect((await files()).filter((f) => f.startsWith(`results/${job.id}`) || f.startsWith('.tmp/'))).toEqual([]);
  });
});

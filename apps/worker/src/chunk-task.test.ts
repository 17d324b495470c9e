import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { matchHeaders, processChunk, type ChunkTask, type DatasetName } from '@harmonizer/core';
import { createLocalStorage } from '@harmonizer/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import chunkTask, { type RecordWithFhir, type WorkerChunkTask } from './chunk-task.js';
import { createFhirWriter } from './fhir-writer.js';

const task = (dataset: DatasetName, header: string[], rows: string[], extra: Partial<WorkerChunkTask> = {}): WorkerChunkTask => ({
  dataset,
  delimiter: ',',
  mapping: matchHeaders(header, dataset),
  text: `${rows.join('\n')}\n`,
  firstRow: 1,
  options: {},
  referenceDate: '2025-06-15',
  ...extra,
});

const CASES: [DatasetName, string[], string[]][] = [
  ['patients', ['MRN', 'Last Name', 'First Name', 'DOB', 'Sex', 'Phone'], ['P1,Doe,Jane,1980-02-01,F,(617) 555-0100', 'P2,Roe,Ann,31/31/1990,F,', 'P3,"O\'BRIEN, Al",x,1990-01-01,M,617.555.0101', 'P1,Doe,Jane,1980-02-01,F,(617) 555-0100']],
  ['vital_signs', ['Patient ID', 'Visit Date', 'Heart Rate', 'Systolic BP', 'Diastolic BP'], ['P1,2024-03-01 09:30,72,120,80', 'P2,2024-03-02,,,']],
  ['lab_results', ['HADM_ID', 'ITEMID', 'CHARTTIME', 'VALUE', 'VALUEUOM'], ['193924,51214,2115-05-13 14:53:00,226,mg/dL']],
  ['medications', ['Kind', 'PATIENT', 'CODE'], ['administration,P1,225799', 'order,P2,225799']],
  ['code_dictionary', ['code', 'display', 'system'], ['A1,Thing,local']],
];

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-chunk-task-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** FHIR files written from `records`, keyed by path, and the writer's skipped count. */
async function fhirFiles(dir: string, dataset: DatasetName, records: RecordWithFhir[]) {
  const storage = createLocalStorage(path.join(root, dir));
  const writer = createFhirWriter(storage, 'job-7');
  await writer.write(dataset, records);
  const results = await writer.commit();
  const files: Record<string, string> = {};
  for (const r of results) files[r.storageKey] = await fs.readFile(path.join(root, dir, r.storageKey), 'utf8');
  return { files, skipped: writer.skipped, results };
}

describe('chunkTask', () => {
  it.each(CASES)('makes the same FHIR resources in the thread as the writer makes from the JSON (%s)', async (dataset, header, rows) => {
    const result = chunkTask(task(dataset, header, rows, { jobId: 'job-7' }));
    const records = result.accepted as RecordWithFhir[];
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record.fhir).toBeDefined();
    // The reference: the same records without their resources, mapped by the writer itself.
    const plain = records.map(({ fhir: _fhir, ...record }) => record);
    const fast = await fhirFiles('fast', dataset, records);
    const reference = await fhirFiles('reference', dataset, plain);
    expect(fast.files).toEqual(reference.files);
    expect(fast.skipped).toBe(reference.skipped);
    expect(fast.results).toEqual(reference.results);
  });

  it('is processChunk alone without a job id, or when the job writes no FHIR', () => {
    const [dataset, header, rows] = CASES[0]!;
    const plain: ChunkTask = task(dataset, header, rows);
    expect(chunkTask(plain)).toEqual(processChunk(plain));
    const noFhir = task(dataset, header, rows, { jobId: 'job-7', options: { outputs: ['csv', 'ndjson'] } });
    expect(chunkTask(noFhir)).toEqual(processChunk(noFhir));
  });
});

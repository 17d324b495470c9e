import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { csvHeader, harmonizeText } from '@harmonizer/core';
import { createLocalStorage, type ObjectStorage } from '@harmonizer/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createResultWriters } from './result-writers.js';

const FILE = `MRN,Last Name,First Name,DOB,Sex
P1,Doe,Jane,1980-02-01,F
P2,Roe,Ann,31/31/1990,F
P3,Poe,Al,1990-01-01,M
`;
const { kept, chunk } = harmonizeText(FILE, { dataset: 'patients', referenceDate: '2025-06-15' });
const ALL = ['csv', 'ndjson', 'fhir', 'parquet'] as const;

let root: string;
let storage: ObjectStorage;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-writers-'));
  storage = createLocalStorage(root);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const files = async () =>
  (await fs.readdir(root, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();

/** The storage, with the commit of one key failing as a full disk would. */
function failingCommitOf(name: string): ObjectStorage {
  return {
    ...storage,
    async createWriter(key) {
      const writer = await storage.createWriter(key);
      if (!key.endsWith(`/${name}`)) return writer;
      return {
        stream: writer.stream,
        abort: () => writer.abort(),
        async commit() {
          await writer.abort();
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        },
      };
    },
  };
}

async function writeAll(target: ObjectStorage) {
  const writers = await createResultWriters(target, 'job-1', { outputs: ALL });
  const dataset = await writers.openDataset('patients', csvHeader('patients'));
  await dataset.write(kept);
  await writers.writeRejects('patients', chunk.rejects);
  return writers;
}

describe('result writers', () => {
  it('commits every requested format together, the FHIR files listed without their resource type field', async () => {
    const results = await (await writeAll(storage)).commit('{}\n', { rowsOut: { patients: 2 }, rowsRejected: 1 });
    expect(results.map((r) => [r.format, r.storageKey, r.count])).toEqual([
      ['csv', 'results/job-1/patients.harmonized.csv', 2],
      ['ndjson', 'results/job-1/patients.harmonized.ndjson', 2],
      ['parquet', 'results/job-1/patients.parquet', 2],
      ['fhir+ndjson', 'results/job-1/fhir/OperationOutcome.ndjson', 1],
      ['fhir+ndjson', 'results/job-1/fhir/Patient.ndjson', 2],
      ['ndjson', 'results/job-1/rejects.ndjson', 1],
      ['json', 'results/job-1/report.json', 1],
    ]);
    expect(results.every((r) => !('resourceType' in r))).toBe(true);
    expect(await files()).toEqual(results.map((r) => r.storageKey).sort());
  });

  it('names the dataset on each reject line, and job-level rejects with null', async () => {
    const writers = await createResultWriters(storage, 'job-1', { outputs: ['csv'] });
    await writers.writeRejects('patients', ['{"row":2,"issues":[]}']);
    await writers.writeRejects(null, ['{"row":9,"issues":[]}']);
    await writers.commit('{}\n', { rowsOut: {}, rowsRejected: 2 });
    expect(await fs.readFile(path.join(root, 'results/job-1/rejects.ndjson'), 'utf8')).toBe(
      '{"dataset":"patients","row":2,"issues":[]}\n{"dataset":null,"row":9,"issues":[]}\n',
    );
  });

  it('leaves nothing of any format, visible or temporary, when a commit fails part-way', async () => {
    const writers = await writeAll(failingCommitOf('rejects.ndjson'));
    await expect(writers.commit('{}\n', { rowsOut: { patients: 2 }, rowsRejected: 1 })).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await files()).toEqual([]);
  });

  it('leaves nothing of any format when aborted', async () => {
    const writers = await writeAll(storage);
    expect((await files()).length).toBeGreaterThan(4);
    await writers.abort();
    expect(await files()).toEqual([]);
  });
});

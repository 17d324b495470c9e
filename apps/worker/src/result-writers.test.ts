import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { csvHeader, harmonizeText } from '@harmonizer/core';
import { createLocalStorage, type ObjectStorage } from '@harmonizer/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createResultWriters } from './result-writers.js';
import { storedFiles } from './testing/stored-files.js';

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

const files = () => storedFiles(root);

/** The storage, with the commit of one key failing as a full disk would (a file written whole, or through a writer). */
function failingCommitOf(name: string): ObjectStorage {
  const full = () => Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
  return {
    ...storage,
    async put(key, source, options) {
      if (key.endsWith(`/${name}`)) throw full();
      return storage.put(key, source, options);
    },
    async createWriter(key) {
      const writer = await storage.createWriter(key);
      if (!key.endsWith(`/${name}`)) return writer;
      return {
        stream: writer.stream,
        abort: () => writer.abort(),
        async commit() {
          await writer.abort();
          throw full();
        },
      };
    },
  };
}

async function writeAll(target: ObjectStorage, bufferBytes?: number) {
  const writers = await createResultWriters(target, 'job-1', { outputs: ALL, ...(bufferBytes === undefined ? {} : { bufferBytes }) });
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

  it.each([
    ['written whole at commit', undefined],
    ['streamed', 0],
  ])('leaves nothing of any format, visible or temporary, when a commit fails part-way (%s)', async (_how, bufferBytes) => {
    const writers = await writeAll(failingCommitOf('rejects.ndjson'), bufferBytes);
    await expect(writers.commit('{}\n', { rowsOut: { patients: 2 }, rowsRejected: 1 })).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await files()).toEqual([]);
  });

  it('leaves nothing of any format when aborted, with the files open and streaming', async () => {
    const writers = await writeAll(storage, 0);
    expect((await files()).length).toBeGreaterThan(4); // temp files of every format
    await writers.abort();
    expect(await files()).toEqual([]);
  });

  it('keeps a small job\'s text files in memory until commit: nothing in storage before, nothing after abort', async () => {
    const writers = await writeAll(storage);
    expect(await files()).toEqual([expect.stringMatching(/^\.tmp\/results-.*\.part$/)]); // Parquet's, which streams
    await writers.abort();
    expect(await files()).toEqual([]);
  });

  it('writes the same bytes whether the files stream from the start or are written whole at commit', async () => {
    // Each in a storage of its own, with the same job id (it is in the FHIR resources).
    const contents = async (bufferBytes: number | undefined, dir: string) => {
      const own = createLocalStorage(path.join(root, dir));
      const writers = await createResultWriters(own, 'job-1', { outputs: ALL, ...(bufferBytes === undefined ? {} : { bufferBytes }) });
      const dataset = await writers.openDataset('patients', csvHeader('patients'));
      for (const record of kept) await dataset.write([record]);
      await writers.writeRejects('patients', chunk.rejects);
      const results = await writers.commit('{"report":1}\n', { rowsOut: { patients: 2 }, rowsRejected: 1 });
      const texts = await Promise.all(results.map(async (r) => (await fs.readFile(path.join(root, dir, r.storageKey))).toString('base64')));
      return { results, texts };
    };
    const streamed = await contents(0, 'a');
    expect(await contents(undefined, 'b')).toEqual(streamed);
    expect(await contents(10, 'c')).toEqual(streamed);
  });
});

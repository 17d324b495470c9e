import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { harmonizeText } from '@harmonizer/core';
import { createLocalStorage, type ObjectStorage } from '@harmonizer/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFhirWriter, fhirKey } from './fhir-writer.js';
import { storedFiles } from './testing/stored-files.js';

const FILE = `MRN,Last Name,First Name,DOB,Sex
P1,Doe,Jane,1980-02-01,F
P2,Roe,Ann,31/31/1990,F
P3,Poe,Al,1990-01-01,M
`;
const { kept, chunk } = harmonizeText(FILE, { dataset: 'patients', referenceDate: '2025-06-15' });

let root: string;
let storage: ObjectStorage;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-fhir-'));
  storage = createLocalStorage(root);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const files = () => storedFiles(root);
const lines = async (key: string) => (await text(await storage.read(key))).trimEnd().split('\n').map((l) => JSON.parse(l));

describe('FHIR writer', () => {
  it('writes one NDJSON file per resource type, one resource per accepted record, and OperationOutcomes for rejects', async () => {
    const writer = createFhirWriter(storage, 'job-1');
    await writer.write('patients', kept.slice(0, 1));
    await writer.write('patients', kept.slice(1));
    await writer.writeRejects('patients', chunk.rejects);
    const results = await writer.commit();

    expect(results).toEqual([
      { dataset: 'patients', type: 'rejects', format: 'fhir+ndjson', storageKey: fhirKey('job-1', 'OperationOutcome'), count: 1, sizeBytes: expect.any(Number), resourceType: 'OperationOutcome' },
      { dataset: 'patients', type: 'harmonized', format: 'fhir+ndjson', storageKey: fhirKey('job-1', 'Patient'), count: 2, sizeBytes: expect.any(Number), resourceType: 'Patient' },
    ]);
    const patients = await lines('results/job-1/fhir/Patient.ndjson');
    expect(patients.map((p) => [p.resourceType, p.id, p.meta.source])).toEqual([
      ['Patient', 'P1', 'urn:harmonizer:job:job-1#row=1'],
      ['Patient', 'P3', 'urn:harmonizer:job:job-1#row=3'],
    ]);
    const [outcome] = await lines('results/job-1/fhir/OperationOutcome.ndjson');
    expect(outcome).toMatchObject({ resourceType: 'OperationOutcome', meta: { source: 'urn:harmonizer:job:job-1#row=2' } });
    expect(outcome.issue[0].details.coding[0].code).toBe('date.unparseable');
    const stat = await fs.stat(path.join(root, 'results/job-1/fhir/Patient.ndjson'));
    expect(results[1]?.sizeBytes).toBe(stat.size);
  });

  it('writes every resource of a row, puts two datasets of one type in one file, and counts records that give none', async () => {
    const vitals = harmonizeText('Patient ID,Visit Date,Heart Rate,Systolic BP,Diastolic BP\nP1,2024-03-01 09:30,72,120,80\n', { dataset: 'vital_signs', referenceDate: '2025-06-15' }).kept;
    const labs = harmonizeText('HADM_ID,ITEMID,CHARTTIME,VALUE,VALUEUOM\n193924,51214,2115-05-13 14:53:00,226,mg/dL\n', { dataset: 'lab_results', referenceDate: '2025-06-15' }).kept;
    const meds = harmonizeText('Kind,PATIENT,CODE\nadministration,P1,225799\n', { dataset: 'medications', referenceDate: '2025-06-15' }).kept;
    const writer = createFhirWriter(storage, 'job-5');
    await writer.write('vital_signs', vitals);
    await writer.write('lab_results', labs);
    await writer.write('medications', meds);
    const results = await writer.commit();
    expect(results.map((r) => [r.resourceType, r.dataset, r.count])).toEqual([['Observation', null, 3]]);
    expect(writer.skipped).toBe(1);
    const observations = await lines(fhirKey('job-5', 'Observation'));
    expect(observations.map((o) => o.code.coding[0].code)).toEqual(['8867-4', '85354-9', '51214']);
  });

  it('shows nothing before commit and leaves nothing after abort', async () => {
    const writer = createFhirWriter(storage, 'job-2');
    await writer.write('patients', kept);
    await writer.writeRejects('patients', chunk.rejects);
    expect((await files()).filter((f) => f.startsWith('results'))).toEqual([]);
    await writer.abort();
    expect(await files()).toEqual([]);
  });

  it('writes no file at all for a job without records or rejects', async () => {
    const writer = createFhirWriter(storage, 'job-3');
    await writer.write('patients', []);
    await writer.writeRejects('patients', []);
    expect(await writer.commit()).toEqual([]);
    expect(await files()).toEqual([]);
  });

  it('refuses a second commit', async () => {
    const writer = createFhirWriter(storage, 'job-4');
    await writer.commit();
    await expect(writer.commit()).rejects.toThrow(/already committed/);
  });
});

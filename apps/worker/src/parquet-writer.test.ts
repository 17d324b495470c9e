import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { harmonizeText } from '@harmonizer/core';
import { createLocalStorage, type ObjectStorage } from '@harmonizer/storage';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createParquetWriter, parquetKey } from './parquet-writer.js';

const FILE = [
  'MRN,Last Name,First Name,DOB,Sex,ZIP,Favourite colour',
  ...Array.from({ length: 7 }, (_, i) => `P${i},Doe,Jane ${i},1980-02-0${i + 1},${i % 2 ? 'M' : 'F'},0213${i},${i === 3 ? 'blue' : ''}`),
  '',
].join('\n');
const { kept } = harmonizeText(FILE, { dataset: 'patients', referenceDate: '2025-06-15' });

let root: string;
let storage: ObjectStorage;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-parquet-'));
  storage = createLocalStorage(root);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const read = async (key: string) => {
  const bytes = await fs.readFile(path.join(root, key));
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { metadata: parquetMetadata(file), rows: await parquetReadObjects({ file }) };
};
const tempBytes = async () => {
  const dir = path.join(root, '.tmp');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const name of names) total += (await fs.stat(path.join(dir, name))).size;
  return total;
};

describe('Parquet writer', () => {
  it('writes typed columns in row groups as records arrive', async () => {
    const writer = await createParquetWriter(storage, 'job-1', 'patients', { rowGroupRows: 3 });
    await writer.write(kept.slice(0, 2));
    expect(await tempBytes()).toBeLessThanOrEqual(4);
    await writer.write(kept.slice(2));
    // Two full row groups are already on disk before commit: memory holds at most one.
    expect(await tempBytes()).toBeGreaterThan(100);
    const result = await writer.commit();

    expect(result).toEqual({ dataset: 'patients', type: 'harmonized', format: 'parquet', storageKey: parquetKey('job-1', 'patients'), count: 7, sizeBytes: expect.any(Number) });
    const { metadata, rows } = await read('results/job-1/patients.parquet');
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([3, 3, 1]);
    expect(metadata.schema.find((s) => s.name === 'source_row')).toMatchObject({ type: 'INT32', repetition_type: 'REQUIRED' });
    expect(metadata.schema.find((s) => s.name === 'birth_date')).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(rows).toHaveLength(7);
    expect(rows[3]).toMatchObject({
      patient_id: 'P3', family_name: 'Doe', given_name: 'Jane 3', birth_date: '1980-02-04', gender: 'male',
      postal_code: '02133', email: null, extras: { 'Favourite colour': 'blue' }, source_row: 4,
    });
    expect(rows[0]?.extras).toBeNull();
    expect(result.sizeBytes).toBe((await fs.stat(path.join(root, 'results/job-1/patients.parquet'))).size);
  });

  it('types decimal and quantity fields as DOUBLE, integers as INT64 and booleans as BOOLEAN', async () => {
    const { kept: appointments } = harmonizeText('AppointmentID,PatientId,AppointmentDay,Duration,SMS_received\nA1,P1,2016-04-29,30,1\nA2,P2,2016-04-30,,0\n', { dataset: 'appointments', referenceDate: '2025-06-15' });
    const { kept: vitals } = harmonizeText('Patient ID,Visit Date,Heart Rate,Weight (lbs)\nP1,2024-03-01 09:30,72,150\n', { dataset: 'vital_signs', referenceDate: '2025-06-15' });
    const a = await createParquetWriter(storage, 'job-4', 'appointments');
    await a.write(appointments);
    await a.commit();
    const v = await createParquetWriter(storage, 'job-4', 'vital_signs');
    await v.write(vitals);
    await v.commit();

    const appointmentFile = await read('results/job-4/appointments.parquet');
    expect(appointmentFile.metadata.schema.find((s) => s.name === 'duration_minutes')).toMatchObject({ type: 'INT64' });
    expect(appointmentFile.metadata.schema.find((s) => s.name === 'reminder_sent')).toMatchObject({ type: 'BOOLEAN' });
    expect(appointmentFile.rows.map((r) => [r.duration_minutes, r.reminder_sent])).toEqual([[30n, true], [null, false]]);
    const vitalFile = await read('results/job-4/vital_signs.parquet');
    expect(vitalFile.metadata.schema.find((s) => s.name === 'body_weight')).toMatchObject({ type: 'DOUBLE' });
    expect(vitalFile.rows[0]).toMatchObject({ heart_rate: 72, body_weight: expect.closeTo(68.04, 2) });
  });

  it('writes a valid file with the schema and no rows for an empty result', async () => {
    const writer = await createParquetWriter(storage, 'job-2', 'patients');
    expect(await writer.commit()).toMatchObject({ count: 0 });
    const { metadata, rows } = await read('results/job-2/patients.parquet');
    expect(rows).toEqual([]);
    expect(metadata.schema.map((s) => s.name)).toContain('patient_id');
  });

  it('shows nothing before commit and leaves nothing after abort', async () => {
    const writer = await createParquetWriter(storage, 'job-3', 'patients', { rowGroupRows: 2 });
    await writer.write(kept);
    expect(await storage.size(parquetKey('job-3', 'patients'))).toBeNull();
    await writer.abort();
    expect(await tempBytes()).toBe(0);
    expect(await storage.size(parquetKey('job-3', 'patients'))).toBeNull();
  });
});

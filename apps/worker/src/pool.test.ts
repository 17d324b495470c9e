import { isMainThread } from 'node:worker_threads';
import { matchHeaders, processChunk, type ChunkTask } from '@harmonizer/core';
import { afterAll, describe, expect, it } from 'vitest';
import chunkTask, { type WorkerChunkTask } from './chunk-task.js';
import { packedOf } from './packed-records.js';
import { createPool } from './pool.js';

const pool = createPool({ threads: 1 });
afterAll(() => pool.destroy());

const task: ChunkTask = {
  dataset: 'patients',
  delimiter: ',',
  mapping: matchHeaders(['MRN', 'DOB', 'Sex'], 'patients'),
  text: 'A1,02/03/1990,F\nA2,not a date,M\n',
  firstRow: 7,
  options: {},
  referenceDate: '2025-01-01',
};

describe('chunk pool', () => {
  it('runs processChunk on a worker thread with the same result as in-process', async () => {
    expect(isMainThread).toBe(true);
    const result = await pool.run(task);
    expect(result).toEqual(processChunk(task));
    expect(result.accepted.map((r) => r.row)).toEqual([7]);
    expect(result.stats.rowsRejected).toBe(1);
  });

  it('moves packed results to the main thread intact, FHIR included (every array its own buffer, transferred)', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `A${i % 250},0${1 + (i % 9)}/1${i % 10}/19${50 + (i % 40)},${i % 3 ? 'F' : 'M'}`);
    const packedTask: WorkerChunkTask = { ...task, text: `${rows.join('\n')}\nA9,not a date,M\n`, firstRow: 1, jobId: 'job-1', pack: true };
    const viaPool = await pool.run(packedTask);
    const inProcess = chunkTask(packedTask);
    expect(packedOf(viaPool)?.fhir?.types.map((t) => t.resourceType)).toEqual(['Patient']);
    expect(packedOf(viaPool)?.count).toBe(300);
    expect(viaPool).toEqual(inProcess);
  });

  it('reports utilization as a 0..1 share of thread time since the previous reading', async () => {
    pool.utilization();
    await Promise.all([pool.run(task), pool.run(task)]);
    const busy = pool.utilization();
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThanOrEqual(1);
    expect(pool.queueSize()).toBe(0);
  });
});

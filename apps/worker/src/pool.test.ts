import { isMainThread } from 'node:worker_threads';
import { matchHeaders, processChunk, type ChunkTask } from '@harmonizer/core';
import { afterAll, describe, expect, it } from 'vitest';
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

  it('reports utilization as a 0..1 share of thread time since the previous reading', async () => {
    pool.utilization();
    await Promise.all([pool.run(task), pool.run(task)]);
    const busy = pool.utilization();
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThanOrEqual(1);
    expect(pool.queueSize()).toBe(0);
  });
});

import { isMainThread } from 'node:worker_threads';
import { matchHeaders, processChunk, type ChunkTask } from '@harmonizer/core';
import { afterAll, describe, expect, it } from 'vitest';
import chunkTask, { type PackedChunkResult, type SlabbedChunkResult, type WorkerChunkTask } from './chunk-task.js';
import { packedOf } from './packed-records.js';
import { createPool } from './pool.js';
import { slabbedOf, unslab } from './result-slabs.js';

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

  it('packs results into the result slab a task names, as the same records the fresh buffers hold', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `A${i % 250},0${1 + (i % 9)}/1${i % 10}/19${50 + (i % 40)},${i % 3 ? 'F' : 'M'}`);
    const bytes = Buffer.from(`${rows.join('\n')}\nA9,not a date,M\n`);
    const { text: _text, ...rest } = task;
    const bytesTask = (slab?: number): WorkerChunkTask => ({ ...rest, bytes: Uint8Array.from(bytes), firstRow: 1, jobId: 'job-1', pack: true, ...(slab === undefined ? {} : { slab }) });
    const slabs = pool.slabs!;
    const slab = slabs.acquire()!;
    // The slab is dirty from an earlier use: every byte of the results must be written anew.
    new Uint8Array(slabs.buffers[slab]!).fill(0xa5);
    const inSlab = await pool.run(bytesTask(slab));
    const fresh = await pool.run(bytesTask());
    const slabbedRecords = slabbedOf(inSlab)!;
    expect(slabbedRecords.slab).toBe(slab);
    expect(packedOf(inSlab)).toBeNull();
    const { slabbed: _s, ...inSlabRest } = inSlab as SlabbedChunkResult;
    const { packed, ...freshRest } = fresh as PackedChunkResult;
    expect(inSlabRest).toEqual(freshRest);
    expect(unslab(slabbedRecords, slabs.buffers[slab]!)).toEqual({ ...packed, borrowed: true });
    expect(packed.count).toBe(300);
    slabs.release(slab);
    expect(() => slabs.release(slab)).toThrow(/not in use/);
    // Results bigger than a slab come in fresh buffers, the same records.
    const tiny = createPool({ threads: 1, slabsPerThread: 1, slabBytes: 1024 });
    try {
      const tinySlab = tiny.slabs!.acquire()!;
      const overflow = await tiny.run(bytesTask(tinySlab));
      expect(slabbedOf(overflow)).toBeNull();
      expect(overflow).toEqual(fresh);
      expect(tiny.slabs!.acquire()).toBeUndefined();
    } finally {
      await tiny.destroy();
    }
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

import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { finished } from 'node:stream/promises';
import type { ObjectStorage } from '@harmonizer/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientsCsv } from '../../../bench/generate-patients.mjs';
import { createPool, type ChunkPool } from './pool.js';
import { runPipeline } from './pipeline.js';
import { createPipelineHarness, type JsonRecord, type PipelineHarness } from './testing/pipeline-harness.js';

/**
 * Storage whose result writers are a slow disk: each write's bytes are read 2 ms after it was
 * handed over (and only then called back), so a slab given to the next chunk too early would be
 * written over before its bytes are.
 */
function slowWrites(storage: ObjectStorage): ObjectStorage {
  return {
    ...storage,
    async createWriter(key) {
      const inner = await storage.createWriter(key);
      // A high-water mark no chunk reaches: writes are taken at once and called back late.
      const stream = new Writable({
        highWaterMark: 64 * 1024 * 1024,
        write(chunk: Buffer, _encoding, callback) {
          setTimeout(() => inner.stream.write(Buffer.from(chunk), callback), 2);
        },
        final(callback) {
          callback();
        },
      });
      return {
        stream,
        releasesOnCallback: true,
        async commit() {
          stream.end();
          await finished(stream);
          return inner.commit();
        },
        async abort() {
          stream.destroy();
          await inner.abort();
        },
      };
    },
  };
}

/** Runs `body` as job `id` on `pool` (null: inline) in chunks of 25 rows; returns its counts and a digest of every stored file. */
async function run(h: PipelineHarness, pool: ChunkPool | null, id: string, body: string, options: JsonRecord = {}) {
  const job = await h.runningJob(body, { id, fileName: 'patients.csv', options });
  const base = h.deps({ chunkRows: 25, inlineMaxChars: pool ? 0 : Number.POSITIVE_INFINITY });
  const outcome = await runPipeline(job, pool ? { ...base, pool, storage: slowWrites(base.storage) } : base).catch((err: Error & { code?: string }) => ({ status: 'failed', code: err.code }));
  const files: Record<string, string> = {};
  const keys = await h.filesOf(id);
  for (const key of keys) {
    if (keys.some((other) => other.startsWith(`${key}/`))) continue; // a folder
    files[key] = createHash('sha256').update(await buffer(await h.storage.read(key))).digest('hex');
  }
  const counts = outcome.status === 'completed' && 'done' in outcome ? outcome.done.counts : outcome;
  return { counts, files };
}

/**
 * Result slabs (result-slabs.ts) are reused while the writes of earlier chunks may still hold
 * views of them: with one slab per thread and chunks of 25 rows, each slab serves dozens of
 * chunks of a job, so a slab handed out before its bytes were written would show as wrong bytes.
 */
describe('result slabs in the pipeline', () => {
  // One harness (database and storage) per run, so that every run is the same job id (it is in the FHIR resources' ids).
  let harnesses: PipelineHarness[];
  let few: ChunkPool;
  let tiny: ChunkPool;
  beforeAll(async () => {
    harnesses = await Promise.all([1, 1, 1, 1].map(() => createPipelineHarness(1)));
    few = createPool({ threads: 2, slabsPerThread: 1 });
    tiny = createPool({ threads: 2, slabsPerThread: 1, slabBytes: 256 }); // every result overflows: fresh buffers
  });
  afterAll(async () => {
    await Promise.all([...(harnesses ?? []).map((h) => h.close()), few?.destroy(), tiny?.destroy()]);
  });
  const ID = '00000000-0000-4000-8000-0000000000a1';

  const body = [...patientsCsv({ seed: 91, rows: 3000, profile: 'issue6' })].join('');

  it('gives the bytes of the inline path, with few slabs reused chunk after chunk or none fitting, and frees every slab', async () => {
    const inline = await run(harnesses[0]!, null, ID, body);
    expect((inline.counts as { rows_in: number }).rows_in).toBe(3000);
    for (const [i, pool] of [few, tiny].entries()) {
      const pooled = await run(harnesses[i + 1]!, pool, ID, body);
      expect(pooled.counts).toEqual(inline.counts);
      expect(pooled.files).toEqual(inline.files);
      expect(pool.slabs!.free).toBe(2);
    }
  });

  it('frees every slab when a job fails after its chunks were merged (the quality gate)', async () => {
    const failed = await run(harnesses[3]!, few, ID, body, { fail_if_error_rate_above: 0 });
    expect(failed.counts).toMatchObject({ status: 'failed', code: 'quality.error_rate_exceeded' });
    expect(Object.keys(failed.files).filter((key) => key.startsWith('results/'))).toEqual([]);
    expect(few.slabs!.free).toBe(2);
  });
});

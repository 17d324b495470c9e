import chunkTask, { type WorkerChunkResult, type WorkerChunkTask } from './chunk-task.js';
import type { ChunkPool } from './pool.js';

/**
 * Inputs whose whole decoded text is at most this many characters run their chunks on the main
 * thread. Handing a chunk to a pool thread costs the process about 2 ms of CPU whatever its size
 * (waking the thread, cloning the task and the result both ways): more than harmonizing a few
 * dozen rows. Past that the pool wins back its cost by running beside the main thread, which
 * also serves every other job (bench/worker-small-jobs.mjs, issue6 rows of ~145 bytes: 8 rows,
 * 2.4 ms less CPU per job inline; 55 rows, 1.6 ms less but 2 ms more on the main thread; 100
 * rows, no less CPU and twice the main thread's time). A job this small blocks the event loop
 * for a few milliseconds at most.
 */
export const INLINE_MAX_CHARS = 8 * 1024;

/**
 * Runs each chunk at once on the calling thread, through the same entry the pool's threads load
 * (chunk-task.ts), so the results are those a thread would send. A chunk that throws gives a
 * rejected promise, as from the pool.
 */
export const inlineChunks: Pick<ChunkPool, 'run'> = {
  run: (task: WorkerChunkTask) => new Promise<WorkerChunkResult>((resolve) => resolve(chunkTask(task))),
};

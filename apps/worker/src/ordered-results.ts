import type { WorkerChunkResult, WorkerChunkTask } from './chunk-task.js';
import type { ChunkPool } from './pool.js';

export interface OrderedResults {
  /** Sends a task to the pool; while `maxInFlight` are pending, first hands the oldest result to `merge`. */
  submit(task: WorkerChunkTask): Promise<void>;
  /** Hands the oldest pending result to `merge`; false when none is pending. */
  mergeNext(): Promise<boolean>;
  /** Waits for every pending task without merging (after an error or a cancel). */
  discard(): Promise<void>;
}

/**
 * Chunks run in parallel but are merged strictly in input order (each with its task, which names
 * the dataset), so the first occurrence of a duplicate is always the one kept and outputs do not
 * depend on thread timing. Awaiting in submit is the backpressure: the caller stops reading
 * while the pool is full.
 */
export function createOrderedResults(
  pool: Pick<ChunkPool, 'run'>,
  maxInFlight: number,
  merge: (result: WorkerChunkResult, task: WorkerChunkTask) => Promise<void>,
): OrderedResults {
  const pending: { task: WorkerChunkTask; running: Promise<WorkerChunkResult> }[] = [];

  const mergeNext = async () => {
    const oldest = pending.shift();
    if (!oldest) return false;
    await merge(await oldest.running, oldest.task);
    return true;
  };

  return {
    async submit(task) {
      while (pending.length >= maxInFlight) await mergeNext();
      const running = pool.run(task);
      running.catch(() => undefined); // awaited in order by mergeNext; this only stops an early failure counting as unhandled
      pending.push({ task, running });
    },
    mergeNext,
    async discard() {
      await Promise.allSettled(pending.splice(0).map((p) => p.running));
    },
  };
}

import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { WorkerChunkResult, WorkerChunkTask } from './chunk-task.js';
import { createResultSlabs, type ResultSlabs } from './result-slabs.js';

export interface PoolOptions {
  threads: number;
  /** Node options for the threads besides the pool's own (bench/profile.mjs: --cpu-prof). */
  threadExecArgv?: string[];
  /** Result slabs (result-slabs.ts): how many per thread (SLABS_PER_THREAD) and their size (SLAB_BYTES); tests make them few or small. */
  slabsPerThread?: number;
  slabBytes?: number;
}

/** The worker_threads pool that runs core.processChunk, so the event loop stays free for I/O and lock renewal. */
export interface ChunkPool {
  readonly threads: number;
  run(task: WorkerChunkTask): Promise<WorkerChunkResult>;
  /** Tasks waiting for a free thread. */
  queueSize(): number;
  /** The pool's result slabs (result-slabs.ts), shared with every thread. */
  readonly slabs?: ResultSlabs;
  /** 0..1: share of thread time spent on chunks since the previous call (a scrape). */
  utilization(): number;
  destroy(): Promise<void>;
}

/**
 * Built code runs ./chunk-task.js. From TypeScript sources (vitest) each thread loads
 * ./chunk-task.ts through tsx, with the workspace packages mapped to their sources by
 * tsconfig.threads.json, so tests exercise real threads on the code under test.
 */
/** The export of chunk-task the threads run (it moves packed results instead of cloning them). */
const THREAD_ENTRY_NAME = 'pooledChunkTask';

function threadEntry(): { filename: string; execArgv: string[]; env?: Record<string, string | undefined> } {
  const fromSources = import.meta.url.endsWith('.ts');
  if (!fromSources) return { filename: new URL('./chunk-task.js', import.meta.url).href, execArgv: [] };
  return {
    filename: new URL('./chunk-task.ts', import.meta.url).href,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../tsconfig.threads.json', import.meta.url)) },
  };
}

/** Tasks piscina hands each thread at once (they run one after the other: processChunk is synchronous). */
const TASKS_PER_THREAD = 2;

/**
 * Result slabs per thread: the chunks a job keeps in flight per thread (CHUNKS_IN_FLIGHT_PER_THREAD
 * in pipeline.ts), a second job's as many again (the worker's default concurrency is 2), and a few
 * whose writes are still under way. A task that finds none free gets fresh buffers.
 */
const SLABS_PER_THREAD = 10;

export function createPool(options: PoolOptions): ChunkPool {
  const entry = threadEntry();
  const slabs = createResultSlabs(options.threads * (options.slabsPerThread ?? SLABS_PER_THREAD), options.slabBytes);
  const piscina = new Piscina<WorkerChunkTask, WorkerChunkResult>({
    // Shared, not copied: each thread gets the same slabs once, at its start.
    workerData: { slabs: slabs.buffers },
    filename: entry.filename,
    name: THREAD_ENTRY_NAME,
    execArgv: [...entry.execArgv, ...(options.threadExecArgv ?? [])],
    ...(entry.env ? { env: entry.env } : {}),
    minThreads: options.threads,
    maxThreads: options.threads,
    // Threads are warm for the whole life of the worker; jobs arrive in bursts.
    idleTimeout: 60_000,
    // A chunk's garbage is short-lived: a small young generation is scavenged often and cheaply,
    // which keeps each thread's heap (most of a worker's RSS) small. 1M rows, 2 threads: 553 -> 467 MB.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
    // A second task waits in each thread's own queue, so a thread starts its next chunk the moment
    // it finishes one, not when the main thread (busy merging and writing) gets round to sending it.
    concurrentTasksPerWorker: TASKS_PER_THREAD,
  });
  // Busy thread time, integrated between changes of the number of running tasks. Piscina's own
  // utilization is a lifetime mean; a scrape wants what happened since the last scrape.
  const threads = options.threads;
  let running = 0;
  let busy = 0;
  let lastChange = performance.now();
  let windowStart = lastChange;
  const account = () => {
    const now = performance.now();
    busy += Math.min(running, threads) * (now - lastChange);
    lastChange = now;
  };

  return {
    threads,
    run(task) {
      account();
      running += 1;
      // A chunk's bytes have an ArrayBuffer of their own (chunk-cutter.ts): moved, not copied.
      const runOptions = 'bytes' in task ? { transferList: [task.bytes.buffer as ArrayBuffer] } : undefined;
      return piscina.run(task, runOptions).finally(() => {
        account();
        running -= 1;
      });
    },
    queueSize: () => piscina.queueSize,
    slabs,
    utilization() {
      account();
      const elapsed = lastChange - windowStart;
      const ratio = elapsed > 0 ? Math.min(1, busy / (elapsed * threads)) : 0;
      busy = 0;
      windowStart = lastChange;
      return ratio;
    },
    destroy: () => piscina.destroy(),
  };
}

import { readFileSync } from 'node:fs';

/**
 * How a worker process is meant to be started (apps/worker/node-flags.json, the one place the
 * launchers read): V8 flags, which must be on node's command line (NODE_OPTIONS refuses
 * --single-threaded-gc), and environment defaults for the C library, which must be set before
 * the process starts.
 *
 * - --single-threaded-gc: the isolates collect on their own threads. V8's helper threads ran
 *   parallel and concurrent GC next to the two busy pool threads on two cores: ~15% of the
 *   process's CPU (1M rows, 2 threads), more than collecting on the owning thread costs.
 * - --max-semi-space-size=2: the main thread's young generation is 2 MB semi-spaces, not 16;
 *   what it allocates is mostly buffers that outlive a scavenge anyway (~30 MB less RSS).
 * - --heap-growing-percent=100: a heap (and its garbage buffers) may double before the next
 *   full collection instead of growing by V8's larger factor for small heaps (~80 MB less RSS).
 * - MALLOC_ARENA_MAX=2: glibc keeps two malloc arenas, not eight per core, for a process with
 *   ~10 threads (~30 MB less RSS).
 */
export interface WorkerNodeFlags {
  execArgv: string[];
  env: Record<string, string>;
}

export const WORKER_NODE_FLAGS_FILE = new URL('../node-flags.json', import.meta.url);

export function readWorkerNodeFlags(): WorkerNodeFlags {
  const { execArgv, env } = JSON.parse(readFileSync(WORKER_NODE_FLAGS_FILE, 'utf8')) as WorkerNodeFlags;
  return { execArgv, env };
}

/** node's arguments and the environment to start the worker at `script` with: the flags first, node-flags.json's variables as defaults under `env`. */
export function workerCommand(script: string, env: NodeJS.ProcessEnv): { args: string[]; env: NodeJS.ProcessEnv } {
  const flags = readWorkerNodeFlags();
  return { args: [...flags.execArgv, script], env: { ...flags.env, ...env } };
}

/** The flags and variables of node-flags.json this process was started without (empty when it has them all). */
export function missingWorkerFlags(flags: WorkerNodeFlags, execArgv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  return [
    ...flags.execArgv.filter((flag) => !execArgv.includes(flag)),
    ...Object.keys(flags.env).filter((name) => env[name] === undefined).map((name) => `${name}=${flags.env[name]}`),
  ];
}

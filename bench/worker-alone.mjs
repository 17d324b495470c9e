#!/usr/bin/env node
// The worker alone: the built pipeline (apps/worker/dist/pipeline.js, runPipeline) on one input,
// with its real thread pool, a real SQLite database and local storage in a temp directory, and
// no api, queue or Redis. Each run is a child process of its own, so its peak RSS is its own.
//
//   node bench/worker-alone.mjs [--rows 1000000] [--threads 1,2] [--seed 42] [--outputs csv,ndjson]
//
// --outputs: the job's options.outputs (default: the product's default outputs, FHIR included);
// `csv,ndjson` is what the DuckDB peer writes (with rejects and the report, which every job has).
//
// --threads 0 runs processChunk on the main thread (no pool). The pool's threads inherit no
// --cpu-prof (pool.ts gives them an explicit, empty execArgv), so with BENCH_THREAD_PROFILE_DIR
// set the run uses a pool of its own with the same settings whose threads write profiles there
// (bench/profile.mjs). CHUNK_ROWS and PROGRESS_INTERVAL_MS are passed through to the config.
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUT, ensureInput } from './bench-input.mjs';
import { reportResult, runChild, startMeasure, throughput } from './measure.mjs';
import { ROOT, workerLaunch } from './services.mjs';

const SELF = fileURLToPath(import.meta.url);
const WORKER_DIST = path.join(ROOT, 'apps', 'worker', 'dist');

/**
 * Runs the worker alone on `input` in a child process and resolves with its figures.
 * @param {{ input: string, threads: number, nodeArgs?: string[], env?: NodeJS.ProcessEnv }} options
 */
export function runWorkerAlone({ input, threads, nodeArgs = [], env = process.env, outputs }) {
  // Started as a worker process is (apps/worker/node-flags.json): the same GC and malloc settings.
  const worker = workerLaunch(env);
  const args = ['--child', '--input', input, '--threads', String(threads), ...(outputs ? ['--outputs', outputs.join(',')] : [])];
  return runChild(SELF, args, { nodeArgs: [...worker.execArgv, ...nodeArgs], env: worker.env });
}

/** A pool that runs chunks on the calling thread, through the same entry the threads load. */
async function createInlinePool() {
  const { default: chunkTask } = await import(path.join(WORKER_DIST, 'chunk-task.js'));
  return {
    threads: 1,
    run: async (task) => chunkTask(task),
    queueSize: () => 0,
    utilization: () => 1,
    destroy: async () => {},
  };
}

/** pool.ts's pool, with each thread writing a CPU profile to `dir`. */
async function createProfiledPool(threads, dir) {
  const { createPool } = await import(path.join(WORKER_DIST, 'pool.js'));
  return createPool({ threads, threadExecArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
}

/** The first few hundred records of the input (cut at a CRLF, which only ends records here). */
function writeWarmup(input, dir) {
  const fd = openSync(input, 'r');
  const head = Buffer.alloc(64 * 1024);
  const length = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const end = head.subarray(0, length).lastIndexOf('\r\n');
  const file = path.join(dir, 'warmup.csv');
  writeFileSync(file, head.subarray(0, end + 2));
  return file;
}

async function child({ input, threads, outputs }) {
  const { loadConfig } = await import('@harmonizer/config');
  const { createDb } = await import('@harmonizer/db');
  const { createLocalStorage } = await import('@harmonizer/storage');
  const { runPipeline } = await import(path.join(WORKER_DIST, 'pipeline.js'));
  const { createPool } = await import(path.join(WORKER_DIST, 'pool.js'));

  mkdirSync(OUT, { recursive: true });
  const tmp = mkdtempSync(path.join(OUT, 'tmp-worker-'));
  const env = { DATA_DIR: tmp, WORKER_THREADS: String(Math.max(1, threads)), LOG_LEVEL: 'silent' };
  for (const name of ['CHUNK_ROWS', 'PROGRESS_INTERVAL_MS']) if (process.env[name]) env[name] = process.env[name];
  const config = loadConfig(env);
  const db = await createDb(config.database);
  const storage = createLocalStorage(config.storageDir);
  const profileDir = process.env.BENCH_THREAD_PROFILE_DIR;
  const pool = threads === 0 ? await createInlinePool() : profileDir ? await createProfiledPool(threads, profileDir) : createPool({ threads });
  const deps = { db, storage, pool, settings: config.worker };
  mkdirSync(path.join(config.storageDir, 'uploads'), { recursive: true });

  /** What the BullMQ processor does around the pipeline, minus the queue: row to running, run, row to completed. */
  const runJob = async (file) => {
    const id = randomUUID();
    const storageKey = `uploads/${id}`;
    symlinkSync(file, path.join(config.storageDir, storageKey)); // the input is read in place, not copied
    const size = (await storage.size(storageKey)) ?? 0;
    await db.jobs.create({
      tenantId: 'local',
      id, dataset: 'patients', fileName: path.basename(file), contentType: 'text/csv', sizeBytes: size,
      sha256: '0'.repeat(64), storageKey, options: outputs ? { outputs } : {}, idempotencyKey: null,
    });
    const job = await db.jobs.markRunning(id);
    const outcome = await runPipeline(job, deps);
    if (outcome.status !== 'completed') throw new Error(`the pipeline ended ${outcome.status}`);
    if (!(await db.jobs.markCompleted(id, outcome.done))) throw new Error('the job could not be marked completed');
    return outcome.done;
  };

  try {
    await runJob(writeWarmup(input, tmp)); // threads started and code loaded, as in a running worker
    const measure = startMeasure();
    const done = await runJob(input);
    const { wallMs, cpuMs } = measure.stop();
    reportResult({
      what: 'worker',
      threads,
      wallMs,
      cpuMs,
      bytesIn: done.metrics.bytesIn,
      counts: done.counts,
      outputBytes: done.results.reduce((sum, r) => sum + r.sizeBytes, 0),
    });
  } finally {
    await pool.destroy();
    await db.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const options = { rows: 1_000_000, seed: 42, threads: [1, 2], input: undefined, child: false, outputs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--rows') options.rows = Number(argv[++i]);
    else if (arg === '--seed') options.seed = Number(argv[++i]);
    else if (arg === '--threads') options.threads = argv[++i].split(',').map(Number);
    else if (arg === '--input') options.input = argv[++i];
    else if (arg === '--child') options.child = true;
    else if (arg === '--outputs') options.outputs = argv[++i].split(',');
    else throw new Error(`unknown argument ${arg}; usage: worker-alone.mjs [--rows N] [--seed N] [--threads 1,2] [--outputs csv,ndjson]`);
  }
  return options;
}

if (process.argv[1] && SELF === path.resolve(process.argv[1])) {
  const options = parseArgs(process.argv.slice(2));
  if (options.child) {
    await child({ input: options.input, threads: options.threads[0], outputs: options.outputs });
  } else {
    const input = await ensureInput({ rows: options.rows, seed: options.seed });
    for (const threads of options.threads) {
      const r = await runWorkerAlone({ input: input.path, threads, outputs: options.outputs });
      const { rowsPerS, mbPerS } = throughput({ rows: r.counts.rows_in, bytes: input.bytes, wallMs: r.wallMs });
      process.stdout.write(
        `worker alone, ${threads} thread(s): ${Math.round(rowsPerS)} rows/s, ${mbPerS.toFixed(1)} MB/s, ` +
          `${(r.wallMs / 1000).toFixed(2)} s, ${(r.cpuMs / r.wallMs).toFixed(2)} cores busy, peak RSS ${(r.peakRss / 1e6).toFixed(0)} MB, ` +
          `counts ${JSON.stringify(r.counts)}\n`,
      );
    }
  }
}

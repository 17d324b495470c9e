#!/usr/bin/env node
// Small jobs through the worker alone: N distinct ~1.3 KB issue6 files (8 rows each, as api.mjs
// submits them) processed by the built BullMQ processor (apps/worker/dist/process-job.js) with
// its real thread pool, a real SQLite database and local storage in a temp directory, fed by a
// real BullMQ worker on the local Redis (a queue prefix of its own, removed afterwards). The
// uploads, job rows and queue entries are made before the clock starts, so the figures are the
// worker's: jobs/s from the first job taken to the last completed, CPU ms per job (every thread
// of the process, from process.cpuUsage).
//
//   node bench/worker-small-jobs.mjs [--jobs 2000] [--rounds 3] [--dist apps/worker/dist,bench/out/x/worker-dist]
//                                    [--mode queue|direct] [--threads 2] [--concurrency 2] [--cpu-prof DIR] [--data-dir DIR]
//
// --data-dir: where the run's database and storage go (default bench/out). Creating files costs
// the kernel far more on some disks than others (on this machine's ext4, an inode allocation
// scans the recently deleted ones: each run's clean-up slows the next); /dev/shm leaves only the
// code's own cost.
// --dist takes one or more builds of apps/worker (a copy of an older dist/ works: its imports of
// @harmonizer/* resolve to this tree's packages); with several, the runs alternate A,B,A,B... for
// --rounds rounds and the best of each is printed, so a comparison sees the same machine.
// --mode direct calls the processor with a stand-in BullMQ job (no Redis), `concurrency` at a time.
// Job ids are the same in every run, so the outputs of two builds can be compared: each run
// prints a digest of every result file of every job (they must match).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { patientsCsv } from './generate-patients.mjs';
import { OUT } from './bench-input.mjs';
import { reportResult, runChild } from './measure.mjs';
import { ROOT, redisAnswers, removeQueueKeys, workerLaunch } from './services.mjs';

const SELF = fileURLToPath(import.meta.url);
/** Jobs run before the clock starts: code loaded and compiled, as in a worker that has been up a while (--warmup). */
let WARMUP_JOBS = 100;

/** Job i's id: fixed, so two runs write the same bytes (the id is in the FHIR resources' meta.source). */
const jobIdOf = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
/** Job i's file: api.mjs's small jobs (8 issue6 rows, seed 1000 + i); BENCH_ROWS for other sizes. */
const ROWS = Number(process.env.BENCH_ROWS || 8);
const fileOf = (i) => [...patientsCsv({ rows: ROWS, seed: 1000 + i, profile: 'issue6' })].join('');

/** Every result file of every job, in job order, hashed with its key: equal digests, equal outputs. */
function outputsDigest(storageDir, jobs) {
  const hash = createHash('sha256');
  for (let i = 0; i < jobs; i++) {
    const dir = path.join(storageDir, 'results', jobIdOf(i));
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
      .sort();
    for (const file of files) hash.update(`${i}/${file}\n`).update(readFileSync(path.join(dir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Profiles the main thread (inspector): resolves with a function that writes the profile to `cpuProf`. */
async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(cpuProf, { recursive: true });
    writeFileSync(path.join(cpuProf, `small-jobs-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

let cpuProf;

/** CPU time of the main thread alone (the event loop: what one worker process cannot spread over cores), in ms; NaN off Linux. */
function mainThreadCpuMs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in clock ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}

async function child({ dist, jobs, mode, threads, concurrency, redisUrl, dataDir, keepData }) {
  const { loadConfig } = await import('@harmonizer/config');
  const { createDb } = await import('@harmonizer/db');
  const { createStorage } = await import('@harmonizer/storage');
  const { createHarmonizeQueue, createHarmonizeWorker, createRedisConnection } = await import('@harmonizer/queue');
  const { pino } = await import('pino');
  const { createPool } = await import(pathToFileURL(path.join(dist, 'pool.js')).href);
  const { createProcessJob } = await import(pathToFileURL(path.join(dist, 'process-job.js')).href);
  const { createWorkerMetrics } = await import(pathToFileURL(path.join(dist, 'metrics.js')).href);

  mkdirSync(dataDir, { recursive: true });
  const tmp = mkdtempSync(path.join(dataDir, 'tmp-small-jobs-'));
  const prefix = `bench-small-${process.pid}-${Date.now()}`;
  const config = loadConfig({
    DATA_DIR: tmp,
    WORKER_THREADS: String(threads),
    WORKER_CONCURRENCY: String(concurrency),
    LOG_LEVEL: 'silent',
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
  });
  const db = await createDb(config.database);
  const storage = createStorage(config);
  const pool = createPool({ threads });
  const metrics = createWorkerMetrics({ pool });
  const logger = pino({ level: 'silent' });
  // BENCH_INLINE_MAX_CHARS: the pipeline's inlineMaxChars (0: every chunk to the pool), to compare the two.
  const inlineMax = process.env.BENCH_INLINE_MAX_CHARS;
  const settings = inlineMax === undefined ? config.worker : { ...config.worker, inlineMaxChars: Number(inlineMax) };
  const processJob = createProcessJob({ db, storage, pool, metrics, logger, settings });

  const total = WARMUP_JOBS + jobs;
  for (let i = 0; i < total; i++) {
    const id = jobIdOf(i);
    const storageKey = `uploads/${id}/input`;
    const text = fileOf(i);
    const { size, sha256 } = await storage.put(storageKey, Readable.from([Buffer.from(text)]));
    await db.jobs.create({
      tenantId: 'bench', id, dataset: 'patients', fileName: `small-${i}.csv`, contentType: 'text/csv', sizeBytes: size,
      sha256, storageKey, options: {}, idempotencyKey: null,
    });
  }

  /** Direct: the processor with a stand-in job, `concurrency` at a time, as BullMQ would call it. */
  const runDirect = async (from, to) => {
    let next = from;
    const controller = new AbortController();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < to) {
          const i = next++;
          await processJob({ data: { jobId: jobIdOf(i) }, attemptsMade: 0, opts: { attempts: 3 } }, 'token', controller.signal);
        }
      }),
    );
  };

  /** Queue: a real BullMQ worker (autorun off until the clock starts) on jobs already enqueued. */
  let queue;
  let producer;
  const runQueued = async (from, to) => {
    producer ??= createRedisConnection(redisUrl, 'producer');
    queue ??= createHarmonizeQueue({ connection: producer, prefix, attempts: 3, backoffMs: 1000 });
    const ids = Array.from({ length: to - from }, (_, k) => jobIdOf(from + k));
    await queue.queue.addBulk(ids.map((jobId) => ({ name: 'harmonize', data: { jobId }, opts: { jobId } })));
    const consumer = createRedisConnection(redisUrl, 'consumer');
    const worker = createHarmonizeWorker(
      { connection: consumer, prefix, concurrency, lockDurationMs: config.worker.lockMs, stalledIntervalMs: config.worker.lockMs, autorun: false },
      processJob,
    );
    let finished = 0;
    const failures = [];
    const allDone = new Promise((resolve) => {
      const count = () => {
        finished += 1;
        if (finished === ids.length) resolve();
      };
      worker.on('completed', count);
      worker.on('failed', (_job, err) => {
        failures.push(err?.message);
        count();
      });
    });
    await worker.waitUntilReady();
    const t0 = await measureStart(from === 0);
    void worker.run();
    await allDone;
    const figures = await t0.stop();
    await worker.close();
    consumer.disconnect();
    if (failures.length > 0) throw new Error(`${failures.length} jobs failed: ${failures[0]}`);
    return figures;
  };

  /** The clock, and with --cpu-prof a CPU profile of the main thread over the same window. */
  const measureStart = async (warmup = false) => {
    const stopProfile = cpuProf ? await startProfile() : null;
    if (process.env.BENCH_SAY_START && !warmup) process.stderr.write(`measuring ${process.pid}\n`); // for an outside profiler (perf) to attach
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadCpuMs();
    return {
      async stop() {
        const cpu = process.cpuUsage(cpu0);
        const mainMs = mainThreadCpuMs() - main0;
        await stopProfile?.();
        return { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, mainMs };
      },
    };
  };

  try {
    let figures;
    if (mode === 'direct') {
      await runDirect(0, WARMUP_JOBS);
      const t0 = await measureStart();
      await runDirect(WARMUP_JOBS, total);
      figures = await t0.stop();
    } else {
      await runQueued(0, WARMUP_JOBS);
      figures = await runQueued(WARMUP_JOBS, total);
    }
    const statuses = {};
    for (let i = WARMUP_JOBS; i < total; i++) {
      const status = (await db.jobs.get(jobIdOf(i)))?.status ?? 'missing';
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    reportResult({ ...figures, jobs, statuses, digest: outputsDigest(config.storageDir, total) });
  } finally {
    await queue?.close();
    producer?.disconnect();
    await removeQueueKeys(redisUrl, prefix).catch(() => undefined);
    await pool.destroy();
    await db.close();
    if (!keepData) rmSync(tmp, { recursive: true, force: true }); // else the parent removes it after every run
  }
}

function parseArgs(argv) {
  const options = {
    jobs: 2000,
    rounds: 1,
    dists: [path.join(ROOT, 'apps', 'worker', 'dist')],
    mode: 'queue',
    threads: 2,
    concurrency: 2,
    cpuProf: undefined,
    dataDir: OUT,
    child: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--jobs') options.jobs = Number(argv[++i]);
    else if (arg === '--rounds') options.rounds = Number(argv[++i]);
    else if (arg === '--dist') options.dists = argv[++i].split(',').map((d) => path.resolve(d));
    else if (arg === '--mode') options.mode = argv[++i];
    else if (arg === '--threads') options.threads = Number(argv[++i]);
    else if (arg === '--concurrency') options.concurrency = Number(argv[++i]);
    else if (arg === '--cpu-prof') options.cpuProf = path.resolve(argv[++i]);
    else if (arg === '--data-dir') options.dataDir = path.resolve(argv[++i]);
    else if (arg === '--warmup') options.warmup = Number(argv[++i]);
    else if (arg === '--child') options.child = true;
    else if (arg === '--keep-data') options.keepData = true;
    else throw new Error(`unknown argument ${arg}; usage: worker-small-jobs.mjs [--jobs N] [--rounds N] [--dist a,b] [--mode queue|direct]`);
  }
  if (!['queue', 'direct'].includes(options.mode)) throw new Error('--mode is queue or direct');
  return options;
}

if (process.argv[1] && SELF === path.resolve(process.argv[1])) {
  const options = parseArgs(process.argv.slice(2));
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (options.warmup !== undefined) WARMUP_JOBS = options.warmup;
  if (options.child) {
    cpuProf = options.cpuProf;
    const { jobs, mode, threads, concurrency, dataDir } = options;
    await child({ dist: options.dists[0], jobs, mode, threads, concurrency, redisUrl, dataDir, keepData: options.keepData === true });
  } else {
    if (options.mode === 'queue' && !(await redisAnswers(redisUrl))) throw new Error(`no Redis at ${redisUrl}; use --mode direct`);
    const best = new Map();
    const digests = new Set();
    // Every run's files stay until the end: deleting thousands of files just before the next run
    // would slow that run's file creation on some file systems (see --data-dir).
    mkdirSync(options.dataDir, { recursive: true });
    const runRoot = mkdtempSync(path.join(options.dataDir, 'small-jobs-run-'));
    try {
      for (let round = 0; round < options.rounds; round++) {
        for (const dist of options.dists) {
          const args = ['--child', '--dist', dist, '--jobs', String(options.jobs), '--mode', options.mode, '--threads', String(options.threads)];
          args.push('--concurrency', String(options.concurrency), '--data-dir', runRoot, '--warmup', String(WARMUP_JOBS), '--keep-data');
          if (options.cpuProf) args.push('--cpu-prof', options.cpuProf);
          const worker = workerLaunch(process.env);
          const r = await runChild(SELF, args, { nodeArgs: worker.execArgv, env: worker.env });
          const jobsPerS = r.jobs / (r.wallMs / 1000);
          const cpuMsPerJob = r.cpuMs / r.jobs;
          digests.add(r.digest);
          process.stdout.write(
            `${path.relative(ROOT, dist)}: ${jobsPerS.toFixed(0)} jobs/s, ${cpuMsPerJob.toFixed(2)} CPU ms/job ` +
              `(user ${(r.userMs / r.jobs).toFixed(2)}, system ${(r.systemMs / r.jobs).toFixed(2)}; main thread ${(r.mainMs / r.jobs).toFixed(2)}), ` +
              `${(r.cpuMs / r.wallMs).toFixed(2)} cores busy, ${r.jobs} jobs in ${(r.wallMs / 1000).toFixed(2)} s, ${JSON.stringify(r.statuses)}, ` +
              `outputs ${r.digest}, peak RSS ${(r.peakRss / 1e6).toFixed(0)} MB\n`,
          );
          const previous = best.get(dist) ?? { jobsPerS: 0, cpuMsPerJob: Infinity };
          best.set(dist, { jobsPerS: Math.max(previous.jobsPerS, jobsPerS), cpuMsPerJob: Math.min(previous.cpuMsPerJob, cpuMsPerJob) });
        }
      }
    } finally {
      rmSync(runRoot, { recursive: true, force: true });
    }
    if (options.rounds > 1 || options.dists.length > 1) {
      for (const [dist, b] of best) process.stdout.write(`best of ${options.rounds}, ${path.relative(ROOT, dist)}: ${b.jobsPerS.toFixed(0)} jobs/s, ${b.cpuMsPerJob.toFixed(2)} CPU ms/job\n`);
    }
    if (digests.size > 1) {
      process.stdout.write(`OUTPUTS DIFFER between runs: ${[...digests].join(' ')}\n`);
      process.exitCode = 1;
    }
  }
}

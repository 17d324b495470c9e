#!/usr/bin/env node
// End-to-end benchmark: a generated messy patients CSV goes through the built api and one worker
// (real processes, real Redis, SQLite unless DATABASE_URL says otherwise) over real HTTP.
//
//   node bench/e2e.mjs [--rows 100000] [--seed 42] [--keep]
//
// WORKER_THREADS, CHUNK_ROWS, DATABASE_URL and REDIS_URL are passed through to the services.
// Numbers are printed, never asserted.
import { createWriteStream, mkdirSync, openAsBlob, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { writePatientsCsv } from './generate-patients.mjs';
import { ROOT, freePort, procMemory, redisAnswers, removeQueueKeys, sampleRss, startApp, tail, waitForHttp } from './services.mjs';

const OUT = path.join(ROOT, 'bench', 'out');
const MB = 1024 * 1024;

const seconds = (ms) => ms / 1000;
const fmt = (n, digits = 2) => (n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const mib = (bytes) => (bytes === undefined ? 'n/a' : `${fmt(bytes / MB, 1)} MiB`);

async function expectOk(response, what) {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/** Streams a download to disk; resolves with its size in bytes. */
async function download(base, url, file) {
  const response = await expectOk(await fetch(new URL(url, base)), `GET ${url}`);
  await pipeline(Readable.fromWeb(/** @type {any} */ (response.body)), createWriteStream(file));
  return statSync(file).size;
}

async function pollUntilFinished(base, statusUrl) {
  for (;;) {
    const response = await fetch(new URL(statusUrl, base));
    const body = await response.json();
    if (response.status === 200) return body;
    if (response.status !== 202) throw new Error(`GET ${statusUrl}: HTTP ${response.status} ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs the benchmark and returns its figures. `inputFile` (from bench-input.mjs) replaces the
 * generated default-profile file, so other benchmarks can send their own input through.
 * @param {{ rows?: number, seed?: number, keep?: boolean, inputFile?: { path: string, rows: number, kinds: Record<string, number> } }} [options]
 */
export async function runE2eBench({ rows = 100_000, seed = 42, keep = false, inputFile } = {}) {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(redisUrl))) {
    throw new Error(`no Redis answers at ${redisUrl}: start one (redis-server) or set REDIS_URL`);
  }
  mkdirSync(OUT, { recursive: true });
  const input = inputFile?.path ?? path.join(OUT, `patients-${rows}-${seed}.csv`);
  const kinds = inputFile?.kinds ?? (await writePatientsCsv({ rows, seed, out: input }));
  if (inputFile) rows = inputFile.rows;
  const inputBytes = statSync(input).size;

  const runDir = path.join(OUT, `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(runDir, { recursive: true });
  const prefix = `bench-${process.pid}-${Date.now()}`;
  const [port, metricsPort] = [await freePort(), await freePort()];
  const threads = Number(process.env.WORKER_THREADS || availableParallelism());
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: path.join(runDir, 'data'),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    WORKER_METRICS_HOST: '127.0.0.1',
    WORKER_METRICS_PORT: String(metricsPort),
    WORKER_THREADS: String(threads),
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  };
  const base = `http://127.0.0.1:${port}`;
  const api = startApp('api', env, runDir);
  const worker = startApp('worker', env, runDir);
  let failed = false;
  try {
    await waitForHttp(`${base}/health`, api.exited);
    await waitForHttp(`http://127.0.0.1:${metricsPort}/metrics`, worker.exited);
    const sampler = sampleRss([worker.pid, api.pid]);

    const t0 = performance.now();
    const form = new FormData();
    form.append('dataset', 'patients');
    form.append('file', await openAsBlob(input, { type: 'text/csv' }), path.basename(input));
    const created = await (await expectOk(await fetch(`${base}/api/v1/jobs`, { method: 'POST', body: form }), 'POST /api/v1/jobs')).json();
    const tUploaded = performance.now();

    const finished = await pollUntilFinished(base, created.links.status);
    const tDone = performance.now();
    if (finished.status !== 'completed') throw new Error(`job ${created.id} ended ${finished.status}: ${JSON.stringify(finished.error ?? {})}`);

    const files = [
      ...finished.output.map((o) => ({ url: o.url, file: `harmonized.${o.format}` })),
      ...finished.error.map((e) => ({ url: e.url, file: `${e.type}.ndjson` })),
      { url: finished.report, file: 'report.json' },
    ];
    let downloadedBytes = 0;
    for (const { url, file } of files) downloadedBytes += await download(base, url, path.join(runDir, file));
    const tEnd = performance.now();

    const peaks = sampler.stop();
    const job = await (await fetch(`${base}/api/v1/jobs/${created.id}`)).json();
    return {
      rows,
      seed,
      kinds,
      threads,
      inputBytes,
      downloadedBytes,
      counts: finished.counts,
      uploadS: seconds(tUploaded - t0),
      processingS: seconds(tDone - tUploaded),
      workerDurationS: job.metrics ? seconds(job.metrics.duration_ms) : undefined,
      downloadS: seconds(tEnd - tDone),
      endToEndS: seconds(tEnd - t0),
      workerPeakRss: procMemory(worker.pid, 'VmHWM'),
      workerSampledRss: peaks.get(worker.pid),
      apiPeakRss: procMemory(api.pid, 'VmHWM'),
      runDir,
    };
  } catch (err) {
    failed = true;
    for (const app of [api, worker]) process.stderr.write(`--- last lines of ${app.log}\n${tail(app.log)}\n`);
    throw err;
  } finally {
    await Promise.all([api.stop(), worker.stop()]);
    await removeQueueKeys(redisUrl, prefix).catch(() => undefined);
    if (!keep && !failed) rmSync(runDir, { recursive: true, force: true });
  }
}

/** Prints the figures as a two-column table. */
export function printE2eTable(r) {
  const rows = [
    ['rows in file', r.rows.toLocaleString('en-US')],
    ['file size', `${fmt(r.inputBytes / MB)} MiB`],
    ['rows out / rejected / duplicates', r.counts ? `${r.counts.rows_out} / ${r.counts.rows_rejected} / ${r.counts.duplicates}` : 'n/a'],
    ['worker threads', String(r.threads)],
    ['upload (POST until 202)', `${fmt(r.uploadS)} s`],
    ['processing (202 until done)', `${fmt(r.processingS)} s`],
    ['  of which worker job duration', r.workerDurationS === undefined ? 'n/a' : `${fmt(r.workerDurationS)} s`],
    ['download of all outputs', `${fmt(r.downloadS)} s`],
    ['end to end', `${fmt(r.endToEndS)} s`],
    ['rows/s end to end', fmt(r.rows / r.endToEndS, 0)],
    ['MiB/s end to end', fmt(r.inputBytes / MB / r.endToEndS)],
    ['worker peak RSS (VmHWM)', mib(r.workerPeakRss)],
    ['worker max sampled RSS (200 ms)', mib(r.workerSampledRss)],
    ['api peak RSS (VmHWM)', mib(r.apiPeakRss)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  const rule = `+${'-'.repeat(width + 2)}+${'-'.repeat(valueWidth + 2)}+`;
  const lines = rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v.padStart(valueWidth)} |`);
  process.stdout.write(`\nend to end: ${r.rows} messy patient rows (seed ${r.seed})\n${[rule, ...lines, rule].join('\n')}\n`);
  process.stdout.write(`generated row kinds: ${JSON.stringify(r.kinds)}\n`);
}

function parseArgs(argv) {
  const options = { rows: 100_000, seed: 42, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rows') options.rows = Number(argv[++i]);
    else if (argv[i] === '--seed') options.seed = Number(argv[++i]);
    else if (argv[i] === '--keep') options.keep = true;
    else throw new Error(`unknown argument ${argv[i]}; usage: e2e.mjs [--rows N] [--seed N] [--keep]`);
  }
  if (!Number.isSafeInteger(options.rows) || options.rows < 1) throw new Error('--rows must be a positive integer');
  return options;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const result = await runE2eBench(parseArgs(process.argv.slice(2)));
    printE2eTable(result);
    if (process.argv.includes('--keep')) process.stdout.write(`outputs and logs kept in ${result.runDir}\n`);
  } catch (err) {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

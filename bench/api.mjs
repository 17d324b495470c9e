#!/usr/bin/env node
// The service around the worker, with the built api and worker as real processes (own data
// directory, queue prefix and ports; SQLite unless DATABASE_URL says otherwise):
//   (a) a big file end to end (upload, queue, process, download): bench/e2e.mjs on the input;
//   (d) upload streaming from a loopback client to the stored file: the upload part of (a);
//   (c) small jobs: N 1 KB files submitted (16 at a time) and polled until all completed;
//   (b) GET /jobs/{id}/status at 50 connections against a Fastify hello-world in the same run.
// Auth does not exist yet (issue 4): the status figures are without it.
//
//   node bench/api.mjs [--rows 1000000] [--small-jobs 2000] [--duration 5] [--skip-e2e]
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { OUT, ensureInput } from './bench-input.mjs';
import { runE2eBench } from './e2e.mjs';
import { patientsCsv } from './generate-patients.mjs';
import { runHttpLoad } from './http-load.mjs';
import { ROOT, freePort, procMemory, redisAnswers, removeQueueKeys, startApp, startProcess, tail, waitForHttp } from './services.mjs';

const SELF = fileURLToPath(import.meta.url);

/** (a) and (d): the big file through the api; returns e2e.mjs's figures. */
export async function runApiEndToEnd({ inputFile }) {
  return runE2eBench({ inputFile });
}

async function postFile(base, text, name) {
  const form = new FormData();
  form.append('dataset', 'patients');
  form.append('file', new Blob([text], { type: 'text/csv' }), name);
  const response = await fetch(`${base}/api/v1/jobs`, { method: 'POST', body: form });
  if (response.status !== 202) throw new Error(`POST /api/v1/jobs: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()).id;
}

/** Waits until the job's status answers 200 (finished); returns its status, or 'timeout'. */
async function waitFinished(base, id, deadline) {
  while (performance.now() < deadline) {
    const response = await fetch(`${base}/api/v1/jobs/${id}/status`);
    const body = await response.json();
    if (response.status === 200) return body.status;
    await new Promise((r) => setTimeout(r, 20));
  }
  return 'timeout';
}

/** (c): `count` distinct 1 KB files, 16 requests in flight, then each job polled in order. */
async function smallJobs(base, count, timeoutMs) {
  const files = Array.from({ length: count }, (_, i) => [...patientsCsv({ rows: 8, seed: 1000 + i, profile: 'issue6' })].join(''));
  const ids = new Array(count);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const i = next++;
        ids[i] = await postFile(base, files[i], `small-${i}.csv`);
      }
    }),
  );
  const submittedMs = performance.now() - t0;
  const deadline = t0 + timeoutMs;
  const statuses = {};
  for (const id of ids) {
    const status = await waitFinished(base, id, deadline);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 'timeout') break;
  }
  const completedMs = performance.now() - t0;
  return {
    jobs: count,
    bytesEach: Math.round(files.reduce((sum, f) => sum + Buffer.byteLength(f), 0) / count),
    submittedPerS: count / (submittedMs / 1000),
    completedPerS: (statuses.completed ?? 0) / (completedMs / 1000),
    completedMs,
    statuses,
    jobIds: ids,
  };
}

/**
 * (c) then (b), on one api + worker pair; then the same load on a hello-world.
 * @param {{ smallJobCount?: number, durationMs?: number, connections?: number, timeoutMs?: number }} [options]
 */
export async function runApiServiceBench({ smallJobCount = 2000, durationMs = 5_000, connections = 50, timeoutMs = 180_000 } = {}) {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(redisUrl))) throw new Error(`no Redis answers at ${redisUrl}`);
  const runDir = path.join(OUT, `api-${Date.now()}`);
  mkdirSync(runDir, { recursive: true });
  const prefix = `bench-api-${process.pid}-${Date.now()}`;
  const [port, metricsPort, helloPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: path.join(runDir, 'data'), REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix, WORKER_METRICS_HOST: '127.0.0.1', WORKER_METRICS_PORT: String(metricsPort),
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  };
  const base = `http://127.0.0.1:${port}`;
  const api = startApp('api', env, runDir);
  const worker = startApp('worker', env, runDir);
  const hello = startProcess('hello', path.join(ROOT, 'bench', 'hello-world.mjs'), { ...process.env, PORT: String(helloPort) }, runDir);
  let failed = false;
  try {
    await waitForHttp(`${base}/health`, api.exited);
    await waitForHttp(`http://127.0.0.1:${metricsPort}/metrics`, worker.exited);
    await waitForHttp(`http://127.0.0.1:${helloPort}/`, hello.exited);
    const small = await smallJobs(base, smallJobCount, timeoutMs);
    const jobId = small.jobIds[0];
    const status = await runHttpLoad({ url: `${base}/api/v1/jobs/${jobId}/status`, connections, durationMs });
    const helloWorld = await runHttpLoad({ url: `http://127.0.0.1:${helloPort}/`, connections, durationMs });
    return {
      small: { ...small, jobIds: undefined },
      status,
      helloWorld,
      connections,
      apiPeakRss: procMemory(api.pid, 'VmHWM'),
      workerPeakRss: procMemory(worker.pid, 'VmHWM'),
      workerConcurrency: Number(process.env.WORKER_CONCURRENCY || 1),
    };
  } catch (err) {
    failed = true;
    for (const app of [api, worker, hello]) process.stderr.write(`--- last lines of ${app.log}\n${tail(app.log)}\n`);
    throw err;
  } finally {
    await Promise.all([api.stop(), worker.stop(), hello.stop()]);
    await removeQueueKeys(redisUrl, prefix).catch(() => undefined);
    if (!failed) rmSync(runDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && SELF === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const service = await runApiServiceBench({ smallJobCount: option('--small-jobs', 2000), durationMs: option('--duration', 5) * 1000 });
  process.stdout.write(`${JSON.stringify(service, null, 2)}\n`);
  if (!args.includes('--skip-e2e')) {
    const inputFile = await ensureInput({ rows: option('--rows', 1_000_000) });
    const e2e = await runApiEndToEnd({ inputFile });
    process.stdout.write(`${JSON.stringify({ ...e2e, uploadMBperS: e2e.inputBytes / 1e6 / e2e.uploadS }, null, 2)}\n`);
  }
}

#!/usr/bin/env node
// The service around the worker, with the built api and worker as real processes (own data
// directory, queue prefix and ports; SQLite unless DATABASE_URL says otherwise):
//   (a) a big file end to end (upload, queue, process, download): bench/e2e.mjs on the input;
//   (d) upload streaming from a loopback client to the stored file: the upload part of (a), and
//       (with a file given) an upload of its own through the authenticated api;
//   (c) small jobs: N 1 KB files submitted (16 at a time) and polled until all completed;
//   (b) GET /jobs/{id}/status at 50 connections against a Fastify hello-world in the same run,
//       with a Bearer HS256 JWT and again with an api key.
// The api runs with AUTH_MODE=required (an HS256 secret made up per run, tokens minted here) and,
// unless the environment says otherwise, without submission rate limits (RATE_LIMIT_*=0) or the
// status poll limit (STATUS_POLL_LIMIT=off): the small jobs are POSTed and polled as fast as the
// api answers, which those limits exist to refuse. e2e.mjs sends no credentials, so (a) runs with
// AUTH_MODE=none unless the environment sets AUTH_MODE.
//
//   node bench/api.mjs [--rows 1000000] [--small-jobs 2000] [--duration 5] [--skip-e2e] [--upload]
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { OUT, ensureInput } from './bench-input.mjs';
import { runE2eBench } from './e2e.mjs';
import { patientsCsv } from './generate-patients.mjs';
import { runHttpLoad } from './http-load.mjs';
import { ROOT, freePort, procCpuMs, procMemory, redisAnswers, removeQueueKeys, startApp, startProcess, tail, waitForHttp } from './services.mjs';

const SELF = fileURLToPath(import.meta.url);

/** (a) and (d): the big file through the api; returns e2e.mjs's figures. */
export async function runApiEndToEnd({ inputFile }) {
  // e2e.mjs sends no credentials and polls every 100 ms: without auth and poll limit unless told.
  const defaults = { AUTH_MODE: 'none', STATUS_POLL_LIMIT: 'off', RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0', RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '0' };
  const unset = Object.keys(defaults).filter((name) => process.env[name] === undefined);
  for (const name of unset) process.env[name] = defaults[name];
  try {
    return await runE2eBench({ inputFile });
  } finally {
    for (const name of unset) delete process.env[name];
  }
}

/** The api's JWT settings for a run: HS256 with a secret made up here. */
function benchJwt() {
  return { secret: randomBytes(32).toString('base64url'), issuer: 'https://bench.harmonizer.invalid', audience: 'harmonizer-bench' };
}

/** A token of tenant 'bench' with `roles`, valid for two hours. */
function mintToken(settings, roles, sub = 'bench-user') {
  return jwt.sign({ tenant: 'bench', roles, sub }, settings.secret, {
    algorithm: 'HS256',
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: 7200,
  });
}

/**
 * The small jobs' HTTP client: node:http on keep-alive sockets, multipart bodies written by hand.
 * Not fetch/FormData: the client runs on the same two cores as the api and the worker, and fetch
 * cost about 3.5 ms of CPU per small job (POST and polls), as much as the api answering it.
 */
const smallJobsAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });

/** One request; resolves with the status and the body as text. */
function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent: smallJobsAgent, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.once('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** A dataset field and the file, as FormData would send them. */
function multipartBody(text, name) {
  const boundary = `----harmonizer-bench-${randomBytes(8).toString('hex')}`;
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="dataset"\r\n\r\npatients\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n` +
      `${text}\r\n--${boundary}--\r\n`,
  );
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function postFile(base, auth, file) {
  const response = await request(`${base}/api/v1/jobs`, { method: 'POST', headers: { ...auth, 'content-type': file.contentType }, body: file.body });
  if (response.status !== 202) throw new Error(`POST /api/v1/jobs: HTTP ${response.status} ${response.text}`);
  return JSON.parse(response.text).id;
}

/** Waits until the job's status answers 200 (finished); returns its status, or 'timeout'. `polls.count` counts the requests. */
async function waitFinished(base, auth, id, deadline, polls) {
  while (performance.now() < deadline) {
    polls.count++;
    const response = await request(`${base}/api/v1/jobs/${id}/status`, { headers: auth });
    const body = JSON.parse(response.text);
    if (response.status === 200) return body.status;
    await new Promise((r) => setTimeout(r, 20));
  }
  return 'timeout';
}

/** (c): `count` distinct 1 KB files, 16 requests in flight, then each job polled in order. */
async function smallJobs(base, auth, count, timeoutMs) {
  const texts = Array.from({ length: count }, (_, i) => [...patientsCsv({ rows: 8, seed: 1000 + i, profile: 'issue6' })].join(''));
  const files = texts.map((text, i) => multipartBody(text, `small-${i}.csv`));
  const ids = new Array(count);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const i = next++;
        ids[i] = await postFile(base, auth, files[i]);
      }
    }),
  );
  const submittedMs = performance.now() - t0;
  const deadline = t0 + timeoutMs;
  const statuses = {};
  const polls = { count: 0 };
  for (const id of ids) {
    const status = await waitFinished(base, auth, id, deadline, polls);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 'timeout') break;
  }
  const completedMs = performance.now() - t0;
  return {
    jobs: count,
    bytesEach: Math.round(texts.reduce((sum, f) => sum + Buffer.byteLength(f), 0) / count),
    submittedPerS: count / (submittedMs / 1000),
    completedPerS: (statuses.completed ?? 0) / (completedMs / 1000),
    completedMs,
    statusPollsPerJob: polls.count / count,
    statuses,
    jobIds: ids,
  };
}

/**
 * (d) with auth: the file POSTed from disk until the 202; the job is then cancelled, not processed.
 * The client is node:http writing the multipart body by hand (the file read in 1 MiB chunks), so
 * the figure is the api's, not fetch/FormData's: on two shared cores the client's own CPU counts.
 */
async function uploadOnce(base, auth, file) {
  const boundary = `----harmonizer-bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="dataset"\r\n\r\npatients\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = statSync(file).size;
  const t0 = performance.now();
  const { status, body } = await new Promise((resolve, reject) => {
    const request = http.request(`${base}/api/v1/jobs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
    });
    request.once('error', reject);
    request.once('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.once('end', () => resolve({ status: response.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      response.once('error', reject);
    });
    request.write(head);
    const source = createReadStream(file, { highWaterMark: 1024 * 1024 });
    source.once('error', reject);
    source.on('end', () => request.end(tail));
    source.pipe(request, { end: false });
  });
  const uploadMs = performance.now() - t0;
  if (status !== 202) throw new Error(`POST /api/v1/jobs (upload): HTTP ${status} ${JSON.stringify(body)}`);
  await fetch(`${base}/api/v1/jobs/${body.id}`, { method: 'DELETE', headers: auth });
  return uploadMs;
}

/** An api key of the bench tenant with the viewer role, created through the api with an admin token. */
async function createApiKey(base, adminAuth) {
  const response = await fetch(`${base}/api/v1/api-keys`, {
    method: 'POST',
    headers: { ...adminAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench status load', roles: ['viewer'] }),
  });
  const body = await response.json();
  if (response.status !== 201) throw new Error(`POST /api/v1/api-keys: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body.key;
}

/**
 * (c) then (b), on one api + worker pair; then the same load on a hello-world; (d) when an
 * `uploadFile` is given. `API_EXEC_ARGV` / `WORKER_EXEC_ARGV` in the environment: node flags for
 * the api / worker process, space-separated (e.g. `--cpu-prof --cpu-prof-dir=bench/out/api-prof`
 * to profile it under this load).
 * @param {{ smallJobCount?: number, durationMs?: number, connections?: number, timeoutMs?: number, uploadFile?: string }} [options]
 */
export async function runApiServiceBench({ smallJobCount = 2000, durationMs = 5_000, connections = 50, timeoutMs = 180_000, uploadFile } = {}) {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(redisUrl))) throw new Error(`no Redis answers at ${redisUrl}`);
  const runDir = path.join(OUT, `api-${Date.now()}`);
  mkdirSync(runDir, { recursive: true });
  const prefix = `bench-api-${process.pid}-${Date.now()}`;
  const [port, metricsPort, helloPort] = [await freePort(), await freePort(), await freePort()];
  const jwtSettings = benchJwt();
  const env = {
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
    RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '0',
    STATUS_POLL_LIMIT: 'off',
    ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: path.join(runDir, 'data'), REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix, WORKER_METRICS_HOST: '127.0.0.1', WORKER_METRICS_PORT: String(metricsPort),
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    AUTH_MODE: 'required', JWT_SECRET: jwtSettings.secret, JWT_ISSUER: jwtSettings.issuer, JWT_AUDIENCE: jwtSettings.audience,
    JWT_ALGORITHMS: 'HS256',
  };
  const base = `http://127.0.0.1:${port}`;
  const api = startApp('api', env, runDir, (process.env.API_EXEC_ARGV ?? '').split(' ').filter(Boolean));
  const worker = startApp('worker', env, runDir, (process.env.WORKER_EXEC_ARGV ?? '').split(' ').filter(Boolean));
  const hello = startProcess('hello', path.join(ROOT, 'bench', 'hello-world.mjs'), { ...process.env, PORT: String(helloPort) }, runDir);
  const auth = { authorization: `Bearer ${mintToken(jwtSettings, ['submitter'])}` };
  let failed = false;
  try {
    await waitForHttp(`${base}/health`, api.exited);
    await waitForHttp(`http://127.0.0.1:${metricsPort}/metrics`, worker.exited);
    await waitForHttp(`http://127.0.0.1:${helloPort}/`, hello.exited);
    const apiKey = await createApiKey(base, { authorization: `Bearer ${mintToken(jwtSettings, ['admin'], 'bench-admin')}` });
    const cpuBefore = [procCpuMs(api.pid), procCpuMs(worker.pid), procCpuMs(process.pid)];
    const small = await smallJobs(base, auth, smallJobCount, timeoutMs);
    const cpuAfter = [procCpuMs(api.pid), procCpuMs(worker.pid), procCpuMs(process.pid)];
    // CPU per job of each process (all its threads): less sensitive to other work on the machine than rates.
    // `client`: this benchmark's own share of the two cores (its HTTP client), for reading the rates.
    const perJob = (i) => (cpuBefore[i] === undefined || cpuAfter[i] === undefined ? undefined : (cpuAfter[i] - cpuBefore[i]) / smallJobCount);
    small.cpuMsPerJob = { api: perJob(0), worker: perJob(1), client: perJob(2) };
    const jobId = small.jobIds[0];
    const url = `${base}/api/v1/jobs/${jobId}/status`;
    const status = await runHttpLoad({ url, headers: auth, connections, durationMs });
    const statusApiKey = await runHttpLoad({ url, headers: { 'x-api-key': apiKey }, connections, durationMs });
    const helloWorld = await runHttpLoad({ url: `http://127.0.0.1:${helloPort}/`, connections, durationMs });
    let upload;
    const workerPeakRss = procMemory(worker.pid, 'VmHWM');
    if (uploadFile) {
      // The worker stops first: it would start on each upload's job in the moment between the 202
      // and the cancel, and take the cores from the next upload (uploads of 1.2 s instead of 0.6 s,
      // at the same api CPU). An upload is the client, the api and the stored file; no worker.
      await worker.stop();
      // Three uploads one after another (the machine is shared): the fastest and the median are kept.
      const bytes = statSync(uploadFile).size;
      const times = [];
      const apiCpu = [];
      for (let i = 0; i < 3; i++) {
        const cpu0 = procCpuMs(api.pid);
        times.push(await uploadOnce(base, auth, uploadFile));
        apiCpu.push((procCpuMs(api.pid) ?? NaN) - (cpu0 ?? NaN));
      }
      const wallMs = [...times];
      times.sort((a, b) => a - b);
      upload = {
        bytes,
        uploadS: times[0] / 1000,
        MBperS: bytes / 1e6 / (times[0] / 1000),
        medianMBperS: bytes / 1e6 / (times[1] / 1000),
        // per upload: the api's CPU time against the wall time (CPU near wall: the api is the limit)
        apiCpuMs: apiCpu,
        wallMs,
      };
    }
    return {
      auth: 'AUTH_MODE=required; status with a Bearer HS256 JWT (status) and an api key (statusApiKey)',
      small: { ...small, jobIds: undefined },
      status,
      statusApiKey,
      helloWorld,
      upload,
      connections,
      apiPeakRss: procMemory(api.pid, 'VmHWM'),
      workerPeakRss,
      workerConcurrency: Number(process.env.WORKER_CONCURRENCY || 2),
    };
  } catch (err) {
    failed = true;
    for (const app of [api, worker, hello]) process.stderr.write(`--- last lines of ${app.log}\n${tail(app.log)}\n`);
    throw err;
  } finally {
    smallJobsAgent.destroy();
    await Promise.all([api.stop(), worker.stop(), hello.stop()]);
    await removeQueueKeys(redisUrl, prefix).catch(() => undefined);
    if (!failed) rmSync(runDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && SELF === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const uploadFile = args.includes('--upload') ? (await ensureInput({ rows: option('--rows', 1_000_000) })).path : undefined;
  const service = await runApiServiceBench({ smallJobCount: option('--small-jobs', 2000), durationMs: option('--duration', 5) * 1000, uploadFile });
  process.stdout.write(`${JSON.stringify(service, null, 2)}\n`);
  if (!args.includes('--skip-e2e')) {
    const inputFile = await ensureInput({ rows: option('--rows', 1_000_000) });
    const e2e = await runApiEndToEnd({ inputFile });
    process.stdout.write(`${JSON.stringify({ ...e2e, uploadMBperS: e2e.inputBytes / 1e6 / e2e.uploadS }, null, 2)}\n`);
  }
}

#!/usr/bin/env node
// End-to-end benchmark: a generated messy patients CSV goes through the built api and one worker
// (real processes, real Redis, SQLite unless DATABASE_URL says otherwise) over real HTTP, after
// a small warm-up job (as worker-alone.mjs runs one).
//
//   node bench/e2e.mjs [--rows 100000] [--seed 42] [--issue6] [--keep]
//
// --issue6 takes the benchmark's issue6 input of that many rows (bench-input.mjs) instead of
// generating a default-profile file.
//
// WORKER_THREADS, CHUNK_ROWS, DATABASE_URL and REDIS_URL are passed through to the services.
// Numbers are printed, never asserted.
import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, mkdirSync, openAsBlob, openSync, readSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { ensureInput } from './bench-input.mjs';
import { writePatientsCsv } from './generate-patients.mjs';
import { ROOT, freePort, procCpuMs, procMemory, redisAnswers, removeQueueKeys, sampleRss, startApp, tail, waitForHttp } from './services.mjs';

const OUT = path.join(ROOT, 'bench', 'out');
const MB = 1024 * 1024;

const seconds = (ms) => ms / 1000;
const fmt = (n, digits = 2) => (n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const mib = (bytes) => (bytes === undefined ? 'n/a' : `${fmt(bytes / MB, 1)} MiB`);

async function expectOk(response, what) {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/**
 * Downloads one result; resolves with the size in bytes, how long it took and the MB/s. With
 * `file` the body is kept there (--keep), else only counted. The client is curl when the machine
 * has it, as a user would download: node:http cost this client (on the same two cores as the
 * api) about 2.2 ms of CPU per MB, three times what the api spends serving it, so the download
 * measured the client more than the api (1.1 GB: 2.1 s with node:http). fetch costs about twice
 * node:http's CPU per MB. Without curl, node:http.
 */
async function download(base, url, file) {
  const t0 = performance.now();
  const bytes = CURL ? await curlDownload(new URL(url, base).href, file) : await httpDownload(new URL(url, base), file);
  const s = seconds(performance.now() - t0);
  return { bytes, s, MBperS: bytes / 1e6 / s };
}

/**
 * POSTs the input as a patients job and resolves with the 202's body: with curl when the machine
 * has it (a user's upload; fetch/FormData cost this client ~0.8 s of CPU for the 148 MB input,
 * on the cores the api needs), else fetch streaming the file from disk.
 */
async function upload(base, input) {
  if (!CURL) {
    const form = new FormData();
    form.append('dataset', 'patients');
    form.append('file', await openAsBlob(input, { type: 'text/csv' }), path.basename(input));
    return (await expectOk(await fetch(`${base}/api/v1/jobs`, { method: 'POST', body: form }), 'POST /api/v1/jobs')).json();
  }
  const { code, out } = await runCurl(['--silent', '--show-error', '--form', 'dataset=patients', '--form', `file=@${input};type=text/csv`, '--write-out', '\n%{http_code}', `${base}/api/v1/jobs`]);
  const status = out.slice(out.lastIndexOf('\n') + 1);
  if (code !== 0 || status !== '202') throw new Error(`POST /api/v1/jobs: curl exit ${code}, HTTP ${status}: ${out}`);
  return JSON.parse(out.slice(0, out.lastIndexOf('\n')));
}

/** Runs curl; resolves with its exit code and what it printed (stdout, then stderr). */
function runCurl(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(CURL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (out += text));
    child.stderr.setEncoding('utf8').on('data', (text) => (err += text));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out: err ? `${out}${err}` : out }));
  });
}

/** The path of curl, or null. */
const CURL = ['/usr/bin/curl', '/bin/curl', '/usr/local/bin/curl'].find((p) => existsSync(p)) ?? null;

async function curlDownload(url, file) {
  const { code, out } = await runCurl(['--silent', '--show-error', '--output', file ?? '/dev/null', '--write-out', '%{http_code} %{size_download}', url]);
  const [status, size] = out.trim().split(' ');
  if (code !== 0 || status !== '200') throw new Error(`GET ${url}: curl exit ${code}, ${out.trim()}`);
  return Number(size);
}

function httpDownload(url, file) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`GET ${url}: HTTP ${response.statusCode}`));
        return;
      }
      let count = 0;
      response.on('data', (chunk) => (count += chunk.length));
      if (file) pipeline(response, createWriteStream(file, { highWaterMark: MB })).then(() => resolve(count), reject);
      else response.once('end', () => resolve(count)).once('error', reject);
    });
    request.once('error', reject);
  });
}

/** The first few hundred records of the input (up to 64 KiB, cut after a line break). */
function inputHead(file) {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(64 * 1024);
  const length = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  return head.subarray(0, head.subarray(0, length).lastIndexOf('\n') + 1);
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
    // A small job first, as worker-alone.mjs runs one: a running service has its pool threads
    // started and its code compiled. Not part of any figure.
    const warmup = new FormData();
    warmup.append('dataset', 'patients');
    warmup.append('file', new Blob([inputHead(input)], { type: 'text/csv' }), 'warmup.csv');
    const warm = await (await expectOk(await fetch(`${base}/api/v1/jobs`, { method: 'POST', body: warmup }), 'POST /api/v1/jobs (warm-up)')).json();
    await pollUntilFinished(base, warm.links.status);

    const sampler = sampleRss([worker.pid, api.pid]);

    // CPU time (all threads) of the api, the worker and this client at each step: which side a phase waits on.
    const cpu = () => ({ api: procCpuMs(api.pid) ?? NaN, worker: procCpuMs(worker.pid) ?? NaN, client: procCpuMs(process.pid) ?? NaN });
    const cpu0 = cpu();
    const t0 = performance.now();
    const created = await upload(base, input);
    const tUploaded = performance.now();
    const cpuUploaded = cpu();

    const finished = await pollUntilFinished(base, created.links.status);
    const tDone = performance.now();
    const cpuDone = cpu();
    if (finished.status !== 'completed') throw new Error(`job ${created.id} ended ${finished.status}: ${JSON.stringify(finished.error ?? {})}`);

    const files = [
      // FHIR files are one per resource type (o.type), harmonized files one per format.
      ...finished.output.map((o) => ({ url: o.url, file: o.type === 'harmonized' ? `harmonized.${o.format}` : `fhir-${o.type}.ndjson` })),
      ...finished.error.map((e) => ({ url: e.url, file: `${e.type}.ndjson` })),
      { url: finished.report, file: 'report.json' },
    ];
    let downloadedBytes = 0;
    const downloads = [];
    // All at once, as a script fetching a job's outputs would (the api serves them concurrently).
    const fetched = await Promise.all(files.map(({ url, file }) => download(base, url, keep ? path.join(runDir, file) : null)));
    fetched.forEach((one, i) => {
      downloads.push({ ...one, file: files[i].file });
      downloadedBytes += one.bytes;
    });
    const tEnd = performance.now();
    const cpuEnd = cpu();
    const cpuS = (from, to) => Object.fromEntries(Object.keys(from).map((k) => [k, (to[k] - from[k]) / 1000]));

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
      downloads,
      // curl's CPU is its own process's, not in cpuS.client
      downloadClient: CURL ? 'curl' : 'node:http',
      uploadClient: CURL ? 'curl' : 'fetch/FormData',
      cpuS: { upload: cpuS(cpu0, cpuUploaded), processing: cpuS(cpuUploaded, cpuDone), download: cpuS(cpuDone, cpuEnd) },
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
    ['upload (POST until 202)', `${fmt(r.uploadS)} s, ${fmt(r.inputBytes / 1e6 / r.uploadS, 0)} MB/s (${r.uploadClient})`],
    ['processing (202 until done)', `${fmt(r.processingS)} s`],
    ['  of which worker job duration', r.workerDurationS === undefined ? 'n/a' : `${fmt(r.workerDurationS)} s`],
    ['download of all outputs, at once', `${fmt(r.downloadS)} s (${r.downloadClient})`],
    ...(r.downloads ?? []).map((d) => [`  ${d.file}`, `${fmt(d.bytes / 1e6, 1)} MB in ${fmt(d.s)} s, ${fmt(d.MBperS, 0)} MB/s`]),
    ...(r.cpuS
      ? Object.entries(r.cpuS).map(([phase, c]) => [`CPU s during ${phase}`, `api ${fmt(c.api)}, worker ${fmt(c.worker)}, client ${fmt(c.client)} (without curl)`])
      : []),
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
  const options = { rows: 100_000, seed: 42, keep: false, issue6: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rows') options.rows = Number(argv[++i]);
    else if (argv[i] === '--issue6') options.issue6 = true;
    else if (argv[i] === '--seed') options.seed = Number(argv[++i]);
    else if (argv[i] === '--keep') options.keep = true;
    else throw new Error(`unknown argument ${argv[i]}; usage: e2e.mjs [--rows N] [--seed N] [--issue6] [--keep]`);
  }
  if (!Number.isSafeInteger(options.rows) || options.rows < 1) throw new Error('--rows must be a positive integer');
  return options;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const options = parseArgs(process.argv.slice(2));
    // No credentials are sent and status is polled every 100 ms: without auth and limits unless
    // the environment says otherwise (as api.mjs runs it).
    const defaults = { AUTH_MODE: 'none', STATUS_POLL_LIMIT: 'off', RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0', RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '0' };
    for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
    // --issue6: the benchmark's input file (bench-input.mjs) instead of a default-profile one.
    const inputFile = options.issue6 ? await ensureInput({ rows: options.rows, seed: options.seed }) : undefined;
    const result = await runE2eBench({ ...options, inputFile });
    printE2eTable(result);
    if (process.argv.includes('--keep')) process.stdout.write(`outputs and logs kept in ${result.runDir}\n`);
  } catch (err) {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

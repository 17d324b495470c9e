#!/usr/bin/env node
// The api's own CPU time per small-job request, without a worker: POST /api/v1/jobs of ~1.3 KB
// issue6 files (16 in flight, a token on each), then GET /jobs/{id}/status of those queued jobs
// (the 202 answer), and optionally one upload of a big file. CPU is read from /proc for the api
// process only (all its threads), so the client's share does not count; the client is node:http
// with prebuilt multipart bodies on keep-alive sockets, to take as little of the two cores as it can.
//
// With `--trees a,b` each round runs the api built in each tree (a copy of this repository with
// its own node_modules and dist) one after the other, A,B,A,B..., and the best round is kept:
// the way to compare a change with what it replaced on a shared machine.
//
//   node bench/api-cost.mjs [--jobs 1000] [--polls 2] [--rounds 3] [--trees /path/before,.] [--big <file>] [--data /dev/shm]
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import jwt from 'jsonwebtoken';
import { OUT } from './bench-input.mjs';
import { patientsCsv } from './generate-patients.mjs';
import { ROOT, freePort, procCpuMs, redisAnswers, removeQueueKeys, startProcess, tail, waitForHttp } from './services.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const JOBS = Number(option('--jobs', 1000));
const POLLS = Number(option('--polls', 2));
const ROUNDS = Number(option('--rounds', 3));
const TREES = option('--trees', ROOT).split(',').map((tree) => path.resolve(tree));
const BIG = option('--big', undefined);
// Where the api's data directories go (default bench/out): e.g. /dev/shm to leave the disk out of the figures.
const DATA_ROOT = path.resolve(option('--data', OUT));
const IN_FLIGHT = 16;

/** One request on a keep-alive agent; resolves with the status and the body as text. */
function request(agent, url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.once('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** A multipart body with a dataset field and the file, as a browser or curl would send it. */
function multipart(text, name) {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="dataset"\r\n\r\npatients\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n` +
      `${text}\r\n--${boundary}--\r\n`,
  );
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Runs `work(i)` for i in [0, count) with IN_FLIGHT at a time. */
async function inFlight(count, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** CPU ms the api used while `work` ran, per `count`, and the wall time. */
async function measured(pid, count, work) {
  const cpu0 = procCpuMs(pid);
  const sys0 = procSysMs(pid);
  const t0 = performance.now();
  await work();
  const wallMs = performance.now() - t0;
  return { cpuMsEach: (procCpuMs(pid) - cpu0) / count, sysMsEach: (procSysMs(pid) - sys0) / count, perS: count / (wallMs / 1000) };
}

/** System (kernel) CPU ms of a process so far: field 15 of /proc/<pid>/stat. */
function procSysMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[12]) * 10;
}

async function runTree(tree, files, round) {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const runDir = path.join(DATA_ROOT, `api-cost-${process.pid}-${round}-${path.basename(tree)}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const prefix = `bench-api-cost-${process.pid}-${Date.now()}`;
  const port = await freePort();
  const secret = randomBytes(32).toString('base64url');
  const env = {
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0',
    RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '0',
    STATUS_POLL_LIMIT: 'off',
    ...process.env,
    HOST: '127.0.0.1', PORT: String(port), DATA_DIR: path.join(runDir, 'data'), REDIS_URL: redisUrl, QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    AUTH_MODE: 'required', JWT_SECRET: secret, JWT_ISSUER: 'https://bench.harmonizer.invalid', JWT_AUDIENCE: 'harmonizer-bench', JWT_ALGORITHMS: 'HS256',
  };
  const token = jwt.sign({ tenant: 'bench', roles: ['submitter'], sub: 'bench-user' }, secret, {
    algorithm: 'HS256', issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE, expiresIn: 7200,
  });
  const auth = { authorization: `Bearer ${token}` };
  const execArgv = (process.env.API_EXEC_ARGV ?? '').split(' ').filter(Boolean);
  const api = startProcess('api', path.join(tree, 'apps', 'api', 'dist', 'main.js'), env, runDir, execArgv);
  const base = `http://127.0.0.1:${port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  let failed = false;
  try {
    await waitForHttp(`${base}/health`, api.exited);
    // Warm-up: the first requests compile the routes' code paths.
    for (let i = 0; i < 50; i++) {
      const { body, contentType } = files[i % files.length];
      await request(agent, `${base}/api/v1/jobs`, { method: 'POST', headers: { ...auth, 'content-type': contentType }, body });
    }
    const ids = new Array(JOBS);
    const post = await measured(api.pid, JOBS, () =>
      inFlight(JOBS, async (i) => {
        const { body, contentType } = files[i];
        const res = await request(agent, `${base}/api/v1/jobs`, { method: 'POST', headers: { ...auth, 'content-type': contentType }, body });
        if (res.status !== 202) throw new Error(`POST: HTTP ${res.status} ${res.text}`);
        ids[i] = JSON.parse(res.text).id;
      }),
    );
    const polls = JOBS * POLLS;
    const poll = polls === 0 ? { cpuMsEach: NaN, sysMsEach: NaN, perS: NaN } : await measured(api.pid, polls, () =>
      inFlight(polls, async (i) => {
        const res = await request(agent, `${base}/api/v1/jobs/${ids[i % JOBS]}/status`, { headers: auth });
        if (res.status !== 202) throw new Error(`GET status: HTTP ${res.status} ${res.text}`);
      }),
    );
    let big;
    if (BIG) {
      const { size } = statSync(BIG);
      const boundary = `----bench${randomBytes(8).toString('hex')}`;
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="dataset"\r\n\r\npatients\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      );
      const end = Buffer.from(`\r\n--${boundary}--\r\n`);
      big = await measured(api.pid, 1, async () => {
        const res = await new Promise((resolve, reject) => {
          const req = http.request(`${base}/api/v1/jobs`, {
            method: 'POST',
            headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + end.length },
          });
          req.once('error', reject);
          req.once('response', (r) => {
            r.resume();
            r.once('end', () => resolve(r.statusCode));
          });
          req.write(head);
          const source = createReadStream(BIG, { highWaterMark: 1024 * 1024 });
          source.on('end', () => req.end(end));
          source.pipe(req, { end: false });
        });
        if (res !== 202) throw new Error(`big POST: HTTP ${res}`);
      });
      big.MBperS = size / 1e6 * big.perS;
    }
    return { post, poll, big };
  } catch (err) {
    failed = true;
    process.stderr.write(`--- last lines of ${api.log}\n${tail(api.log)}\n`);
    throw err;
  } finally {
    agent.destroy();
    await api.stop();
    await removeQueueKeys(redisUrl, prefix).catch(() => undefined);
    if (!failed) rmSync(runDir, { recursive: true, force: true });
  }
}

const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
if (!(await redisAnswers(redisUrl))) throw new Error(`no Redis answers at ${redisUrl}`);
const files = Array.from({ length: JOBS }, (_, i) => multipart([...patientsCsv({ rows: 8, seed: 1000 + i, profile: 'issue6' })].join(''), `small-${i}.csv`));
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
process.stdout.write(`api CPU per request, ${JOBS} small jobs, ${POLLS} polls each, load ${load()}\n`);
const best = new Map();
for (let round = 0; round < ROUNDS; round++) {
  for (const tree of TREES) {
    const r = await runTree(tree, files, round);
    const line = `round ${round} ${tree}: POST ${r.post.cpuMsEach.toFixed(3)} ms CPU (sys ${r.post.sysMsEach.toFixed(3)}; ${r.post.perS.toFixed(0)}/s), status 202 ${r.poll.cpuMsEach.toFixed(3)} ms CPU (sys ${r.poll.sysMsEach.toFixed(3)}; ${r.poll.perS.toFixed(0)}/s)` +
      (r.big ? `, big upload ${r.big.cpuMsEach.toFixed(0)} ms CPU, ${r.big.MBperS.toFixed(0)} MB/s` : '');
    process.stdout.write(`${line}  [load ${load()}]\n`);
    const b = best.get(tree) ?? { post: Infinity, poll: Infinity, big: Infinity, postPerS: 0 };
    best.set(tree, {
      post: Math.min(b.post, r.post.cpuMsEach),
      poll: Math.min(b.poll, r.poll.cpuMsEach),
      big: Math.min(b.big, r.big?.cpuMsEach ?? Infinity),
      postPerS: Math.max(b.postPerS, r.post.perS),
    });
  }
}
for (const [tree, b] of best) {
  process.stdout.write(`best ${tree}: POST ${b.post.toFixed(3)} ms CPU (${b.postPerS.toFixed(0)}/s), status 202 ${b.poll.toFixed(3)} ms CPU${Number.isFinite(b.big) ? `, big upload ${b.big.toFixed(0)} ms CPU` : ''}\n`);
}

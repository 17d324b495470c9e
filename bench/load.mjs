#!/usr/bin/env node
// Load test, loopback only, bounded in count and time: starts the built api and two workers on a
// fresh PostgreSQL schema (or SQLite) and a fresh Redis prefix, submits --jobs small files from
// --clients concurrent clients while --pollers read statuses, waits until every accepted job is
// finished, then checks the database: every 202 ended completed, none completed twice.
//
//   npm run load -- [--jobs 1000] [--clients 50] [--pollers 10] [--workers 2] [--db postgres|sqlite] [--timeout-s 300]
//
// Prints the figures; exits 1 if any job was lost, completed twice, or a 5xx other than 503 came back.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createTally, percentile, poller, submitter } from './load-clients.mjs';
import { readJobStats } from './load-db.mjs';
import { freePort, ROOT } from './services.mjs';

const { values: args } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '50' },
    pollers: { type: 'string', default: '10' },
    workers: { type: 'string', default: '2' },
    db: { type: 'string', default: 'postgres' },
    'timeout-s': { type: 'string', default: '300' },
  },
});
const TOTAL = Number(args.jobs);
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const deadline = Date.now() + Number(args['timeout-s']) * 1000;

const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'harmonizer-load-'));
const schema = args.db === 'postgres' ? `load_${runId}` : null;
const apiPort = await freePort();
const baseUrl = `http://127.0.0.1:${apiPort}`;
const env = {
  ...process.env,
  HOST: '127.0.0.1',
  PORT: String(apiPort),
  DATA_DIR: dataDir,
  QUEUE_PREFIX: `load-${runId}`,
  REDIS_URL,
  LOG_LEVEL: 'warn',
  WORKER_CONCURRENCY: '4',
  WORKER_THREADS: '1',
  ...(schema ? { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema } : { DATABASE_URL: '' }),
};

const children = [];
async function start(name, app, extra = {}) {
  const logFd = openSync(path.join(dataDir, `${name}.log`), 'w');
  const child = spawn(process.execPath, [path.join(ROOT, 'apps', app, 'dist', 'main.js')], {
    cwd: ROOT,
    env: { ...env, ...extra },
    stdio: ['ignore', logFd, logFd],
  });
  child.once('exit', () => closeSync(logFd));
  children.push(child);
  const url = extra.WORKER_METRICS_PORT ? `http://127.0.0.1:${extra.WORKER_METRICS_PORT}/metrics` : `${baseUrl}/health`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited; see ${path.join(dataDir, `${name}.log`)}`);
    if (await fetch(url).then((res) => res.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not start`);
}

async function cleanup() {
  await Promise.all(children.map(async (child) => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }));
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  if (schema) {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
  await fs.rm(dataDir, { recursive: true, force: true });
}

let exitCode = 1;
try {
  await start('api', 'api');
  for (let i = 1; i <= Number(args.workers); i++) await start(`worker${i}`, 'worker', { WORKER_METRICS_PORT: String(await freePort()) });

  const tally = createTally();
  let issued = 0;
  const next = () => (issued < TOTAL && Date.now() < deadline ? issued++ : null);
  let polling = true;
  const started = performance.now();
  const pollers = Array.from({ length: Number(args.pollers) }, () => poller(baseUrl, () => polling, tally));
  await Promise.all(Array.from({ length: Number(args.clients) }, () => submitter(baseUrl, next, tally)));
  const submitSeconds = (performance.now() - started) / 1000;

  let stats = await readJobStats({ schema, postgresUrl: POSTGRES_URL, dataDir });
  while (stats.active > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stats = await readJobStats({ schema, postgresUrl: POSTGRES_URL, dataDir });
  }
  const allSeconds = (performance.now() - started) / 1000;
  polling = false;
  await Promise.all(pollers);

  const completed = new Set(stats.completedIds);
  const lost = tally.accepted.filter((id) => !completed.has(id));
  const figures = {
    jobs_requested: TOTAL,
    jobs_accepted: tally.accepted.length,
    jobs_completed: completed.size,
    lost: lost.length,
    completed_twice: stats.completedTwice,
    retried_attempts: stats.retried,
    failures: tally.failures.length,
    submit_jobs_per_s: Number((tally.accepted.length / submitSeconds).toFixed(1)),
    end_to_end_jobs_per_s: Number((completed.size / allSeconds).toFixed(1)),
    submit_p50_ms: Number(percentile(tally.submitMs, 50).toFixed(1)),
    submit_p99_ms: Number(percentile(tally.submitMs, 99).toFixed(1)),
    poll_p50_ms: Number(percentile(tally.pollMs, 50).toFixed(1)),
    poll_p99_ms: Number(percentile(tally.pollMs, 99).toFixed(1)),
    answers: Object.fromEntries(tally.byStatus),
    clients: Number(args.clients),
    pollers: Number(args.pollers),
    workers: Number(args.workers),
    database: args.db,
  };
  console.log(JSON.stringify(figures, null, 2));
  for (const failure of tally.failures.slice(0, 10)) console.error(`failure: ${failure}`);
  const ok = lost.length === 0 && stats.completedTwice === 0 && tally.failures.length === 0 && tally.accepted.length === TOTAL;
  console.log(ok ? 'load test passed' : 'load test FAILED');
  exitCode = ok ? 0 : 1;
} catch (err) {
  console.error(err);
} finally {
  await cleanup().catch((err) => console.error('cleanup failed:', err.message));
}
process.exit(exitCode);

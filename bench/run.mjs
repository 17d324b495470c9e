#!/usr/bin/env node
// `npm run bench` (builds first): every benchmark of issue 6 on one generated file, each run in a
// process of its own, then ONE table with the ratios to the peers measured in this same run and
// the issue's targets next to them. Figures and the table are also saved under bench/out/.
//
//   node bench/run.mjs [--rows 1000000] [--seed 42] [--only duckdb,worker,naive,e2e,api]
//                      [--small-jobs 2000] [--duration 5] [--repeat 1]
// --repeat N runs the worker, DuckDB and naive benchmarks N times each and keeps the fastest.
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { runApiEndToEnd, runApiServiceBench } from './api.mjs';
import { OUT, ensureInput, referenceDate } from './bench-input.mjs';
import { runDuckdbPeer } from './duckdb-peer.mjs';
import { runNaivePipeline } from './naive-pipeline.mjs';
import { buildRows } from './run-rows.mjs';
import { renderTable } from './table.mjs';
import { runWorkerAlone } from './worker-alone.mjs';

const BENCHMARKS = ['duckdb', 'worker', 'naive', 'e2e', 'api'];

function parseArgs(argv) {
  const options = { rows: 1_000_000, seed: 42, only: BENCHMARKS, smallJobs: 2000, durationMs: 5_000, repeat: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--rows') options.rows = Number(argv[++i]);
    else if (arg === '--seed') options.seed = Number(argv[++i]);
    else if (arg === '--only') options.only = argv[++i].split(',');
    else if (arg === '--small-jobs') options.smallJobs = Number(argv[++i]);
    else if (arg === '--duration') options.durationMs = Number(argv[++i]) * 1000;
    else if (arg === '--repeat') options.repeat = Number(argv[++i]);
    else throw new Error(`unknown argument ${arg}; usage: run.mjs [--rows N] [--seed N] [--only ${BENCHMARKS.join(',')}] [--small-jobs N] [--duration s] [--repeat N]`);
  }
  if (!Number.isSafeInteger(options.rows) || options.rows < 1) throw new Error('--rows must be a positive integer');
  if (!Number.isSafeInteger(options.repeat) || options.repeat < 1) throw new Error('--repeat must be a positive integer');
  const unknown = options.only.filter((name) => !BENCHMARKS.includes(name));
  if (unknown.length > 0) throw new Error(`--only: unknown ${unknown.join(', ')}; one of ${BENCHMARKS.join(', ')}`);
  return options;
}

const options = parseArgs(process.argv.slice(2));
const say = (text) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
const loadBefore = loadavg();
say(`input: ${options.rows} rows (profile issue6, seed ${options.seed})`);
const input = await ensureInput({ rows: options.rows, seed: options.seed });

/** @type {Record<string, any>} */
const results = {};
/** @type {Record<string, string>} */
const failures = {};
const step = async (name, label, run) => {
  if (!options.only.includes(name)) return;
  say(label);
  try {
    await run();
  } catch (err) {
    failures[label] = err instanceof Error ? err.message.split('\n')[0] : String(err);
    say(`${label} failed: ${failures[label]}`);
  }
};

/** The fastest of `--repeat` runs: on a shared machine the slower ones measured the neighbours. */
const fastest = async (run) => {
  let best;
  for (let i = 0; i < options.repeat; i++) {
    const r = await run();
    if (!best || r.wallMs < best.wallMs) best = r;
  }
  return best;
};
// Each worker run right after the peer run it is compared with, so both see the same machine.
for (const threads of [1, 2]) {
  await step('duckdb', `DuckDB peer, ${threads} thread(s)`, async () => {
    (results.duckdb ??= {})[threads] = await fastest(() => runDuckdbPeer({ input: input.path, threads }));
  });
  await step('worker', `worker alone, ${threads} thread(s)`, async () => {
    (results.worker ??= {})[threads] = await fastest(() => runWorkerAlone({ input: input.path, threads }));
  });
}
// Like with like, for reading the ratio: the peer writes no FHIR; this run writes what it writes.
await step('worker', 'worker alone, 2 threads, the peer\'s outputs (CSV, NDJSON)', async () => {
  results.workerPeerOutputs = await fastest(() => runWorkerAlone({ input: input.path, threads: 2, outputs: ['csv', 'ndjson'] }));
});
await step('naive', 'straightforward Node pipeline', async () => {
  results.naive = await fastest(() => runNaivePipeline({ input: input.path }));
});
await step('e2e', 'end to end through the api', async () => {
  results.e2e = await runApiEndToEnd({ inputFile: input });
});
await step('api', `api: ${options.smallJobs} small jobs, then /status and hello-world load`, async () => {
  results.api = await runApiServiceBench({ smallJobCount: options.smallJobs, durationMs: options.durationMs, uploadFile: input.path });
});

const { DuckDBInstance } = await import('@duckdb/node-api').catch(() => ({ DuckDBInstance: undefined }));
const duckdbVersion = DuckDBInstance ? await duckdbVersionOf(DuckDBInstance) : 'n/a';
const rows = buildRows({ input, results, failures });
const agree = countsAgree(results);
const lines = [
  `issue 6 benchmark, ${new Date().toISOString()}`,
  `input: ${input.rows.toLocaleString('en-US')} rows, ${(input.bytes / 1e6).toFixed(1)} MB (generate-patients.mjs --profile issue6 --seed ${input.seed}), ` +
    `reference date ${referenceDate()}; kinds ${JSON.stringify(input.kinds)}`,
  `machine: ${availableParallelism()} cores, Node ${process.version}, DuckDB ${duckdbVersion}, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ` +
    `${loadavg().map((l) => l.toFixed(2)).join(' ')} after (other work on the machine skews every figure)`,
  '',
  renderTable(rows),
  '',
  'MB = 10^6 bytes. wall: the work only (the worker: one job on a warm pool; DuckDB: instance to report). peak RSS: VmHWM of the process doing the work',
  '(threads and native memory included; each run in its own process). cores busy: CPU time of that process / wall. The status, upload-with-auth and small-job rows run the api with AUTH_MODE=required (HS256 JWT or api key); submission and poll limits are off for the small jobs.',
  `outputs (rows out / rejected / duplicates): ${agree.text}`,
  ...Object.entries(failures).map(([label, message]) => `FAILED ${label}: ${message}`),
];
const text = `${lines.join('\n')}\n`;
process.stdout.write(`\n${text}`);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(path.join(OUT, `results-${stamp}.json`), `${JSON.stringify({ input, results, failures }, null, 2)}\n`);
writeFileSync(path.join(OUT, `table-${stamp}.txt`), text);
process.exitCode = Object.keys(failures).length > 0 ? 1 : 0;

async function duckdbVersionOf(DuckDB) {
  const instance = await DuckDB.create(':memory:');
  const connection = await instance.connect();
  const [[version]] = (await connection.runAndReadAll('SELECT version()')).getRows();
  connection.closeSync();
  instance.closeSync();
  return version;
}

/** The implementations must have done the same work: the same rows kept, rejected and dropped. */
function countsAgree(r) {
  const all = [
    ['worker', r.worker?.[2]?.counts ?? r.worker?.[1]?.counts],
    ['worker (peer outputs)', r.workerPeerOutputs?.counts],
    ['e2e', r.e2e?.counts],
    ['duckdb', r.duckdb?.[2]?.counts ?? r.duckdb?.[1]?.counts],
    ['naive', r.naive?.counts],
  ].filter(([, c]) => c);
  const key = (c) => `${c.rows_out}/${c.rows_rejected}/${c.duplicates}`;
  const same = new Set(all.map(([, c]) => key(c))).size <= 1;
  return { same, text: `${all.map(([name, c]) => `${name} ${key(c)}`).join(', ')}${all.length > 1 ? (same ? ' (agree)' : ' (DIFFER: not the same work)') : ''}` };
}

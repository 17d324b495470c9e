#!/usr/bin/env node
// Where the worker's time goes: the worker-alone benchmark under `node --cpu-prof`, twice:
//   1. processChunk on the main thread (--threads 0): the whole job in one profile;
//   2. 2 threads: the main thread's profile (decode, cut, merge, dedup, write) and each pool
//      thread's profile (processChunk), from a pool with pool.ts's settings plus --cpu-prof.
// Profiles are kept in bench/out/profiles-<time>/ (open them in Chrome DevTools or speedscope);
// summaries (bench/profile-summary.mjs) are printed.
//
//   node bench/profile.mjs [--rows 1000000] [--top 15]
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { OUT, ensureInput } from './bench-input.mjs';
import { formatSummary, summarizeProfile } from './profile-summary.mjs';
import { runWorkerAlone } from './worker-alone.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const top = option('--top', 15);
const input = await ensureInput({ rows: option('--rows', 1_000_000) });
const root = path.join(OUT, `profiles-${new Date().toISOString().replace(/[:.]/g, '-')}`);

/** Runs the worker alone with profiling; returns its figures and the profiles it wrote. */
async function profiled(name, threads) {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  const result = await runWorkerAlone({
    input: input.path,
    threads,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
    env: threads > 0 ? { ...process.env, BENCH_THREAD_PROFILE_DIR: dir } : process.env,
  });
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  return { result, dir, files };
}

const rate = (r) => `${Math.round(r.counts.rows_in / (r.wallMs / 1000)).toLocaleString('en-US')} rows/s, ${(r.wallMs / 1000).toFixed(1)} s`;

process.stdout.write(`profiling the worker alone on ${input.rows.toLocaleString('en-US')} rows (${(input.bytes / 1e6).toFixed(1)} MB)\n\n`);
const inline = await profiled('inline', 0);
process.stdout.write(`== processChunk on the main thread (${rate(inline.result)}, with the profiler on)\n`);
for (const file of inline.files) process.stdout.write(formatSummary(summarizeProfile(JSON.parse(readFileSync(path.join(inline.dir, file), 'utf8')), top), file));

const pooled = await profiled('threads-2', 2);
process.stdout.write(`\n== 2 threads (${rate(pooled.result)}, with the profiler on)\n`);
// File names are CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
for (const file of pooled.files) {
  const thread = Number(file.split('.')[4]);
  const title = thread === 0 ? `main thread (${file})` : `pool thread ${thread} (${file})`;
  process.stdout.write(`\n${formatSummary(summarizeProfile(JSON.parse(readFileSync(path.join(pooled.dir, file), 'utf8')), top), title)}`);
}
process.stdout.write(`\nprofiles kept in ${path.relative(process.cwd(), root)}\n`);

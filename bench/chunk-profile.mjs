#!/usr/bin/env node
// One pool thread's work (chunkTask over the benchmark file's chunks) on the main thread, under
// the V8 profiler, summarized: a quick look at where a thread's time goes without the pipeline.
//
//   node --max-semi-space-size=3 bench/chunk-profile.mjs [--rows 100000] [--top 30] [--chunk-bytes 131072]
import { Session } from 'node:inspector/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureInput } from './bench-input.mjs';
import { formatSummary, summarizeProfile } from './profile-summary.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const rows = option('--rows', 100_000);
const input = await ensureInput({ rows });
const text = readFileSync(input.path, 'utf8');
const dist = (file) => pathToFileURL(path.join(ROOT, 'apps/worker/dist', file)).href;
const chunkTask = (await import(dist('chunk-task.js'))).default;
const { planCsvInput } = await import(dist('input-plan.js'));
const { createChunkCutter, MAX_CHUNK_BYTES } = await import(dist('chunk-cutter.js'));

const { dialect, plan } = planCsvInput({ dataset: null, options: {}, fileName: 'patients.csv' }, text.slice(0, 256 * 1024), false);
const cutter = createChunkCutter(dialect.delimiter, 5000, option('--chunk-bytes', MAX_CHUNK_BYTES));
const chunks = [...cutter.push(Buffer.from(text.slice(dialect.dataOffset))), cutter.flush()].filter(Boolean);
const tasks = chunks.map((c) => ({
  dataset: plan.dataset, delimiter: dialect.delimiter, mapping: plan.mapping, bytes: c.bytes, firstRow: c.firstRow,
  options: plan.options, hints: plan.hints, referenceDate: '2026-11-22', jobId: '00000000-0000-4000-8000-000000000000', pack: true,
}));
// Warm up on a tenth, then profile one pass.
for (const t of tasks.slice(0, Math.ceil(tasks.length / 10))) chunkTask(t);
const session = new Session();
session.connect();
if (args.includes('--alloc')) {
  // Where the garbage comes from: sampled allocations by function, collected objects included.
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (const t of tasks) chunkTask(t);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  const bySite = new Map();
  const walk = (node) => {
    const f = node.callFrame;
    const site = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(packages|apps|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const total = [...bySite.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`allocated ~${(total / 1e6).toFixed(0)} MB, ${(total / rows).toFixed(0)} bytes/row; top sites:\n`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, option('--top', 30))) {
    process.stdout.write(`  ${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${(bytes / rows).toFixed(0).padStart(6)} B/row  ${site}\n`);
  }
  process.exit(0);
}
await session.post('Profiler.enable');
await session.post('Profiler.start');
const start = process.hrtime.bigint();
for (const t of tasks) chunkTask(t);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const { profile } = await session.post('Profiler.stop');
process.stdout.write(`${rows.toLocaleString('en-US')} rows: ${ms.toFixed(0)} ms, ${((ms * 1000) / rows).toFixed(1)} µs/row (profiler on)\n`);
process.stdout.write(formatSummary(summarizeProfile(profile, option('--top', 30)), 'chunkTask'));

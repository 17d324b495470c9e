#!/usr/bin/env node
// The report's per-value profiling (profileRecord, then the per-chunk merge and the summary):
// the reference implementation (report/profile-reference.ts, the code before issue 6) against
// the engine's, on the standardized records of a generated patients file, interleaved in one
// process (A, B, A, B, ...), best of --runs. Checks that both give the same report profile.
//
//   npx tsc -b packages/core && node bench/profile-values.mjs [--rows 200000] [--runs 5] [--chunk 1000]
import { getDataset, matchHeaders, processChunk, sniffCsv } from '../packages/core/dist/index.js';
import { profilePlan, profileRecord, mergeProfiles } from '../packages/core/dist/report/field-profile.js';
import { summarizeProfile } from '../packages/core/dist/report/profile-summary.js';
import { refMergeProfiles, refProfileRecord, refSummarizeProfile } from '../packages/core/dist/report/profile-reference.js';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { patientsCsv } from './generate-patients.mjs';

// A full collection before each timed pass, so that no pass pays for the garbage of another.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const rows = option('--rows', 200_000);
const runs = option('--runs', 5);
const chunkRows = option('--chunk', 1_000);
const SEP = '\u0001';

/** Standardized records of the generated file, as processChunk profiles them, one joined line per record. */
function standardizedLines() {
  const text = [...patientsCsv({ seed: 42, rows, profile: 'patients' })].join('');
  const dialect = sniffCsv(text.slice(0, 64 * 1024), false);
  const mapping = matchHeaders(dialect.header, 'patients');
  const lines = text.slice(dialect.dataOffset).split('\r\n').filter((l) => l !== '');
  const names = getDataset('patients').fields.map((f) => f.name);
  const chunks = [];
  for (let i = 0; i < lines.length; i += chunkRows) {
    const task = { dataset: 'patients', delimiter: dialect.delimiter, mapping, text: `${lines.slice(i, i + chunkRows).join('\r\n')}\r\n`, firstRow: i + 1, options: {}, referenceDate: '2025-06-15' };
    // Each accepted record's JSON line holds its standardized values, as profileRecord sees them.
    const objects = processChunk(task).accepted.map((a) => JSON.parse(a.json));
    chunks.push(objects.map((o) => names.map((n) => o[n] ?? '').join(SEP)));
  }
  return { names, chunks };
}

/**
 * Records made afresh before each timed pass: in the worker every value is a new string, whose
 * hash V8 has not cached yet (reusing one set of strings would flatter Map lookups).
 */
function freshRecords({ names, chunks }) {
  return chunks.map((lines) =>
    lines.map((line) => {
      const values = line.split(SEP);
      const record = {};
      for (let i = 0; i < names.length; i++) record[names[i]] = values[i] === '' ? null : values[i];
      return record;
    }),
  );
}

function profileAll(chunks, plan, record, merge) {
  let total;
  for (const records of chunks) {
    const stats = {};
    for (const r of records) record(stats, plan, r);
    total = merge(total, stats.profile);
  }
  return total;
}

const plan = profilePlan(getDataset('patients'));
const impls = {
  old: { record: refProfileRecord, merge: refMergeProfiles, summary: refSummarizeProfile },
  new: { record: profileRecord, merge: mergeProfiles, summary: summarizeProfile },
};
const data = standardizedLines();
const records = data.chunks.reduce((n, c) => n + c.length, 0);
const filled = plan.map((f) => f.name).filter((n, i) => data.chunks.some((c) => c.some((l) => l.split(SEP)[i] !== '')));
process.stdout.write(`${records.toLocaleString('en-US')} standardized patients records, ${filled.length} filled fields, chunks of ${chunkRows}\n`);

const best = { old: Infinity, new: Infinity };
const reports = {};
for (let run = 0; run < runs; run++) {
  for (const name of run % 2 === 0 ? ['old', 'new'] : ['new', 'old']) {
    const { record, merge, summary } = impls[name];
    const chunks = freshRecords(data);
    gc();
    // CPU time, not wall time: other processes share the machine's two cores.
    const start = process.cpuUsage();
    const total = profileAll(chunks, plan, record, merge);
    const used = process.cpuUsage(start);
    const ns = (used.user + used.system) * 1000;
    best[name] = Math.min(best[name], ns);
    reports[name] = JSON.stringify(plan.map((f) => summary(f, total?.[f.name], records)));
  }
}
if (reports.old !== reports.new) throw new Error('old and new profiling disagree');

/**
 * Bytes each implementation allocates per record (garbage the pool thread's GC then collects):
 * heap growth over one chunk with no collection in between (one seen voids it).
 */
async function allocatedPerRecord({ record }) {
  const records = freshRecords({ names: data.names, chunks: data.chunks.slice(0, 1) })[0];
  const collections = [];
  const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  gc();
  const start = performance.now();
  const before = process.memoryUsage().heapUsed;
  const stats = {};
  for (const r of records) record(stats, plan, r);
  const bytes = process.memoryUsage().heapUsed - before;
  await new Promise((resolve) => setImmediate(resolve));
  observer.disconnect();
  return collections.some((entry) => entry.startTime >= start) ? NaN : bytes / records.length;
}
const allocated = { old: NaN, new: NaN };
for (let i = 0; i < 3; i++) {
  for (const name of ['old', 'new']) {
    const bytes = await allocatedPerRecord(impls[name]);
    if (!Number.isNaN(bytes)) allocated[name] = Number.isNaN(allocated[name]) ? bytes : Math.min(allocated[name], bytes);
  }
}
const perRecord = (ns) => (ns / records).toFixed(0).padStart(5);
const bytes = (name) => (Number.isNaN(allocated[name]) ? 'n/a (a GC ran)' : `${allocated[name].toFixed(0)} B/record allocated`);
process.stdout.write(
  `old: ${perRecord(best.old)} ns/record, ${bytes('old')}\nnew: ${perRecord(best.new)} ns/record, ${bytes('new')}\n` +
    `speedup: ${(best.old / best.new).toFixed(2)}x (CPU time, best of ${runs}, same report)\n`,
);

#!/usr/bin/env node
// Per-record output serialization, old vs new, in the same run: the harmonized CSV line and the
// patient FHIR resources (map + JSON.stringify), on the accepted records of the benchmark input.
// "old" is the verbatim copy kept for the equivalence tests (csv-line.reference.ts,
// fhir-output.reference.ts), "new" the engine's code. Both from packages/core/dist: build first.
//
//   npx tsc -b packages/core && node bench/writers-compare.mjs [--rows 100000] [--rounds 5]
//
// Timing runs in a worker thread with the pool's young-generation limit (apps/worker pool.ts:
// 8 MB), so allocation costs GC as it does in the real threads. Rounds interleave old and new
// block by block (A,B,B,A...), the best round of each block is kept; outputs are checked identical
// before timing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ensureInput } from './bench-input.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORE = path.join(ROOT, 'packages', 'core', 'dist');
/** Records per timed block. */
const BLOCK = 2000;
const core = (file) => import(pathToFileURL(path.join(CORE, file)).href);

function parseArgs(argv) {
  const options = { rows: 100_000, rounds: 5, seed: 42 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rows') options.rows = Number(argv[++i]);
    else if (argv[i] === '--rounds') options.rounds = Number(argv[++i]);
    else if (argv[i] === '--seed') options.seed = Number(argv[++i]);
  }
  return options;
}

/**
 * The accepted records of the input, each as processChunk holds it: the canonical record (every
 * field set, null when empty, as harmonizeRow builds it), the extras (null when none), the row,
 * and the object of its JSON line (recordObject), which the FHIR mapping takes.
 */
async function loadRecords(file) {
  const { harmonizeText, getDataset } = await core('index.js');
  const { recordObject } = await core('writers/record-json.js');
  const { chunk } = harmonizeText(readFileSync(file, 'utf8'), { dataset: 'patients' });
  const fieldNames = getDataset('patients').fields.map((f) => f.name);
  const records = chunk.accepted.map(({ json, row }) => {
    const parsed = JSON.parse(json);
    const record = {};
    for (const name of fieldNames) record[name] = null;
    for (const name of fieldNames) record[name] = parsed[name] ?? null;
    let extras = null;
    for (const [key, value] of Object.entries(parsed.extras ?? {})) (extras ??= {})[key] = value;
    return { record, extras, row, object: recordObject(fieldNames, record, extras, row) };
  });
  return { fieldNames, records };
}

/** The two implementations of each case, as functions of one record returning what is written. */
async function cases(fieldNames) {
  const csvNew = await core('writers/csv-line.js');
  const { referenceCsvLine } = await core('writers/csv-line.reference.js');
  const { toFhirResources } = await core('fhir-output/to-fhir-resource.js');
  const ref = await core('fhir-output/fhir-output.reference.js');
  const jobId = '0b5e0c36-1111-4222-8333-444455556666';
  // As chunk-task.ts: [resourceType, json, resourceType, json, ...].
  const stringifyAll = (resources) => {
    const fhir = [];
    for (const resource of resources) fhir.push(resource.resourceType, JSON.stringify(resource));
    return fhir;
  };
  // process-chunk.ts before: map + spread into one array, the extras stringified, then csvLine.
  const cells = ({ record, extras, row }) => [...fieldNames.map((name) => record[name] ?? null), extras ? JSON.stringify(extras) : null, String(row)];
  const csvOld = (r) => referenceCsvLine(cells(r));
  const out = {
    'csv line (csvLine, same call)': { old: csvOld, new: (r) => csvNew.csvLine(cells(r)) },
  };
  if (typeof csvNew.csvRecordLine === 'function') {
    out['csv line (csvRecordLine)'] = { old: csvOld, new: (r) => csvNew.csvRecordLine(fieldNames, r.record, r.extras, r.row) };
  }
  out['patient FHIR (map + stringify)'] = {
    old: ({ object, row }) => stringifyAll(ref.referenceToFhirResources(ref.patientResource, 'patients', object, { jobId, row })),
    new: ({ object, row }) => stringifyAll(toFhirResources('patients', object, { jobId, row })),
  };
  return out;
}

/** Where each output is written, as packed-records.ts writes lines (which flattens a concatenated string). */
const SINK = Buffer.allocUnsafeSlow(1 << 20);

/** Writes one output (a line, or chunk-task's [type, json, ...] array) to SINK; bytes written. */
function write(out) {
  if (typeof out === 'string') return SINK.write(out, 0, 'utf8');
  let bytes = 0;
  for (const line of out) bytes += SINK.write(line, 0, 'utf8');
  return bytes;
}

/** The same output of old and new, compared as text. */
const same = (a, b) => (typeof a === 'string' ? a === b : a.length === b.length && a.every((x, i) => x === b[i]));

/**
 * CPU ns spent by `fn` on records [from, to), its outputs written as they are for real (a
 * checksum keeps the work from being optimized away).
 * CPU time, not wall time: other processes share the 2 cores. The process's, so GC helper threads
 * count too; the main thread only waits meanwhile.
 */
function timeBlock(fn, records, from, to) {
  let sink = 0;
  const start = process.cpuUsage();
  for (let i = from; i < to; i++) sink += write(fn(records[i]));
  const used = process.cpuUsage(start);
  const ns = (used.user + used.system) * 1000;
  if (sink === 0) throw new Error('nothing written');
  return ns;
}

/**
 * Best-of-`rounds` ns/record of old and new. The machine is shared, so the records are timed in
 * blocks, old and new back to back on each block (order alternating), and each block keeps its
 * fastest time per implementation: a burst of load elsewhere spoils one block of one round only.
 */
function compare(impl, records, rounds) {
  const blocks = [];
  for (let from = 0; from < records.length; from += BLOCK) blocks.push([from, Math.min(from + BLOCK, records.length)]);
  const best = { old: blocks.map(() => Infinity), new: blocks.map(() => Infinity) };
  for (let round = 0; round < rounds; round++) {
    blocks.forEach(([from, to], b) => {
      for (const which of (round + b) % 2 === 0 ? ['old', 'new'] : ['new', 'old']) {
        best[which][b] = Math.min(best[which][b], timeBlock(impl[which], records, from, to));
      }
    });
  }
  const sum = (xs) => xs.reduce((a, x) => a + x, 0);
  return { old: sum(best.old) / records.length, new: sum(best.new) / records.length };
}

async function measure({ file, rounds }) {
  const { fieldNames, records } = await loadRecords(file);
  const results = [];
  for (const [name, impl] of Object.entries(await cases(fieldNames))) {
    for (const r of records) {
      if (!same(impl.old(r), impl.new(r))) throw new Error(`${name}: outputs differ at row ${r.row}`);
    }
    const best = compare(impl, records, rounds);
    results.push({ name, records: records.length, old: best.old, new: best.new });
  }
  return results;
}

if (isMainThread) {
  const options = parseArgs(process.argv.slice(2));
  const input = await ensureInput({ rows: options.rows, seed: options.seed });
  const worker = new Worker(fileURLToPath(import.meta.url), {
    workerData: { file: input.path, rounds: options.rounds },
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  const results = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  console.log(`input ${path.basename(input.path)}, best of ${options.rounds} interleaved rounds, ns/record`);
  for (const r of results) {
    const speedup = r.old / r.new;
    console.log(`${r.name.padEnd(38)} old ${r.old.toFixed(0).padStart(6)}  new ${r.new.toFixed(0).padStart(6)}  x${speedup.toFixed(2)}  (${r.records} records, identical)`);
  }
} else {
  parentPort.postMessage(await measure(workerData));
}

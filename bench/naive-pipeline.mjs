#!/usr/bin/env node
// The "straightforward Node pipeline" baseline of issue 6, one thread: csv-parse's stream API ->
// standardize and validate each row (bench/naive-rules.mjs, the DuckDB peer's rules in plain JS)
// -> dedup with a Set of SHA-1 hashes (exact copies) and a Set of MRNs -> CSV and NDJSON lines
// written by hand (csv-stringify is not installed) with the writers' backpressure respected.
//
//   node bench/naive-pipeline.mjs [--rows 1000000] [--seed 42] [--keep]
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { OUT, ensureInput, referenceDate } from './bench-input.mjs';
import { reportResult, runChild, startMeasure, throughput } from './measure.mjs';
import { columnIndex, harmonizeRow } from './naive-rules.mjs';
import { OUTPUT_FIELDS } from './peer-vocab.mjs';

const SELF = fileURLToPath(import.meta.url);

/** @param {{ input: string, keep?: boolean }} options */
export function runNaivePipeline({ input, keep = false }) {
  return runChild(SELF, ['--child', '--input', input, ...(keep ? ['--keep'] : [])]);
}

const cell = (v) => (v === null || v === undefined ? '' : /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** A file written line by line, waiting for 'drain' when the stream's buffer is full. */
function createLineWriter(file) {
  const stream = createWriteStream(file);
  return {
    async write(line) {
      if (!stream.write(line)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

async function child({ input, keep }) {
  mkdirSync(OUT, { recursive: true });
  const outDir = mkdtempSync(path.join(OUT, 'naive-'));
  const measure = startMeasure();
  const ref = referenceDate();
  const csv = createLineWriter(path.join(outDir, 'harmonized.csv'));
  const ndjson = createLineWriter(path.join(outDir, 'harmonized.ndjson'));
  const rejects = createLineWriter(path.join(outDir, 'rejects.ndjson'));
  await csv.write(`${[...OUTPUT_FIELDS, 'extras', 'source_row'].join(',')}\n`);
  const exact = new Set();
  const mrns = new Set();
  const counts = { rows_in: 0, rows_out: 0, rows_rejected: 0, duplicates: 0 };
  /** @type {Record<string, number>} */
  const rules = {};
  let index;
  const parser = createReadStream(input).pipe(parse({ bom: true, relax_column_count: true, relax_quotes: true }));
  for await (const cells of parser) {
    if (index === undefined) {
      index = columnIndex(cells);
      continue;
    }
    const row = ++counts.rows_in;
    const { record, extras, errors, warnings } = harmonizeRow(cells, index, ref);
    for (const rule of [...errors, ...warnings]) rules[rule] = (rules[rule] ?? 0) + 1;
    if (errors.length > 0) {
      counts.rows_rejected++;
      await rejects.write(`${JSON.stringify({ row, rule: errors[0], severity: 'error', errors, warnings })}\n`);
      continue;
    }
    const values = OUTPUT_FIELDS.map((f) => record[f] ?? null);
    const hash = createHash('sha1').update(JSON.stringify([values, extras])).digest('base64');
    if (exact.has(hash) || (record.patient_id !== null && mrns.has(record.patient_id))) {
      counts.duplicates++;
      continue;
    }
    exact.add(hash);
    if (record.patient_id !== null) mrns.add(record.patient_id);
    counts.rows_out++;
    const extrasJson = extras ? JSON.stringify(extras) : null;
    await csv.write(`${[...values, extrasJson, String(row)].map(cell).join(',')}\n`);
    await ndjson.write(`${JSON.stringify({ ...Object.fromEntries(OUTPUT_FIELDS.map((f, i) => [f, values[i]])), ...(extras ? { extras } : {}), _row: row })}\n`);
  }
  await Promise.all([csv.close(), ndjson.close(), rejects.close()]);
  writeFileSync(path.join(outDir, 'report.json'), `${JSON.stringify({ ...counts, rules }, null, 2)}\n`);
  const { wallMs, cpuMs } = measure.stop();
  const outputBytes = readdirSync(outDir).reduce((sum, f) => sum + statSync(path.join(outDir, f)).size, 0);
  if (!keep) rmSync(outDir, { recursive: true, force: true });
  reportResult({ what: 'naive', threads: 1, wallMs, cpuMs, counts, outputBytes, outDir });
}

function parseArgs(argv) {
  const options = { rows: 1_000_000, seed: 42, input: undefined, child: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--rows') options.rows = Number(argv[++i]);
    else if (arg === '--seed') options.seed = Number(argv[++i]);
    else if (arg === '--input') options.input = argv[++i];
    else if (arg === '--child') options.child = true;
    else if (arg === '--keep') options.keep = true;
    else throw new Error(`unknown argument ${arg}; usage: naive-pipeline.mjs [--rows N] [--seed N] [--keep]`);
  }
  return options;
}

if (process.argv[1] && SELF === path.resolve(process.argv[1])) {
  const options = parseArgs(process.argv.slice(2));
  if (options.child) {
    await child(options);
  } else {
    const input = await ensureInput({ rows: options.rows, seed: options.seed });
    const r = await runNaivePipeline({ input: input.path, keep: options.keep });
    const { rowsPerS, mbPerS } = throughput({ rows: r.counts.rows_in, bytes: input.bytes, wallMs: r.wallMs });
    process.stdout.write(
      `naive pipeline, 1 thread: ${Math.round(rowsPerS)} rows/s, ${mbPerS.toFixed(1)} MB/s, ${(r.wallMs / 1000).toFixed(2)} s, ` +
        `${(r.cpuMs / r.wallMs).toFixed(2)} cores busy, peak RSS ${(r.peakRss / 1e6).toFixed(0)} MB, counts ${JSON.stringify(r.counts)}` +
        `${options.keep ? `, outputs in ${r.outDir}` : ''}\n`,
    );
  }
}

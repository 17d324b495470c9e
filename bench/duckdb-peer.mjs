#!/usr/bin/env node
// The peer: DuckDB (@duckdb/node-api) doing the product's patients harmonization in SQL on the
// same file (bench/duckdb-sql.mjs has the SQL), with a given number of threads. Each run is a
// child process of its own, so its peak RSS (DuckDB's native memory included) is its own.
//
//   node bench/duckdb-peer.mjs [--rows 1000000] [--threads 1,2] [--seed 42] [--keep]
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUT, ensureInput, referenceDate } from './bench-input.mjs';
import { duckdbReportQueries, duckdbStatements } from './duckdb-sql.mjs';
import { reportResult, runChild, startMeasure, throughput } from './measure.mjs';

const SELF = fileURLToPath(import.meta.url);

/**
 * Runs the DuckDB peer on `input` in a child process and resolves with its figures.
 * @param {{ input: string, threads: number, keep?: boolean }} options
 */
export function runDuckdbPeer({ input, threads, keep = false }) {
  return runChild(SELF, ['--child', '--input', input, '--threads', String(threads), ...(keep ? ['--keep'] : [])]);
}

const plain = (value) => (typeof value === 'bigint' ? Number(value) : value);

async function child({ input, threads, keep }) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  mkdirSync(OUT, { recursive: true });
  const outDir = mkdtempSync(path.join(OUT, `duckdb-${threads}t-`));
  const measure = startMeasure();
  // In memory, as the worker keeps its state in memory; DuckDB's default memory limit applies.
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  /** @type {Record<string, number>} */
  const steps = {};
  try {
    for (const { step, sql } of duckdbStatements({ input, outDir, referenceDate: referenceDate(), threads })) {
      const t0 = performance.now();
      for (const statement of sql) await connection.run(statement);
      steps[step] = performance.now() - t0;
    }
    const t0 = performance.now();
    const queries = duckdbReportQueries();
    const [counts] = (await connection.runAndReadAll(queries.counts)).getRowObjects();
    const rules = (await connection.runAndReadAll(queries.rules)).getRowObjects();
    const c = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, plain(v)]));
    const accepted = c.rows_in - c.rows_rejected;
    const report = {
      rows_in: c.rows_in,
      rows_out: c.rows_out,
      rows_rejected: c.rows_rejected,
      duplicates: accepted - c.rows_out,
      completeness: Object.fromEntries(
        Object.entries(c).filter(([k]) => k.startsWith('filled_')).map(([k, v]) => [k.slice(7), accepted > 0 ? v / accepted : 0]),
      ),
      rules: rules.map((r) => ({ rule: r.rule, count: plain(r.n) })),
    };
    writeFileSync(path.join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    steps.report = performance.now() - t0;
    const { wallMs, cpuMs } = measure.stop();
    const outputBytes = readdirSync(outDir).reduce((sum, f) => sum + statSync(path.join(outDir, f)).size, 0);
    const { rows_in, rows_out, rows_rejected, duplicates } = report;
    reportResult({ what: 'duckdb', threads, wallMs, cpuMs, steps, counts: { rows_in, rows_out, rows_rejected, duplicates }, outputBytes, outDir });
  } finally {
    connection.closeSync();
    instance.closeSync();
    if (!keep) rmSync(outDir, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const options = { rows: 1_000_000, seed: 42, threads: [1, 2], input: undefined, child: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--rows') options.rows = Number(argv[++i]);
    else if (arg === '--seed') options.seed = Number(argv[++i]);
    else if (arg === '--threads') options.threads = argv[++i].split(',').map(Number);
    else if (arg === '--input') options.input = argv[++i];
    else if (arg === '--child') options.child = true;
    else if (arg === '--keep') options.keep = true;
    else throw new Error(`unknown argument ${arg}; usage: duckdb-peer.mjs [--rows N] [--seed N] [--threads 1,2] [--keep]`);
  }
  return options;
}

if (process.argv[1] && SELF === path.resolve(process.argv[1])) {
  const options = parseArgs(process.argv.slice(2));
  if (options.child) {
    await child({ input: options.input, threads: options.threads[0], keep: options.keep });
  } else {
    const input = await ensureInput({ rows: options.rows, seed: options.seed });
    for (const threads of options.threads) {
      const r = await runDuckdbPeer({ input: input.path, threads, keep: options.keep });
      const { rowsPerS, mbPerS } = throughput({ rows: r.counts.rows_in, bytes: input.bytes, wallMs: r.wallMs });
      const steps = Object.entries(r.steps).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ');
      process.stdout.write(
        `duckdb, ${threads} thread(s): ${Math.round(rowsPerS)} rows/s, ${mbPerS.toFixed(1)} MB/s, ${(r.wallMs / 1000).toFixed(2)} s ` +
          `(${steps}), ${(r.cpuMs / r.wallMs).toFixed(2)} cores busy, peak RSS ${(r.peakRss / 1e6).toFixed(0)} MB, counts ${JSON.stringify(r.counts)}` +
          `${options.keep ? `, outputs in ${r.outDir}` : ''}\n`,
      );
    }
  }
}

#!/usr/bin/env node
// One pool thread's work, before and after: the thread entry (chunkTask: parse, standardize,
// validate, keys, CSV/NDJSON/FHIR lines, packing) of a saved build (--base, a copy of
// apps/worker/dist + packages/core/dist made with `node bench/chunk-compare.mjs --save-base`)
// against the current build, on the same chunks, interleaved, fastest of --repeat runs each.
// Also checks that both give the same packed bytes, rejects and stats.
//
//   node bench/chunk-compare.mjs --save-base [--from <built checkout>]  # snapshot a build as the base
//   node bench/chunk-compare.mjs [--rows 100000] [--repeat 5]
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OUT, ensureInput } from './bench-input.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BASE = path.join(OUT, 'base');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);

if (args.includes('--save-base')) {
  // --from <checkout>: a built checkout of the commit to compare against (default: this one).
  const from = args.includes('--from') ? path.resolve(args[args.indexOf('--from') + 1]) : ROOT;
  rmSync(BASE, { recursive: true, force: true });
  cpSync(path.join(from, 'packages/core/dist'), path.join(BASE, 'core-dist'), { recursive: true });
  cpSync(path.join(from, 'apps/worker/dist'), path.join(BASE, 'worker-dist'), { recursive: true });
  // The saved worker code must load the saved core, not the workspace's.
  for (const file of readdirSync(path.join(BASE, 'worker-dist')).filter((f) => f.endsWith('.js'))) {
    const full = path.join(BASE, 'worker-dist', file);
    writeFileSync(full, readFileSync(full, 'utf8').replaceAll("'@harmonizer/core'", "'../core-dist/index.js'"));
  }
  process.stdout.write(`saved the current build as the base in ${path.relative(process.cwd(), BASE)}\n`);
  process.exit(0);
}
if (!existsSync(path.join(BASE, 'worker-dist/chunk-task.js'))) {
  process.stderr.write('no base: run with --save-base on the build to compare against first\n');
  process.exit(2);
}

const rows = option('--rows', 100_000);
const repeat = option('--repeat', 5);
const input = await ensureInput({ rows });
const text = readFileSync(input.path, 'utf8');

const load = async (dir) => ({
  chunkTask: (await import(pathToFileURL(path.join(dir, 'chunk-task.js')).href)).default,
  plan: await import(pathToFileURL(path.join(dir, 'input-plan.js')).href),
  cutter: await import(pathToFileURL(path.join(dir, 'chunk-cutter.js')).href),
});
const base = await load(path.join(BASE, 'worker-dist'));
const current = await load(path.join(ROOT, 'apps/worker/dist'));

// Tasks as the pipeline makes them (the current build's planning and cutting for both).
const job = { dataset: null, options: {}, fileName: 'patients.csv' };
const { dialect, plan } = current.plan.planCsvInput(job, text.slice(0, 256 * 1024), false);
const cutter = current.cutter.createChunkCutter(dialect.delimiter, 5000, current.cutter.MAX_CHUNK_BYTES);
const chunks = [...cutter.push(Buffer.from(text.slice(dialect.dataOffset))), cutter.flush()].filter(Boolean);
const referenceDate = '2026-11-22';
const tasks = chunks.map((c) => ({
  dataset: plan.dataset,
  delimiter: dialect.delimiter,
  mapping: plan.mapping,
  // As text, which every build's chunkTask takes (a build before the byte chunks takes nothing else).
  text: Buffer.from(c.bytes).toString('utf8'),
  firstRow: c.firstRow,
  options: plan.options,
  hints: plan.hints,
  referenceDate,
  jobId: '00000000-0000-4000-8000-000000000000',
  pack: true,
}));

const run = (impl) => {
  const start = process.hrtime.bigint();
  const results = tasks.map((t) => impl.chunkTask(t));
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, results };
};

const best = { base: Infinity, current: Infinity };
let last = {};
for (let i = 0; i < repeat; i++) {
  for (const name of i % 2 === 0 ? ['base', 'current'] : ['current', 'base']) {
    const r = run(name === 'base' ? base : current);
    best[name] = Math.min(best[name], r.ms);
    last[name] = r.results;
  }
}
// Key bits may differ between builds (another hash); what must not differ is which records share a key.
const keyClasses = (results) => {
  const first = new Map();
  const classes = [];
  for (const r of results) {
    const { keys, hasDedupKey, count } = r.packed;
    for (let i = 0; i < count; i++) {
      for (const [from, has] of [[0, true], [4, hasDedupKey[i] === 1]]) {
        const key = has ? Array.from(keys.subarray(i * 8 + from, i * 8 + from + 4)).join('.') + (from ? 'd' : 'e') : null;
        if (key !== null && !first.has(key)) first.set(key, first.size);
        classes.push(key === null ? -1 : first.get(key));
      }
    }
  }
  return classes;
};
// Stats may carry a dropped table as an undefined property or not at all: the same report.
const defined = (value) => {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set) return value;
  if (Array.isArray(value)) return value.map(defined);
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, defined(v)]));
};
const withoutKeys = (results) => results.map((r) => ({ ...r, stats: defined(r.stats), packed: { ...r.packed, keys: null } }));
const same = isDeepStrictEqual(withoutKeys(last.base), withoutKeys(last.current)) && isDeepStrictEqual(keyClasses(last.base), keyClasses(last.current));
const us = (ms) => ((ms * 1000) / rows).toFixed(1);
process.stdout.write(
  `${rows.toLocaleString('en-US')} rows in ${tasks.length} chunks, fastest of ${repeat}:\n` +
    `  base    ${best.base.toFixed(0)} ms  ${us(best.base)} µs/row  ${Math.round(rows / (best.base / 1000)).toLocaleString('en-US')} rows/s\n` +
    `  current ${best.current.toFixed(0)} ms  ${us(best.current)} µs/row  ${Math.round(rows / (best.current / 1000)).toLocaleString('en-US')} rows/s\n` +
    `  speedup ${(best.base / best.current).toFixed(2)}x   outputs identical: ${same}\n`,
);
if (!same) {
  for (let i = 0; i < tasks.length; i++) {
    if (!isDeepStrictEqual(withoutKeys([last.base[i]]), withoutKeys([last.current[i]]))) {
      const a = withoutKeys([last.base[i]])[0];
      const b = withoutKeys([last.current[i]])[0];
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (!isDeepStrictEqual(a[key], b[key])) process.stdout.write(`  first difference: chunk ${i}, key ${key}\n`);
        if (key === 'packed') for (const k of Object.keys(a.packed)) if (!isDeepStrictEqual(a.packed[k], b.packed[k])) process.stdout.write(`    packed.${k}\n`);
      }
      break;
    }
  }
  process.exitCode = 1;
}

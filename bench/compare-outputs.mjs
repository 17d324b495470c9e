#!/usr/bin/env node
// Like with like: runs the product's engine (core's harmonizeText, the whole file in one chunk),
// the DuckDB peer and the straightforward pipeline on the same generated file, and compares
// what they keep (which rows, and each field of each kept row) and reject. Prints counts of
// differences per field with a few examples: the input is synthetic, so values may be shown.
//
//   node bench/compare-outputs.mjs [--rows 20000] [--seed 42]
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ensureInput, referenceDate } from './bench-input.mjs';
import { runDuckdbPeer } from './duckdb-peer.mjs';
import { runNaivePipeline } from './naive-pipeline.mjs';
import { OUTPUT_FIELDS } from './peer-vocab.mjs';

const COMPARED = [...OUTPUT_FIELDS, 'extras'];

/** Kept rows by source row number: field -> value ('' for empty), from a harmonized CSV text. */
function byRow(csvText) {
  const [header, ...rows] = parse(csvText, { relax_column_count: true });
  const at = new Map(header.map((h, i) => [h, i]));
  return new Map(rows.map((cells) => [Number(cells[at.get('source_row')]), Object.fromEntries(COMPARED.map((f) => [f, cells[at.get(f)] ?? '']))]));
}

/** The same extras whatever the member order or a null member for an empty cell. */
const normalizeExtras = (text) => {
  if (text === '') return '';
  const object = JSON.parse(text);
  return JSON.stringify(Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null).sort(([a], [b]) => (a < b ? -1 : 1))));
};

function compare(name, product, peer) {
  const onlyProduct = [...product.keys()].filter((row) => !peer.has(row));
  const onlyPeer = [...peer.keys()].filter((row) => !product.has(row));
  process.stdout.write(`\n${name}: kept ${peer.size} rows (product ${product.size}); kept only by the product: ${onlyProduct.length}, only by ${name}: ${onlyPeer.length}\n`);
  if (onlyProduct.length > 0) process.stdout.write(`  e.g. rows ${onlyProduct.slice(0, 5).join(', ')}\n`);
  if (onlyPeer.length > 0) process.stdout.write(`  e.g. rows ${onlyPeer.slice(0, 5).join(', ')}\n`);
  for (const field of COMPARED) {
    const diffs = [];
    for (const [row, record] of product) {
      const other = peer.get(row);
      if (!other) continue;
      let [a, b] = [record[field], other[field]];
      if (field === 'extras') [a, b] = [normalizeExtras(a), normalizeExtras(b)];
      if (a !== b) diffs.push({ row, product: a, peer: b });
    }
    if (diffs.length === 0) continue;
    process.stdout.write(`  ${field}: ${diffs.length} differ, e.g. ${diffs.slice(0, 3).map((d) => `row ${d.row} ${JSON.stringify(d.product)} vs ${JSON.stringify(d.peer)}`).join('; ')}\n`);
  }
}

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const input = await ensureInput({ rows: option('--rows', 20_000), seed: option('--seed', 42) });
const { harmonizeText } = await import('@harmonizer/core');
const { csvHeader } = await import('@harmonizer/core');

const result = harmonizeText(readFileSync(input.path, 'utf8'), { dataset: 'patients', referenceDate: referenceDate() });
const productCsv = `${csvHeader('patients')}\n${result.kept.map((r) => r.csv).join('\n')}\n`;
const product = byRow(productCsv);
const rejected = (lines) => new Set(lines.map((l) => JSON.parse(l).row));
const productRejects = rejected(result.chunk.rejects);
process.stdout.write(`product: ${result.chunk.stats.rowsIn} rows in, ${product.size} kept, ${productRejects.size} rejected, ${result.duplicates.length} duplicates\n`);

for (const [name, run] of [['duckdb', () => runDuckdbPeer({ input: input.path, threads: 2, keep: true })], ['naive', () => runNaivePipeline({ input: input.path, keep: true })]]) {
  const r = await run();
  compare(name, product, byRow(readFileSync(path.join(r.outDir, 'harmonized.csv'), 'utf8')));
  const peerRejects = rejected(readFileSync(path.join(r.outDir, 'rejects.ndjson'), 'utf8').trim().split('\n').filter(Boolean));
  const missed = [...productRejects].filter((row) => !peerRejects.has(row));
  const extra = [...peerRejects].filter((row) => !productRejects.has(row));
  process.stdout.write(`  rejects: ${peerRejects.size} (product ${productRejects.size}); rejected only by the product: ${missed.length}, only by ${name}: ${extra.length}\n`);
  rmSync(r.outDir, { recursive: true, force: true });
}

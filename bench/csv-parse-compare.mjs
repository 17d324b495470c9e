#!/usr/bin/env node
// CSV chunk parsing in a pool thread: csv-parse plus the record count (the old parseRecords, kept as
// parseRecordsWithCsvParse) against the hand-written regular-grammar reader (parseRecords today).
// Both run on the same ~128 KiB chunks cut at record boundaries, interleaved (old, new, old, new...),
// best run of each kept; then the external CSV files are parsed by both and compared.
//
//   npx tsc -b packages/core && node bench/csv-parse-compare.mjs [--rows 300000] [--runs 5] [--chunk-kib 128]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ensureInput } from './bench-input.mjs';
import { ROOT } from './services.mjs';

const CORE = path.join(ROOT, 'packages', 'core', 'dist');
const { parseRecords, parseRecordsWithCsvParse } = await import(path.join(CORE, 'chunk', 'parse-records.js'));
const { parseRegularCsv } = await import(path.join(CORE, 'chunk', 'fast-csv.js'));
const { countRecords, createScanState, scanRecords } = await import(path.join(CORE, 'formats', 'scan-records.js'));
const { sniffCsv } = await import(path.join(CORE, 'formats', 'sniff-csv.js'));

const EXTERNAL = path.join(ROOT, '..', 'shared', 'data', 'external');
const MAX_EXTERNAL_BYTES = 4 * 1024 * 1024;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Header split off with the product's sniffer, then the data cut into chunks of whole records. */
function chunksOf(text, chunkChars) {
  const dialect = sniffCsv(text.slice(0, 64 * 1024), text.length <= 64 * 1024);
  const data = text.slice(dialect.dataOffset);
  const cuts = [];
  scanRecords(createScanState(), data, dialect.delimiter, cuts);
  const chunks = [];
  let start = 0;
  for (const end of cuts) {
    if (end - start >= chunkChars) {
      chunks.push(data.slice(start, end));
      start = end;
    }
  }
  if (start < data.length) chunks.push(data.slice(start));
  return { delimiter: dialect.delimiter, chunks };
}

/**
 * Parses every chunk; returns wall ms, CPU ms (this process, GC threads included: less disturbed
 * than wall time when other work shares the 2 cores) and records read.
 */
function timeParse(parse, chunks, delimiter) {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let records = 0;
  for (const chunk of chunks) records += parse(chunk, delimiter).length;
  const cpu = process.cpuUsage(cpu0);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000, records };
}

async function compareOnInput() {
  const rows = option('rows', 300000);
  const runs = option('runs', 5);
  const chunkChars = option('chunk-kib', 128) * 1024;
  const input = await ensureInput({ rows, seed: 42, profile: 'issue6' });
  const { delimiter, chunks } = chunksOf(readFileSync(input.path, 'utf8'), chunkChars);
  const fastChunks = chunks.filter((chunk) => parseRegularCsv(chunk, delimiter) !== null).length;
  const identical = chunks.every((chunk) => isDeepStrictEqual(parseRecords(chunk, delimiter), parseRecordsWithCsvParse(chunk, delimiter)));
  console.log(`${path.basename(input.path)}: ${chunks.length} chunks of ~${chunkChars / 1024} KiB, ${fastChunks} on the fast path, outputs identical: ${identical}`);

  const best = { old: { ms: Infinity, cpuMs: Infinity }, new: { ms: Infinity, cpuMs: Infinity }, count: { ms: Infinity, cpuMs: Infinity } };
  let records = 0;
  const count = (chunk) => ({ length: countRecords(chunk, delimiter) });
  for (let run = 0; run < runs; run++) {
    for (const [name, parse] of [['old', parseRecordsWithCsvParse], ['new', parseRecords], ['count', count]]) {
      const result = timeParse(parse, chunks, delimiter);
      best[name].ms = Math.min(best[name].ms, result.ms);
      best[name].cpuMs = Math.min(best[name].cpuMs, result.cpuMs);
      if (name !== 'count') records = result.records;
    }
  }
  const rate = (ms) => Math.round((records / ms) * 1000).toLocaleString('en-US');
  const line = ({ ms, cpuMs }) => `wall ${ms.toFixed(0)} ms (${rate(ms)} rows/s), cpu ${cpuMs.toFixed(0)} ms (${rate(cpuMs)} rows/s)`;
  console.log(`  old (csv-parse + countRecords): ${line(best.old)}`);
  console.log(`    of which countRecords:       wall ${best.count.ms.toFixed(0)} ms, cpu ${best.count.cpuMs.toFixed(0)} ms`);
  console.log(`  new (regular-grammar reader):   ${line(best.new)}`);
  const speedup = (key) => (best.old[key] / best.new[key]).toFixed(2);
  console.log(`  speedup: ${speedup('ms')}x wall, ${speedup('cpuMs')}x cpu (${records} records, best of ${runs}, interleaved)`);
}

function csvFilesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return csvFilesUnder(full);
    return entry.name.toLowerCase().endsWith('.csv') ? [full] : [];
  });
}

/** At most MAX_EXTERNAL_BYTES of the file, cut after its last line feed so no character is split. */
function readCapped(file) {
  const buffer = readFileSync(file);
  if (buffer.length <= MAX_EXTERNAL_BYTES) return buffer.toString('utf8');
  return buffer.subarray(0, buffer.lastIndexOf(10, MAX_EXTERNAL_BYTES) + 1).toString('utf8');
}

function compareExternal() {
  let files;
  try {
    files = csvFilesUnder(EXTERNAL).sort();
  } catch {
    console.log(`\nno external data at ${EXTERNAL}`);
    return;
  }
  console.log(`\nexternal CSV files (${EXTERNAL}, first ${MAX_EXTERNAL_BYTES / 1024 / 1024} MiB of each):`);
  for (const file of files) {
    const name = path.relative(EXTERNAL, file);
    let split;
    try {
      split = chunksOf(readCapped(file), 128 * 1024);
    } catch (error) {
      console.log(`  ${name}: not sniffed (${error.code ?? error.name}), skipped`);
      continue;
    }
    const { delimiter, chunks } = split;
    let records = 0;
    let fast = 0;
    let identical = true;
    for (const chunk of chunks) {
      const expected = parseRecordsWithCsvParse(chunk, delimiter);
      records += expected.length;
      if (parseRegularCsv(chunk, delimiter) !== null) fast++;
      identical &&= isDeepStrictEqual(parseRecords(chunk, delimiter), expected);
    }
    const size = `${(statSync(file).size / 1024).toFixed(0)} KiB`;
    console.log(`  ${name} (${size}, ${JSON.stringify(delimiter)}, ${records} records): identical ${identical}, fast path ${fast}/${chunks.length} chunks`);
  }
}

await compareOnInput();
compareExternal();

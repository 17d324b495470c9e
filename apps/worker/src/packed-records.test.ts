import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDeduplicator, keyWords, matchHeaders, type AcceptedRecord, type ChunkResult, type DatasetName, type HarmonizeOptions } from '@harmonizer/core';
import { createLocalStorage } from '@harmonizer/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import chunkTask, { type WorkerChunkTask } from './chunk-task.js';
import type { DatasetPlan } from './input-plan.js';
import { KEY_WORDS, keptLines, keptRuns, packedOf, RecordPacker, type PackedRecords } from './packed-records.js';
import { createResultMerger } from './result-merger.js';
import { createResultWriters } from './result-writers.js';

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'Zoë', '"x,y"', '东京', '😀', ' ', '\\', '\u2028', 'Ñ', '12', ''];

/** Finished records packed with a RecordPacker, as chunk-task packs them one by one. */
function packRecords(records: readonly AcceptedRecord[], fhir: readonly (readonly string[])[] | null): PackedRecords {
  const packer = new RecordPacker(fhir !== null, records.length);
  records.forEach((record, i) => packer.add(record, fhir ? (fhir[i] ?? null) : null));
  return packer.finish();
}

/** The kept runs joined: what a file receives. */
const keptText = (lines: Parameters<typeof keptRuns>[0], keep: Uint8Array) => Buffer.concat(keptRuns(lines, keep)).toString();

describe('keptRuns and keptLines', () => {
  it('give the kept records\' lines exactly as joining their strings does (generated inputs)', () => {
    const next = random(42);
    for (let run = 0; run < 300; run++) {
      const count = Math.floor(next() * 40);
      // Per record 0-3 lines (0: a record that made no FHIR resource of this type).
      const perRecord: string[][] = Array.from({ length: count }, () =>
        Array.from({ length: Math.floor(next() * 4) }, () => Array.from({ length: 1 + Math.floor(next() * 6) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('')),
      );
      const all = perRecord.flat();
      const bytes = Buffer.from(all.map((l) => `${l}\n`).join(''));
      const ends = new Uint32Array(count);
      const lines = new Uint32Array(count);
      let end = 0;
      let n = 0;
      perRecord.forEach((ls, i) => {
        for (const l of ls) end += Buffer.byteLength(`${l}\n`);
        n += ls.length;
        ends[i] = end;
        lines[i] = n;
      });
      const mode = run % 3;
      const keep = Uint8Array.from({ length: count }, () => (mode === 0 ? 1 : mode === 1 ? (next() < 0.85 ? 1 : 0) : next() < 0.2 ? 1 : 0));
      const kept = perRecord.filter((_, i) => keep[i] === 1).flat();
      const expected = kept.length === 0 ? '' : `${kept.join('\n')}\n`;
      const runs = keptRuns({ bytes, ends }, keep);
      expect(Buffer.concat(runs).toString()).toBe(expected);
      // Views of the chunk's bytes, never copies, and no empty ones; all kept is the buffer itself.
      for (const r of runs) expect(r.length > 0 && r.buffer === bytes.buffer).toBe(true);
      if (keep.every((k) => k === 1) && bytes.length > 0) expect(runs).toEqual([bytes]);
      expect(keptLines(lines, keep)).toBe(kept.length);
    }
  });
});

describe('packRecords', () => {
  it('keeps each record\'s row, keys and lines', () => {
    const task = chunk('patients', ['MRN', 'Last Name', 'First Name', 'DOB', 'Sex', 'Phone'], ['P1,Doe,Jane,1980-02-01,F,(617) 555-0100', 'P2,Zoë,Ann,1990-01-01,F,', 'P2,Zoë,Ann,1990-01-01,F,']);
    const plain = chunkTask({ ...task, jobId: 'job-1' }) as ChunkResult & { accepted: { fhir: string[] }[] };
    const packed = packRecords(plain.accepted, plain.accepted.map((r) => (r as unknown as { fhir: string[] }).fhir));
    expect(packed.count).toBe(3);
    expect([...packed.rows]).toEqual([1, 2, 3]);
    const dedup = createDeduplicator();
    const reference = createDeduplicator();
    plain.accepted.forEach((record, i) => {
      expect(dedup.checkWords(record.row, packed.keys, i * KEY_WORDS, packed.hasDedupKey[i] === 1)).toEqual(reference.check(record));
    });
    const all = new Uint8Array(3).fill(1);
    expect(keptText(packed.csv, all)).toBe(plain.accepted.map((r) => `${r.csv}\n`).join(''));
    expect(keptText(packed.json, all)).toBe(plain.accepted.map((r) => `${r.json}\n`).join(''));
    expect(packed.fhir?.types.map((t) => t.resourceType)).toEqual(['Patient']);
  });
});

/** Typed arrays as base64 strings (deep equality over large typed arrays is slow), with their kinds. */
const comparable = (value: unknown): unknown => {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}`;
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  return value;
};

/** The packed form written the plain way: each output's lines joined and encoded, ends measured line by line. */
function referencePack(records: readonly AcceptedRecord[], fhir: readonly (readonly string[])[] | null) {
  const words = new Uint32Array(4);
  const keys = new Uint32Array(records.length * KEY_WORDS);
  records.forEach((r, i) => {
    keys.set(keyWords(r.exactKey, words), i * KEY_WORDS);
    if (r.dedupKey !== null) keys.set(keyWords(r.dedupKey, words), i * KEY_WORDS + 4);
  });
  const lines = (perRecord: (readonly string[])[]) => {
    let end = 0;
    let count = 0;
    const ends = new Uint32Array(records.length);
    const upTo = new Uint32Array(records.length);
    perRecord.forEach((ls, i) => {
      for (const l of ls) end += Buffer.byteLength(`${l}\n`);
      count += ls.length;
      ends[i] = end;
      upTo[i] = count;
    });
    return { bytes: new Uint8Array(Buffer.from(perRecord.flat().map((l) => `${l}\n`).join(''))), ends, lines: upTo };
  };
  const csv = lines(records.map((r) => [r.csv]));
  const json = lines(records.map((r) => [r.json]));
  const types = [...new Set((fhir ?? []).flatMap((f) => f.filter((_, j) => j % 2 === 0)))];
  return {
    count: records.length,
    rows: Uint32Array.from(records.map((r) => r.row)),
    keys,
    hasDedupKey: Uint8Array.from(records.map((r) => (r.dedupKey === null ? 0 : 1))),
    csv: { bytes: csv.bytes, ends: csv.ends },
    json: { bytes: json.bytes, ends: json.ends },
    fhir: fhir
      ? {
          types: types.map((resourceType) => ({ resourceType, ...lines(fhir.map((f) => f.filter((_, j) => j % 2 === 1 && f[j - 1] === resourceType))) })),
          made: Uint16Array.from(fhir.map((f) => f.length / 2)),
        }
      : null,
  };
}

describe('RecordPacker in chunkTask', () => {
  it('packs records one at a time into the same arrays as packRecords over the finished records (generated chunks)', () => {
    const header = ['MRN', 'Last Name', 'First Name', 'DOB', 'Sex', 'Phone'];
    const next = random(11);
    for (let run = 0; run < 14; run++) {
      // Sizes around the packer's first capacity (1024) and its growth, and empty / all-rejected chunks.
      const size = [0, 1, 2, 1023, 1024, 1025, 2500][run % 7]!;
      // Rows without an MRN (no dedup key) at the end on odd runs: the last records' flags must still be there, as 0.
      const noKey = run % 2 === 1 ? Array.from({ length: 40 }, (_, k) => `,Doe${k},Ann,1980-01-${String(k % 28 + 1).padStart(2, '0')},F,`) : [];
      const rows = run % 7 === 1 ? ['P1,Doe,Jane,31/31/1990,F,'] : [...patientRows(next, size), ...noKey];
      for (const options of [{}, { outputs: ['csv', 'ndjson'] }] as HarmonizeOptions[]) {
        const task = chunk('patients', header, rows, options);
        const streamed = packedOf(chunkTask({ ...task, pack: true }));
        const plain = chunkTask(task) as ChunkResult & { accepted: { fhir?: string[] }[] };
        const withFhir = options.outputs === undefined;
        const fhir = withFhir ? plain.accepted.map((r) => r.fhir ?? []) : null;
        const reference = comparable(referencePack(plain.accepted, fhir));
        expect(comparable(streamed)).toEqual(reference);
        expect(comparable(packRecords(plain.accepted, fhir))).toEqual(reference);
      }
    }
  });
});

const chunk = (dataset: DatasetName, header: string[], rows: string[], options: HarmonizeOptions = {}, firstRow = 1): WorkerChunkTask => ({
  dataset,
  delimiter: ',',
  mapping: matchHeaders(header, dataset),
  text: `${rows.join('\n')}\n`,
  firstRow,
  options,
  referenceDate: '2025-06-15',
  jobId: 'job-7',
});

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-packed-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Merges the chunks (packed or not) through the real merger and writers; returns every file and the merger's figures. */
async function mergeAll(dir: string, dataset: DatasetName, tasks: WorkerChunkTask[], pack: boolean, options: HarmonizeOptions) {
  const storage = createLocalStorage(path.join(root, dir));
  const writers = await createResultWriters(storage, 'job-7', { outputs: options.outputs });
  const merger = createResultMerger(writers, { format: 'csv' });
  const first = tasks[0]!;
  const plan = { dataset, mapping: first.mapping, detection: null, dedupKeys: [], csvHeader: 'header', options } as unknown as DatasetPlan;
  await merger.openDataset(plan);
  let packedChunks = 0;
  for (const task of tasks) {
    const result = chunkTask({ ...task, pack });
    if (packedOf(result)) packedChunks++;
    await merger.merge(result, task);
  }
  const state = merger.datasets.get(dataset)!;
  const results = await writers.commit('{}', { rowsOut: { [dataset]: state.rowsOut }, rowsRejected: state.totals.rowsRejected });
  const files: Record<string, string> = {};
  for (const r of results) files[r.storageKey] = await fs.readFile(path.join(root, dir, r.storageKey), 'utf8');
  const report = JSON.stringify(state.report.build({ rowsOut: state.rowsOut }));
  return { files, results, rowsOut: state.rowsOut, duplicates: state.duplicatesByKind, fhirSkipped: writers.fhirSkipped, packedChunks, report };
}

/** Patients rows with exact copies, same-MRN restatements, invalid rows and non-ASCII text. */
function patientRows(next: () => number, count: number): string[] {
  const names = ['Doe', 'Zoë', 'O\'Brien', '"Smith, Jr"', '李', 'Ñúñez'];
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = next();
    if (rows.length > 0 && r < 0.15) rows.push(rows[Math.floor(next() * rows.length)]!);
    else {
      const mrn = r < 0.25 && rows.length > 0 ? `P${Math.floor(next() * i)}` : `P${i}`;
      const dob = r > 0.97 ? '31/31/1990' : `19${50 + Math.floor(next() * 49)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`;
      const name = names[Math.floor(next() * names.length)]!;
      const phone = next() < 0.5 ? `(617) 555-0${100 + Math.floor(next() * 899)}` : '';
      rows.push(`${mrn},${name},Ann,${dob},${next() < 0.5 ? 'F' : 'M'},${phone}`);
    }
  }
  return rows;
}

describe('merging packed chunk results', () => {
  const header = ['MRN', 'Last Name', 'First Name', 'DOB', 'Sex', 'Phone'];
  it.each([
    ['default outputs', {}],
    ['csv and ndjson only', { outputs: ['csv', 'ndjson'] }],
    ['fhir only', { outputs: ['fhir'] }],
  ] as [string, HarmonizeOptions][])('writes the same files and counts as the record objects (%s)', async (_name, options) => {
    const next = random(7);
    const rows = patientRows(next, 600);
    const tasks: WorkerChunkTask[] = [];
    for (let at = 0, size = 1; at < rows.length; at += size, size = 1 + Math.floor(next() * 90)) {
      tasks.push(chunk('patients', header, rows.slice(at, at + size), options, at + 1));
    }
    const reference = await mergeAll('reference', 'patients', tasks, false, options);
    const packed = await mergeAll('packed', 'patients', tasks, true, options);
    expect(reference.packedChunks).toBe(0);
    expect(packed.packedChunks).toBe(tasks.length);
    expect(reference.duplicates.exact + reference.duplicates.key).toBeGreaterThan(50);
    expect(packed.files).toEqual(reference.files);
    expect(packed.results).toEqual(reference.results);
    expect([packed.rowsOut, packed.duplicates, packed.fhirSkipped, packed.report]).toEqual([reference.rowsOut, reference.duplicates, reference.fhirSkipped, reference.report]);
  });

  it('leaves records with versions (medications) and Parquet jobs unpacked', () => {
    const meds = chunkTask({
      ...chunk('medications', ['SUBJECT_ID', 'STARTTIME', 'ITEMID', 'ORDERID', 'LINKORDERID', 'STATUSDESCRIPTION'], ['42367,2147-10-03 17:35:00,222168,107030,107030,Changed', '42367,2147-10-03 17:50:00,222168,2296517,107030,FinishedRunning']),
      pack: true,
    });
    const parquet = chunkTask({ ...chunk('patients', header, ['P1,Doe,Jane,1980-02-01,F,'], { outputs: ['csv', 'parquet'] }), pack: true });
    expect(packedOf(parquet)).toBeNull();
    expect(parquet.accepted).toHaveLength(1);
    expect(meds.accepted.some((r) => r.version)).toBe(true);
    expect(packedOf(meds)).toBeNull();
  });
});

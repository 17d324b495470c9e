#!/usr/bin/env node
// Record keys, old vs new: exactKey + dedupKey per row as JSON.stringify + SHA-256 + base64url
// (the implementation before issue 6, copied below) against the 128-bit pure-JS hash of
// packages/core/src/dedup/record-keys.ts, on realistic patient records. Variants run
// interleaved (A, B, C, ... A, B, C, ...), best of --rounds kept, so load from other processes
// hits them alike. Also checks that both give the same dedup partition of the rows. Variants:
// the string keys alone; the strings then keyWords (as packed-records and the Deduplicator use
// them today); exactKeyWords/dedupKeyWords, which write the words without any string.
//
//   npx tsc -b packages/core && node bench/keys-compare.mjs [--rows 200000] [--rounds 5]
import * as crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { dedupKey, dedupKeyWords, exactKey, exactKeyWords } from '../packages/core/dist/dedup/record-keys.js';
import { keyWords } from '../packages/core/dist/dedup/key-bits.js';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '5' } } });
const ROWS = Number(args.rows);
const ROUNDS = Number(args.rounds);

// ---- The old implementation (record-keys.ts before the fast hash), verbatim in behaviour. ----
const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;
function oldHashKey(parts) {
  const data = JSON.stringify(parts);
  const digest = oneShot ? oneShot('sha256', data, 'base64url') : crypto.createHash('sha256').update(data).digest('base64url');
  return digest.slice(0, 22);
}
function oldExactKey(dataset, fields, record, extras) {
  const extraEntries = extras ? Object.entries(extras).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  return oldHashKey([dataset, fields.map((f) => record[f] ?? null), extraEntries]);
}
function oldDedupKey(dataset, keys, record, optional = []) {
  const values = [];
  for (const key of keys) {
    const value = record[key];
    if (value == null || value === '') {
      if (!optional.includes(key)) return null;
      values.push(null);
    } else values.push(value);
  }
  return oldHashKey([dataset, keys, values]);
}

// ---- Realistic patient records: 12 standardized string fields, some null, ~10% exact copies. ----
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'José', 'Zoë', 'Priya', 'Wei', 'Mary-Kate'];
const LAST = ['Smith', 'Johnson', 'García', "O'Brien", 'Nguyen', 'Smith, Jr.', 'Pérez', 'van der Berg', 'MacDonald'];
const STREETS = ['Main St', 'Oak Ave', 'Elm St', 'Washington Blvd', 'Maple Dr'];
const PLACES = [['Boston', 'MA', '021'], ['Providence', 'RI', '029'], ['New York', 'NY', '100'], ['Chicago', 'IL', '606']];
const FIELDS = ['patient_id', 'given_name', 'middle_name', 'family_name', 'gender', 'birth_date', 'deceased_date', 'address_line', 'city', 'state', 'postal_code', 'phone'];
const KEYS = ['patient_id'];

function makeRecords(n) {
  const next = rng(42);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const date = (from) => `${from + Math.floor(next() * 70)}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
  const records = [];
  for (let i = 0; i < n; i++) {
    if (i > 10 && next() < 0.1) {
      records.push({ ...records[Math.floor(next() * i)] });
      continue;
    }
    const [city, state, zip] = pick(PLACES);
    records.push({
      patient_id: next() < 0.01 ? null : `MRN${String(100000 + Math.floor(next() * n)).padStart(7, '0')}`,
      given_name: pick(FIRST),
      middle_name: next() < 0.7 ? null : pick(['A', 'B', 'Lee', 'Marie']),
      family_name: pick(LAST),
      gender: pick(['male', 'female', 'unknown']),
      birth_date: next() < 0.02 ? null : date(1930),
      deceased_date: next() < 0.95 ? null : date(1990),
      address_line: `${1 + Math.floor(next() * 9999)} ${pick(STREETS)}`,
      city,
      state,
      postal_code: `${zip}${String(Math.floor(next() * 100)).padStart(2, '0')}`,
      phone: next() < 0.1 ? null : `+1${Math.floor(2000000000 + next() * 7999999999)}`,
    });
  }
  return records;
}

// ---- Variants: each returns a checksum so the work cannot be skipped. ----
const words = new Uint32Array(8);
const variants = {
  'old strings': (rs) => {
    let sink = 0;
    for (const r of rs) {
      const e = oldExactKey('patients', FIELDS, r, null);
      const d = oldDedupKey('patients', KEYS, r, []);
      sink ^= e.charCodeAt(3) ^ (d === null ? 0 : d.charCodeAt(5));
    }
    return sink;
  },
  'new strings': (rs) => {
    let sink = 0;
    for (const r of rs) {
      const e = exactKey('patients', FIELDS, r, null);
      const d = dedupKey('patients', KEYS, r, []);
      sink ^= e.charCodeAt(3) ^ (d === null ? 0 : d.charCodeAt(5));
    }
    return sink;
  },
  'old strings + keyWords': (rs) => {
    let sink = 0;
    for (const r of rs) {
      keyWords(oldExactKey('patients', FIELDS, r, null), words);
      const d = oldDedupKey('patients', KEYS, r, []);
      sink ^= words[0];
      if (d !== null) sink ^= keyWords(d, words)[1];
    }
    return sink;
  },
  'new strings + keyWords': (rs) => {
    let sink = 0;
    for (const r of rs) {
      keyWords(exactKey('patients', FIELDS, r, null), words);
      const d = dedupKey('patients', KEYS, r, []);
      sink ^= words[0];
      if (d !== null) sink ^= keyWords(d, words)[1];
    }
    return sink;
  },
  'new words (no string)': (rs) => {
    let sink = 0;
    for (const r of rs) {
      exactKeyWords('patients', FIELDS, r, null, words, 0);
      if (dedupKeyWords('patients', KEYS, r, [], words, 4)) sink ^= words[5];
      sink ^= words[0];
    }
    return sink;
  },
};

/** Old and new keys must split the rows into the same groups (exact and by key). */
function checkSamePartition(rs) {
  for (const [name, oldKey, newKey] of [
    ['exact', (r) => oldExactKey('patients', FIELDS, r, null), (r) => exactKey('patients', FIELDS, r, null)],
    ['dedup', (r) => oldDedupKey('patients', KEYS, r, []), (r) => dedupKey('patients', KEYS, r, [])],
  ]) {
    const a = new Map();
    const b = new Map();
    let groups = 0;
    for (const r of rs) {
      const o = oldKey(r);
      const n = newKey(r);
      if ((o === null) !== (n === null)) throw new Error(`${name}: null mismatch`);
      if (a.has(o) ? a.get(o) !== n : b.has(n)) throw new Error(`${name}: partitions differ`);
      if (!a.has(o)) groups++;
      a.set(o, n);
      b.set(n, o);
    }
    console.log(`same ${name} partition: ${groups} distinct keys of ${rs.length} rows`);
  }
}

const records = makeRecords(ROWS);
checkSamePartition(records);
// Wall time and process CPU time (all threads: GC helpers count): on a shared, loaded machine the
// CPU time is the steadier of the two. Best of the rounds for each.
const names = Object.keys(variants);
const bestWall = Object.fromEntries(names.map((name) => [name, Infinity]));
const bestCpu = Object.fromEntries(names.map((name) => [name, Infinity]));
for (let round = 0; round < ROUNDS; round++) {
  for (const name of names) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const sink = variants[name](records);
    const wall = Number(process.hrtime.bigint() - start) / records.length;
    const used = process.cpuUsage(cpu);
    if (sink === 0.5) console.log('unreachable');
    bestWall[name] = Math.min(bestWall[name], wall);
    bestCpu[name] = Math.min(bestCpu[name], ((used.user + used.system) * 1000) / records.length);
  }
}
console.log(`\n${ROWS} rows, ${FIELDS.length} fields, best of ${ROUNDS} interleaved rounds; ns per row (exactKey + dedupKey)`);
console.log(`${'variant'.padEnd(24)} ${'wall'.padStart(6)}  ${'cpu'.padStart(6)}   speedup (cpu)`);
for (const name of names) {
  const speedup = (bestCpu['old strings'] / bestCpu[name]).toFixed(2);
  console.log(`${name.padEnd(24)} ${bestWall[name].toFixed(0).padStart(6)}  ${bestCpu[name].toFixed(0).padStart(6)}   ${speedup}x vs old strings`);
}
const pipeline = (table) => (table['old strings + keyWords'] / table['new strings + keyWords']).toFixed(2);
console.log(`\nas the worker uses them today (strings, then keyWords when packing): ${pipeline(bestCpu)}x (cpu), ${pipeline(bestWall)}x (wall)`);

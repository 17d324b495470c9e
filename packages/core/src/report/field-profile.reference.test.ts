import { describe, expect, it } from 'vitest';
import { getDataset } from '../datasets/registry.js';
import type { ChunkStats, FieldProfile } from '../types.js';
import { mergeProfilesInto, profilePlan, profileRecord, type ProfiledField } from './field-profile.js';
import { emptyStats, mergeStats } from './merge-stats.js';
import { summarizeProfile } from './profile-summary.js';
import { refMergeProfiles, refProfileRecord, refSummarizeProfile } from './profile-reference.js';

/** A seeded generator (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T };
}
type Rng = ReturnType<typeof rng>;
type Row = Record<string, string | null>;

const digits = (r: Rng, n: number) => Array.from({ length: n }, () => r.int(10)).join('');
const letters = (r: Rng, n: number) => Array.from({ length: n }, () => r.pick([...'abcdefghijklmnopqrstuvwxyzABCXYZéÑЖ中'])).join('');

/** Value streams, each a kind of column: what they must cover is listed in the brief of the optimization. */
const STREAMS: Record<string, (r: Rng, i: number) => string | null> = {
  repeated: (r) => r.pick(['female', 'male', 'other', 'unknown', 'F', 'M ', ' x']),
  category: (r) => `code-${r.int(300)}`,
  // More distinct values than the exact count (256) and the frequent-value table (512) keep.
  distinct: (r, i) => `${letters(r, 1 + r.int(4))}${i}`,
  numbers: (r) =>
    r.pick([
      () => String(r.int(200)),
      () => `${r.int(100)}.${digits(r, 1 + r.int(3))}`,
      () => `-${r.int(50)}.5`,
      () => `+${r.int(9)}e${r.int(5)}`,
      () => `.${digits(r, 2)}`,
      () => `${r.int(9)}.`,
      () => r.pick(['1.2.3', 'NaN', 'Infinity', ' 12', '12 ', '-', '+.e1', '0x1F', '1e', '-0', '00012']),
    ])(),
  dates: (r) =>
    r.pick([
      () => `${1900 + r.int(130)}-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`,
      () => `20${digits(r, 2)}-0${1 + r.int(9)}-1${r.int(9)}T${digits(r, 2)}:00:00Z`,
      () => `${1990 + r.int(30)}-${digits(r, 2)}`,
      () => r.pick(['20200101', '2020/01/02', 'x2020-01-02', '202-01-01', '2020-1-01', '2020-01', '9999-99']),
    ])(),
  // Far more than 64 shapes: the pattern table is given up.
  shapes: (r) => Array.from({ length: 1 + r.int(6) }, () => r.pick(['9', 'a', '-', '.', ' ', '/', '(', '#'])).join(''),
  text: (r) =>
    Array.from({ length: 1 + r.int(12) }, () => r.pick(['the', 'Patient', 'had', '12', 'mg', ',', '.', '  ', '\t', 'fièvre', '😀', '𝐀b', '-'])).join(' '),
  long: (r) => `${letters(r, 60 + r.int(20))}${digits(r, r.int(5))}`,
  phones: (r) => r.pick([`+1${digits(r, 10)}`, `(${digits(r, 3)}) ${digits(r, 3)}-${digits(r, 4)}`]),
  sparse: (r) => (r.next() < 0.9 ? null : r.pick(['', 'yes', 'no', '5'])),
};

/** The fields of the generated records: every stream under each kind of field. */
function generatedPlan(): ProfiledField[] {
  const plan: ProfiledField[] = [];
  for (const stream of Object.keys(STREAMS)) {
    plan.push({ name: `${stream}_other`, kind: 'other', identifying: false, topValues: true });
    plan.push({ name: `${stream}_id`, kind: 'other', identifying: true, topValues: false });
    plan.push({ name: `${stream}_number`, kind: 'number', identifying: false, topValues: false });
    plan.push({ name: `${stream}_date`, kind: 'date', identifying: stream === 'dates', topValues: false });
  }
  return plan;
}

function generatedRows(seed: number, n: number, plan: readonly ProfiledField[]): Row[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const row: Row = {};
    for (const field of plan) {
      const stream = STREAMS[field.name.slice(0, field.name.lastIndexOf('_'))];
      row[field.name] = r.next() < 0.05 ? r.pick([null, '']) : (stream?.(r, i) ?? null);
    }
    return row;
  });
}

/** Cuts rows into chunks of random sizes (1 to `max`), as the worker's chunk cutter would. */
function chunked<T>(r: Rng, items: readonly T[], max: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const size = 1 + r.int(max);
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

/**
 * The report's profile section as the engine builds it: per-chunk profiles, merged in order
 * (into one accumulator, as the report builder does, or by the pure mergeStats), summarized.
 */
function engineReport(plan: readonly ProfiledField[], chunks: readonly Row[][], clone: boolean, merge: 'into' | 'pure' = 'into') {
  let total = emptyStats();
  const into: Record<string, FieldProfile> = {};
  for (const rows of chunks) {
    let stats: ChunkStats = emptyStats();
    for (const row of rows) profileRecord(stats, plan, row);
    if (clone) stats = structuredClone(stats);
    if (merge === 'into') mergeProfilesInto(into, stats.profile);
    else total = mergeStats(total, stats);
  }
  const accepted = chunks.reduce((n, c) => n + c.length, 0);
  return plan.map((f) => summarizeProfile(f, merge === 'into' ? into[f.name] : total.profile?.[f.name], accepted));
}

function referenceReport(plan: readonly ProfiledField[], chunks: readonly Row[][]) {
  let total: Record<string, FieldProfile> | undefined;
  for (const rows of chunks) {
    const stats: Pick<ChunkStats, 'profile'> = {};
    for (const row of rows) refProfileRecord(stats, plan, row);
    total = refMergeProfiles(total, stats.profile);
  }
  const accepted = chunks.reduce((n, c) => n + c.length, 0);
  return plan.map((f) => refSummarizeProfile(f, total?.[f.name], accepted));
}

/** A chunk's profile as plain data, given-up tables as absent: what both implementations must agree on. */
function plain(profile: FieldProfile | undefined) {
  if (!profile) return undefined;
  return {
    count: profile.count,
    hll: [...profile.hll],
    small: profile.small ? [...profile.small] : undefined,
    min: profile.min,
    max: profile.max,
    patterns: profile.patterns ? [...profile.patterns] : undefined,
    top: profile.top ? [...profile.top] : undefined,
  };
}

describe('field profiling against the reference implementation', () => {
  const plan = generatedPlan();

  it.each([
    [1, 3_000, 1_000],
    [2, 5_000, 50],
    [3, 2_000, 2_000],
    [4, 600, 3],
  ])('gives the same report profile (seed %i, %i rows, chunks up to %i rows)', (seed, rows, maxChunk) => {
    const chunks = chunked(rng(seed + 100), generatedRows(seed, rows, plan), maxChunk);
    const want = referenceReport(plan, chunks);
    expect(engineReport(plan, chunks, false)).toEqual(want);
    expect(engineReport(plan, chunks, true)).toEqual(want);
    expect(engineReport(plan, chunks, true, 'pure')).toEqual(want);
    // Stronger than the summary: every chunk's profile holds the same counts, hashes and tables.
    for (const rows of chunks.slice(0, 5)) {
      const engine = emptyStats();
      const reference: Pick<ChunkStats, 'profile'> = {};
      for (const row of rows) {
        profileRecord(engine, plan, row);
        refProfileRecord(reference, plan, row);
      }
      for (const field of plan) expect(plain(engine.profile?.[field.name])).toEqual(plain(reference.profile?.[field.name]));
    }
  });

  it('stays exact when one plan profiles several chunks in turn (the shortcuts follow the stats)', () => {
    const r = rng(9);
    const rows = generatedRows(9, 2_000, plan);
    const engine = [emptyStats(), emptyStats(), emptyStats()];
    const reference: Pick<ChunkStats, 'profile'>[] = [{}, {}, {}];
    for (const row of rows) {
      const k = r.int(3);
      profileRecord(engine[k] as ChunkStats, plan, row);
      refProfileRecord(reference[k] as Pick<ChunkStats, 'profile'>, plan, row);
    }
    for (let k = 0; k < 3; k++) {
      for (const field of plan) expect(plain(engine[k]?.profile?.[field.name])).toEqual(plain(reference[k]?.profile?.[field.name]));
    }
  });

  it('stays exact when two fields of a plan have the same name (they share one profile)', () => {
    const twice: ProfiledField[] = [
      { name: 'code', kind: 'other', identifying: false, topValues: true },
      { name: 'other', kind: 'other', identifying: false, topValues: true },
      { name: 'code', kind: 'other', identifying: false, topValues: true },
    ];
    const r = rng(5);
    const rows: Row[] = Array.from({ length: 3_000 }, () => ({ code: r.pick(['a1', 'b-2', 'c 3', 'D.4', '5', 'é6']), other: `${r.int(9)}x` }));
    const engine = emptyStats();
    const reference: Pick<ChunkStats, 'profile'> = {};
    for (const row of rows) {
      profileRecord(engine, twice, row);
      refProfileRecord(reference, twice, row);
    }
    for (const name of ['code', 'other']) expect(plain(engine.profile?.[name])).toEqual(plain(reference.profile?.[name]));
  });

  it('gives the same report on standardized patients records, chunk by chunk as the worker does', () => {
    const patients = profilePlan(getDataset('patients'));
    const r = rng(21);
    const rows: Row[] = Array.from({ length: 4_000 }, (_, i) => ({
      patient_id: `MRN${String(i % 3_500).padStart(8, '0')}`,
      given_name: r.pick(['Mary-Kate', 'Jennifer', 'Robert', "D'Arcy", 'Zoë', 'José Luis']),
      family_name: r.pick(['García', 'Wright', 'Brown', "O'Neil", 'Van der Berg', 'Smith, Jr.']),
      gender: r.pick(['female', 'male', 'unknown', 'other']),
      birth_date: `${1920 + r.int(100)}-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`,
      deceased_date: r.next() < 0.03 ? `20${10 + r.int(15)}-0${1 + r.int(9)}-1${r.int(9)}` : null,
      address_line: `${1 + r.int(9_999)} ${r.pick(['Park Rd', 'Lake St Apt 29', 'Washington Blvd Apt 3', 'Elm St, Unit 4'])}`,
      city: r.pick(['Burlington', 'New York', 'Newark', 'Salt Lake City']),
      state: r.pick(['VT', 'NY', 'NJ', 'UT', 'MA']),
      postal_code: r.next() < 0.8 ? digits(r, 5) : `${digits(r, 5)}-${digits(r, 4)}`,
      phone: r.next() < 0.95 ? `+1${digits(r, 10)}` : null,
      email: `${letters(r, 5)}.${letters(r, 6)}${r.int(100)}@example.com`,
      marital_status: r.next() < 0.5 ? r.pick(['M', 'S', 'W']) : null,
    }));
    const chunks = chunked(r, rows, 900);
    expect(engineReport(patients, chunks, true)).toEqual(referenceReport(patients, chunks));
  });
});

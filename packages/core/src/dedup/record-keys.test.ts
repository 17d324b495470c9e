import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StandardRecord } from '../datasets/dataset-definition.js';
import { keyWords } from './key-bits.js';
import { dedupKey, dedupKeyWords, exactKey, exactKeyWords } from './record-keys.js';

const fields = ['patient_id', 'family_name', 'birth_date'];
const a = { patient_id: '1', family_name: 'Doe', birth_date: '2000-01-02' };

describe('exactKey', () => {
  it('is equal for equal records and extras in any key order', () => {
    expect(exactKey('patients', fields, a, { X: '1', Y: '2' })).toBe(exactKey('patients', fields, { ...a }, { Y: '2', X: '1' }));
  });

  it('is the same for extras in any order, up to and past the small-sort size (generated)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 0, maxLength: 24 }), fc.integer(), (names, seed) => {
        const entries = names.map((n, i): [string, string] => [n, `v${i}`]);
        const shuffled = fc.sample(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), { numRuns: 1, seed })[0]!;
        const sorted = [...entries].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
        const key = exactKey('patients', fields, a, Object.fromEntries(sorted));
        expect(exactKey('patients', fields, a, Object.fromEntries(shuffled))).toBe(key);
        expect(exactKey('patients', fields, a, Object.fromEntries([...sorted].reverse()))).toBe(key);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a field differs', { ...a, family_name: 'Roe' }, null],
    ['a value moves to another field', { patient_id: '1', family_name: null, birth_date: 'Doe' }, null],
    ['extras differ', a, { X: '1' }],
  ])('differs when %s', (_name, record, extras) => {
    expect(exactKey('patients', fields, record, extras)).not.toBe(exactKey('patients', fields, a, null));
  });

  it('is a short printable string', () => {
    expect(exactKey('patients', fields, a, null)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('dedupKey', () => {
  it('depends only on the key fields', () => {
    expect(dedupKey('patients', ['patient_id'], a)).toBe(dedupKey('patients', ['patient_id'], { ...a, family_name: 'Roe' }));
  });

  it('is null when a key field is empty', () => {
    expect(dedupKey('patients', ['patient_id', 'family_name'], { ...a, family_name: null })).toBeNull();
  });

  it('gives a key when only an optional key field is empty, and tells it from a filled one', () => {
    const keys = ['patient_id', 'family_name'];
    const empty = dedupKey('patients', keys, { ...a, family_name: null }, ['family_name']);
    expect(empty).not.toBeNull();
    expect(dedupKey('patients', keys, { ...a, family_name: '' }, ['family_name'])).toBe(empty);
    expect(dedupKey('patients', keys, a, ['family_name'])).not.toBe(empty);
    expect(dedupKey('patients', keys, { ...a, patient_id: null }, ['family_name'])).toBeNull();
  });

  it('does not confuse values across key fields', () => {
    const one = dedupKey('patients', ['family_name', 'birth_date'], { family_name: 'a,b', birth_date: 'c' });
    const two = dedupKey('patients', ['family_name', 'birth_date'], { family_name: 'a', birth_date: 'b,c' });
    expect(one).not.toBe(two);
  });
});

/** The keys as they were before the fast hash: the JSON the SHA-256 was taken of (its hash aside). */
function referenceExact(dataset: string, fields: readonly string[], record: StandardRecord, extras: Readonly<Record<string, string>> | null): string {
  const extraEntries = extras ? Object.entries(extras).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)) : [];
  return JSON.stringify([dataset, fields.map((f) => record[f] ?? null), extraEntries]);
}

function referenceDedup(dataset: string, keys: readonly string[], record: StandardRecord, optional: readonly string[]): string | null {
  const values: (string | null)[] = [];
  for (const key of keys) {
    const value = record[key];
    if (value == null || value === '') {
      if (!optional.includes(key)) return null;
      values.push(null);
    } else values.push(value);
  }
  return JSON.stringify([dataset, keys, values]);
}

/** Asserts that `key` maps equal references to equal keys and different ones to different keys. */
function expectSamePartition(pairs: readonly (readonly [reference: string | null, key: string | null])[]): void {
  const keyOf = new Map<string | null, string | null>();
  const referenceOf = new Map<string | null, string | null>();
  for (const [reference, key] of pairs) {
    // expect only on a mismatch: it is slow in a loop of thousands
    if ((key === null) !== (reference === null)) expect({ reference, key }).toEqual({ reference, key: null });
    if (!keyOf.has(reference)) keyOf.set(reference, key);
    else if (keyOf.get(reference) !== key) expect(key).toBe(keyOf.get(reference));
    if (!referenceOf.has(key)) referenceOf.set(key, reference);
    else if (referenceOf.get(key) !== reference) expect(reference).toBe(referenceOf.get(key));
  }
}

/** Small deterministic PRNG (mulberry32), so the generated records are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Values chosen to collide in encodings that are not injective: null vs '' vs 'null', separators
 * and quotes, unicode (astral: two code units), a NUL, and lengths around the 6- and 8-unit
 * steps of the block layout; plus one-character variants of each (near-duplicates).
 */
const BASE_VALUES: (string | null)[] = [
  null, '', 'null', 'a', 'b', 'a,b', ',', '","', '"', '\\', '[', ']', 'é', 'e\u0301', '😀', '\ud83d', '\u0000', '\u0000\u0000',
  'Doe', 'doe', 'abcdef', 'abcdefg', 'abcdefgh', 'abcdefghijklmn', 'abcdefghijklmno', '2000-01-02', '2000-01-03', 'P000123',
];
const VALUES: (string | null)[] = [
  ...BASE_VALUES,
  ...BASE_VALUES.filter((v): v is string => v !== null && v !== '').flatMap((v) => [`${v.slice(0, -1)}x`, `${v}\u0000`, `x${v}`]),
];

function generatedRecords(count: number, seed: number, fields: readonly string[], pool: readonly (string | null)[]): StandardRecord[] {
  const next = random(seed);
  const pick = () => pool[Math.floor(next() * pool.length)]!;
  const records: StandardRecord[] = [];
  for (let i = 0; i < count; i++) {
    const record: Record<string, string | null> = {};
    for (const field of fields) if (next() < 0.9) record[field] = pick(); // else missing (undefined)
    records.push(record);
  }
  return records;
}

describe('record keys against the JSON reference', () => {
  it('exactKey: equal keys iff equal reference JSON (values from a small pool: many equal and near-equal records)', () => {
    const fields = ['patient_id', 'family_name'];
    const next = random(7);
    const extrasPool: (Record<string, string> | null)[] = [null, {}, { X: '1' }, { X: '1', Y: '' }, { Y: '', X: '1' }, { X: '' }, { 'X,Y': '1' }, { X: ',Y1' }, { x: '1' }];
    const pairs = generatedRecords(20_000, 1, fields, VALUES.slice(0, 40)).map((record) => {
      const extras = extrasPool[Math.floor(next() * extrasPool.length)]!;
      return [referenceExact('patients', fields, record, extras), exactKey('patients', fields, record, extras)] as const;
    });
    expect(new Set(pairs.map(([reference]) => reference)).size).toBeLessThan(pairs.length / 2); // duplicates do occur
    expectSamePartition(pairs);
  });

  it('dedupKey: equal keys iff equal reference JSON, null iff the reference is null', () => {
    const keys = ['patient_id', 'family_name', 'birth_date'];
    const pairs: (readonly [string | null, string | null])[] = [];
    for (const optional of [[], ['family_name'], ['patient_id', 'birth_date']]) {
      for (const record of generatedRecords(10_000, optional.length + 2, keys, VALUES.slice(0, 12))) {
        pairs.push([referenceDedup('patients', keys, record, optional), dedupKey('patients', keys, record, optional)]);
      }
    }
    expect(pairs.filter(([reference]) => reference === null).length).toBeGreaterThan(100);
    expectSamePartition(pairs);
  });

  it('both keys agree with the reference on arbitrary unicode strings and datasets', () => {
    const value = fc.option(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('', 'null', 'a', 'a,b', '"')), { nil: null });
    const row = fc.record({ dataset: fc.constantFrom('patients', 'labs', ''), a: value, b: value, c: value });
    fc.assert(
      fc.property(fc.array(row, { minLength: 2, maxLength: 30 }), (rows) => {
        const exact: (readonly [string, string])[] = [];
        const dedup: (readonly [string | null, string | null])[] = [];
        for (const { dataset, ...record } of rows) {
          exact.push([referenceExact(dataset, ['a', 'b', 'c'], record, null), exactKey(dataset, ['a', 'b', 'c'], record, null)]);
          dedup.push([referenceDedup(dataset, ['a', 'c'], record, ['c']), dedupKey(dataset, ['a', 'c'], record, ['c'])]);
        }
        expectSamePartition(exact);
        expectSamePartition(dedup);
      }),
      { numRuns: 300 },
    );
  });
});

describe('record keys: injectivity cases', () => {
  const one = (value: string | null | undefined, extras: Record<string, string> | null = null) =>
    exactKey('patients', ['v'], value === undefined ? {} : { v: value }, extras);

  it('tells null, empty and "null" apart, and takes a missing field as null', () => {
    expect(new Set([one(null), one(''), one('null'), one('"null"')]).size).toBe(4);
    expect(one(undefined)).toBe(one(null));
  });

  it('does not confuse a value split across fields, or moved between them', () => {
    const fields = ['a', 'b'];
    const keys = [
      exactKey('patients', fields, { a: 'a,b', b: null }),
      exactKey('patients', fields, { a: 'a', b: 'b' }),
      exactKey('patients', fields, { a: 'a', b: ',b' }),
      exactKey('patients', fields, { a: 'a,', b: 'b' }),
      exactKey('patients', fields, { a: 'ab', b: '' }),
      exactKey('patients', fields, { a: '', b: 'ab' }),
      exactKey('patients', fields, { a: null, b: 'ab' }),
      exactKey('patients', fields, { a: 'abcdef', b: 'g' }),
      exactKey('patients', fields, { a: 'abcdefg', b: '' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(exactKey('patients', ['a'], { a: 'x' })).not.toBe(exactKey('patients', ['a', 'b'], { a: 'x', b: null }));
    expect(exactKey('patients', ['a'], { a: 'x' })).not.toBe(exactKey('labs', ['a'], { a: 'x' }));
  });

  it('keeps every bit of every code unit, at every place in a block', () => {
    const units = [0, 1, 0x61, 0x62, 0x63, 0x7fff, 0x8000, 0xffff, 0xd83d, 0x583d, 0xdc00];
    const values = new Set<string>();
    for (let pad = 0; pad < 9; pad++) {
      for (const x of units) for (const y of units) values.add('p'.repeat(pad) + String.fromCharCode(x, y));
    }
    const keys = new Set([...values].map((v) => one(v)));
    expect(keys.size).toBe(values.size);
  });

  it('sorts extras by name, takes null extras as {}, and tells names from values', () => {
    expect(one('x', { B: '2', A: '1' })).toBe(one('x', { A: '1', B: '2' }));
    expect(one('x', null)).toBe(one('x', {}));
    const keys = [one('x', {}), one('x', { A: '' }), one('x', { A: '1' }), one('x', { A1: '' }), one('x', { '': 'A1' }), one('x', { A: '1', B: '' }), one('x', { B: '1' })];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('dedupKey: key names count, and an empty optional value equals a missing one but not "null"', () => {
    expect(dedupKey('patients', ['a'], { a: 'x', b: 'x' })).not.toBe(dedupKey('patients', ['b'], { a: 'x', b: 'x' }));
    expect(dedupKey('patients', ['a', 'b'], { a: 'x' }, ['b'])).toBe(dedupKey('patients', ['a', 'b'], { a: 'x', b: '' }, ['b']));
    expect(dedupKey('patients', ['a', 'b'], { a: 'x' }, ['b'])).not.toBe(dedupKey('patients', ['a', 'b'], { a: 'x', b: 'null' }, ['b']));
    expect(dedupKey('patients', ['a', 'b'], { a: 'x', b: 'y' })).not.toBe(dedupKey('patients', ['ab'], { ab: 'xy' }));
  });

  it('keys alike whatever was hashed before (the remembered prefix is per dataset and names)', () => {
    const record = { a: 'x', b: 'y' };
    const first = [exactKey('patients', ['a', 'b'], record, null), dedupKey('patients', ['a'], record)];
    exactKey('labs', ['b', 'a'], record, { Z: '1' });
    dedupKey('labs', ['b', 'a'], record);
    const names = ['a'];
    expect(dedupKey('patients', names, record)).toBe(first[1]);
    names[0] = 'b'; // the same array, changed: must not reuse the prefix of ['a']
    expect(dedupKey('patients', names, record)).toBe(dedupKey('patients', ['b'], record));
    expect(dedupKey('patients', names, record)).not.toBe(first[1]);
    expect([exactKey('patients', ['a', 'b'], record, null), dedupKey('patients', ['a'], record)]).toEqual(first);
  });
});

/** Realistic distinct patient rows: row i differs from its neighbours in one or two fields. */
function patient(i: number): StandardRecord {
  return {
    patient_id: `P${String(i).padStart(7, '0')}`,
    given_name: ['John', 'Mary', 'Ann', 'José'][i % 4]!,
    family_name: ['Doe', 'Roe', 'Smith'][i % 3]!,
    gender: i % 2 ? 'male' : 'female',
    birth_date: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    deceased_date: i % 17 ? null : '2020-01-01',
    address_line: `${i % 1000} Main St`,
    city: 'Boston',
    state: 'MA',
    postal_code: i % 5 ? '02118' : '',
    phone: `617555${String(i % 10000).padStart(4, '0')}`,
    email: null,
  };
}
const PATIENT_FIELDS = Object.keys(patient(0));

function bitCount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
}

describe('record keys: spread', () => {
  it('gives 100,000 distinct records 100,000 distinct 22-character base64url keys, bits balanced', () => {
    const keys = new Set<string>();
    const ones = new Array<number>(128).fill(0);
    const words = new Uint32Array(4);
    for (let i = 0; i < 100_000; i++) {
      const key = exactKey('patients', PATIENT_FIELDS, patient(i), null);
      if (!/^[A-Za-z0-9_-]{22}$/.test(key)) expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
      keys.add(key);
      keyWords(key, words);
      for (let b = 0; b < 128; b++) ones[b]! += (words[b >> 5]! >>> (b & 31)) & 1;
    }
    expect(keys.size).toBe(100_000);
    // Each bit is 1 for about half the keys (sd 158 of 50,000).
    for (const n of ones) expect(Math.abs(n - 50_000)).toBeLessThan(1_500);
  });

  it('changes about half of the 128 bits when one character changes (avalanche)', () => {
    const a = new Uint32Array(4);
    const b = new Uint32Array(4);
    let total = 0;
    let fewest = 128;
    const runs = 5_000;
    for (let i = 0; i < runs; i++) {
      const record = patient(i);
      const field = PATIENT_FIELDS[i % PATIENT_FIELDS.length]!;
      const value = record[field] ?? '';
      const at = i % Math.max(1, value.length);
      const changed = { ...record, [field]: value.slice(0, at) + String.fromCharCode((value.charCodeAt(at) || 64) ^ (1 << (i % 7))) + value.slice(at + 1) };
      exactKeyWords('patients', PATIENT_FIELDS, record, null, a, 0);
      exactKeyWords('patients', PATIENT_FIELDS, changed, null, b, 0);
      let flipped = 0;
      for (let w = 0; w < 4; w++) flipped += bitCount(a[w]! ^ b[w]!);
      total += flipped;
      fewest = Math.min(fewest, flipped);
    }
    expect(Math.abs(total / runs - 64)).toBeLessThan(1);
    expect(fewest).toBeGreaterThan(30);
  });
});

describe('exactKeyWords / dedupKeyWords', () => {
  it('write keyWords of the string keys at the offset, and nothing for a record without a dedup key', () => {
    const out = new Uint32Array(12).fill(7);
    for (let i = 0; i < 2_000; i++) {
      const record = { ...patient(i), patient_id: i % 10 ? `P${i}` : null };
      const extras = i % 3 ? null : { source: `s${i}` };
      exactKeyWords('patients', PATIENT_FIELDS, record, extras, out, 2);
      expect([...out.subarray(2, 6)]).toEqual([...keyWords(exactKey('patients', PATIENT_FIELDS, record, extras), new Uint32Array(4))]);
      out.fill(7, 6, 10);
      const has = dedupKeyWords('patients', ['patient_id'], record, [], out, 6);
      const key = dedupKey('patients', ['patient_id'], record);
      expect(has).toBe(key !== null);
      expect([...out.subarray(6, 10)]).toEqual(key === null ? [7, 7, 7, 7] : [...keyWords(key, new Uint32Array(4))]);
    }
    expect([out[0], out[1], out[10], out[11]]).toEqual([7, 7, 7, 7]);
  });
});

import { describe, expect, it } from 'vitest';
import { hash32, SeenHashes } from './hyperloglog.js';
import { refHash32, refValuePattern } from './profile-reference.js';
import { MAX_SHAPE_NODES, ShapeIndex, valuePattern } from './value-pattern.js';

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

/** Pieces that exercise every branch of valuePattern: runs, ASCII punctuation, other letters, surrogates. */
const PIECES = [
  'a', 'Z', 'abc', '7', '0123', ' ', '  ', '\t', '\n', '\r', '-', '.', '@', '+', '/', ':', ',', "'", '(', ')', '_', '#',
  '\u0000', '\u007f', 'é', 'Ж', '中', 'ß', '…', '°', '\u00a0', '\u2003', '😀', '𝐀', '\ud800', '\udc00', 'ǅ', '٣', 'A9',
];

function randomValue(r: ReturnType<typeof rng>): string {
  const parts = 1 + r.int(r.next() < 0.2 ? 40 : 8);
  let value = '';
  for (let i = 0; i < parts; i++) value += r.pick(PIECES);
  return value;
}

/** Values on which the index and the reference disagree (pattern or hash), with both answers. */
function disagreements(index: ShapeIndex, values: Iterable<string>) {
  const out: { value: string; got: [string, number]; want: [string, number] }[] = [];
  for (const value of values) {
    const got: [string, number] = [index.shapeAndHash(value), index.hash];
    const want: [string, number] = [refValuePattern(value), refHash32(value)];
    if (got[0] !== want[0] || got[1] !== want[1]) out.push({ value, got, want });
  }
  return out;
}

const generate = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));

describe('ShapeIndex', () => {
  it('gives valuePattern and hash32 of every value, whatever it saw before', () => {
    const r = rng(7);
    expect(disagreements(new ShapeIndex(), generate(50_000, () => randomValue(r)))).toEqual([]);
  });

  it('cuts values at the same length as valuePattern, around the limit', () => {
    const index = new ShapeIndex();
    const values: string[] = [];
    for (let n = 20; n <= 30; n++) {
      values.push('9'.repeat(n), `${'9'.repeat(n)}a`, `${'9'.repeat(n)}aaa`, `${'9-'.repeat(n)}`, `${'9'.repeat(n)}😀`, `${'9'.repeat(n - 1)}😀9`);
      values.push(`${'a9'.repeat(n / 2)}bbb`, `${'9'.repeat(n)} `, `${'9'.repeat(n)}  x`);
    }
    expect(disagreements(index, values)).toEqual([]);
    // The same values again, now on the shapes the first pass grew.
    expect(disagreements(index, values)).toEqual([]);
  });

  it('still answers right once its tree is full', () => {
    const r = rng(11);
    const index = new ShapeIndex();
    // Random digit/punctuation strings: thousands of distinct shapes, far more than the tree keeps.
    const values = generate(20_000, () => generate(1 + r.int(30), () => r.pick(['1', '-', '.', '/', 'x', ' ', '+'])).join(''));
    expect(disagreements(index, values)).toEqual([]);
    expect(index.nodeCount).toBe(MAX_SHAPE_NODES);
    expect(disagreements(index, values)).toEqual([]);
  });

  it('agrees on the empty value', () => {
    const index = new ShapeIndex();
    expect(index.shapeAndHash('')).toBe('');
    expect(index.hash).toBe(refHash32(''));
  });
});

describe('valuePattern and hash32 are unchanged', () => {
  it('match the reference copies on random values', () => {
    const r = rng(3);
    const values = generate(20_000, () => randomValue(r));
    expect(values.filter((v) => valuePattern(v) !== refValuePattern(v) || hash32(v) !== refHash32(v))).toEqual([]);
  });
});

describe('SeenHashes', () => {
  it('answers "new" exactly when the set does not hold the hash yet', () => {
    const r = rng(5);
    const seen = new SeenHashes();
    for (let round = 0; round < 50; round++) {
      const set = new Set<number>();
      // Few distinct hashes (so repeats), with 0 and the int32 edges among them.
      const pool = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, ...Array.from({ length: 1 + r.int(300) }, () => Math.floor(r.next() * 2 ** 32))];
      let wrong = 0;
      for (let i = 0; i < 2_000; i++) {
        const h = r.pick(pool);
        const expected = !set.has(h);
        if (seen.isNew(set, h) !== expected) wrong++;
        if (expected) set.add(h);
      }
      expect(wrong).toBe(0);
    }
  });

  it('says "new" again for a set it was not asked about last', () => {
    const seen = new SeenHashes();
    const a = new Set<number>();
    const b = new Set<number>();
    expect(seen.isNew(a, 42)).toBe(true);
    a.add(42);
    expect(seen.isNew(b, 42)).toBe(true);
    expect(seen.isNew(a, 42)).toBe(true); // forgot a: harmless, adding again changes nothing
  });

  it('never says "seen" for a hash it did not note, even when full', () => {
    const seen = new SeenHashes();
    const set = new Set<number>();
    let wrong = 0;
    for (let h = 1; h <= 3_000; h++) {
      if (!seen.isNew(set, h * 7919)) wrong++;
      set.add(h * 7919);
    }
    expect(wrong).toBe(0);
  });
});

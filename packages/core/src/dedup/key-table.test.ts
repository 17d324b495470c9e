import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from './key-table.js';

type Key = [number, number, number, number];
const word = fc.integer({ min: 0, max: 0xffffffff });
/** Keys from a small pool of words, so equal keys, shared slot indexes and long probe runs all happen. */
const pooledKey = fc.tuple(fc.constantFrom(0, 1, 16, 17, 0xffffffff), word, fc.constantFrom(0, 7), fc.constantFrom(0, 0x80000000));
const anyKey = fc.tuple(word, word, word, word);

describe('KeyTable', () => {
  it('answers like a Map of the same keys (first row wins), through growth, whatever the keys', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(pooledKey, anyKey), { maxLength: 400 }), fc.integer({ min: 1, max: 64 }), fc.constantFrom(16, 32, 1 << 20), (keys: Key[], initial, doublingLimit) => {
        const table = new KeyTable(initial, doublingLimit);
        const reference = new Map<string, number>();
        keys.forEach((key, row) => {
          const id = key.join(',');
          const expected = reference.get(id) ?? -1;
          expect(table.get(...key)).toBe(expected);
          expect(table.add(...key, row)).toBe(expected);
          if (expected === -1) reference.set(id, row);
          expect(table.get(...key)).toBe(reference.get(id));
        });
        expect(table.size).toBe(reference.size);
        for (const [id, row] of reference) expect(table.get(...(id.split(',').map(Number) as Key))).toBe(row);
        expect(table.size * 5).toBeLessThanOrEqual(table.capacity * 4);
      }),
      { numRuns: 300 },
    );
  });

  it('grows by doubling and keeps every key', () => {
    const table = new KeyTable(16);
    for (let i = 0; i < 5000; i++) table.add(i * 2654435761, i, ~i, i ^ 0x5555, i);
    expect(table.size).toBe(5000);
    expect(table.capacity).toBe(8192);
    expect(table.byteLength).toBe(8192 * 20);
    for (let i = 0; i < 5000; i++) expect(table.get(i * 2654435761, i, ~i, i ^ 0x5555)).toBe(i);
    expect(table.get(1, 2, 3, 4)).toBe(-1);
  });

  it('grows by half past the doubling limit, slots not a power of two, and keeps every key', () => {
    const table = new KeyTable(16, 64);
    const capacities = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      table.add(i * 2654435761, i, ~i, i ^ 0x5555, i);
      capacities.add(table.capacity);
    }
    // 16, 32, 64, then each 1.5x (rounded up to 16 slots) while 4/5 full.
    expect([...capacities].slice(0, 5)).toEqual([16, 32, 64, 96, 144]);
    expect(table.size).toBe(5000);
    expect(table.size * 5).toBeLessThanOrEqual(table.capacity * 4);
    expect(table.capacity & (table.capacity - 1)).not.toBe(0);
    expect(table.byteLength).toBe(table.capacity * 20);
    for (let i = 0; i < 5000; i++) expect(table.get(i * 2654435761, i, ~i, i ^ 0x5555)).toBe(i);
    expect(table.get(1, 2, 3, 4)).toBe(-1);
    // The largest first words land in the last slots (and wrap around to the first).
    for (let i = 0; i < 50; i++) expect(table.add(0xffffffff, i, 0, 0, 6000 + i)).toBe(-1);
    for (let i = 0; i < 50; i++) expect(table.get(0xffffffff, i, 0, 0)).toBe(6000 + i);
  });

  it('reserve makes room once, keeps the keys it held, and the table then holds that many without growing', () => {
    const table = new KeyTable(16);
    for (let i = 0; i < 10; i++) table.add(i * 2654435761, i, ~i, 7, i);
    table.reserve(5000);
    const reserved = table.capacity;
    expect(reserved % 16).toBe(0);
    expect(reserved).toBeGreaterThanOrEqual(6250);
    expect(reserved).toBeLessThan(6250 + 16);
    for (let i = 10; i < 5000; i++) table.add(i * 2654435761, i, ~i, 7, i);
    expect(table.capacity).toBe(reserved);
    for (let i = 0; i < 5000; i++) expect(table.get(i * 2654435761, i, ~i, 7)).toBe(i);
    // Smaller than the table: nothing changes; past the reservation it grows as before.
    table.reserve(100);
    expect(table.capacity).toBe(reserved);
    for (let i = 5000; i < 6000; i++) table.add(i * 2654435761, i, ~i, 7, i);
    expect(table.capacity).toBeGreaterThan(reserved);
    for (let i = 0; i < 6000; i++) expect(table.get(i * 2654435761, i, ~i, 7)).toBe(i);
  });

  it('tells keys apart by every word', () => {
    const table = new KeyTable();
    table.add(1, 2, 3, 4, 10);
    expect([table.get(9, 2, 3, 4), table.get(1, 9, 3, 4), table.get(1, 2, 9, 4), table.get(1, 2, 3, 9), table.get(1, 2, 3, 4)]).toEqual([-1, -1, -1, -1, 10]);
  });

  it('stores row 0 and refuses rows it cannot hold', () => {
    const table = new KeyTable();
    expect(table.add(5, 5, 5, 5, 0)).toBe(-1);
    expect(table.get(5, 5, 5, 5)).toBe(0);
    expect(() => table.add(6, 6, 6, 6, 0xffffffff)).toThrow(RangeError);
    expect(() => table.add(6, 6, 6, 6, -1)).toThrow(RangeError);
  });
});

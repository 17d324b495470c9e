import { describe, expect, it } from 'vitest';
import { getDataset } from '../datasets/registry.js';
import { csvCell, csvLine, csvRecordLine } from './csv-line.js';
import { referenceCsvCell, referenceCsvLine } from './csv-line.reference.js';

/** mulberry32: a small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

/** Pieces a cell is made of: formula starts, quotes, separators, line breaks, digits, non-ASCII, surrogates. */
const PIECES = [
  '=', '+', '-', '@', '\t', '\r', '\n', '\r\n', '"', '""', ',', "'", '.', ' ', '\\', '0', '7', '42', '3.14',
  '1e5', 'a', 'Boston', 'O\'Brien', 'García', '日本', '😀', '\ud800', '\udc00', '\u0000', '\u2028', '{', '}', ':',
];

/** A random cell: empty, null, a plain value, or a few pieces glued (so edge characters land first and last). */
function randomCell(next: () => number): string | null {
  const roll = next();
  if (roll < 0.08) return null;
  if (roll < 0.14) return '';
  if (roll < 0.3) return pick(next, ['+16178848300', '-71.15', '+1', '-0.5', '+.5', '-1.', '+-1', '--1', '1.2.3', '=1+1', '@SUM(A1)', '12345', '2024-03-01']);
  let cell = '';
  const parts = 1 + Math.floor(next() * 5);
  for (let i = 0; i < parts; i++) cell += pick(next, PIECES);
  return cell;
}

/** Extras as harmonizeRow and withLeftovers build them: string values, sometimes awkward keys or values. */
function randomExtras(next: () => number): Record<string, string> | null {
  const roll = next();
  if (roll < 0.3) return null;
  if (roll < 0.35) return {};
  const extras: Record<string, string> = {};
  const count = 1 + Math.floor(next() * 5);
  for (let i = 0; i < count; i++) {
    const key = pick(next, ['Encounter ID', 'Temp', 'Weight', 'age_group', 'column_17', '10', '2', 'a"b', 'back\\slash', 'tab\tkey', 'Ünïcode', '😀', '\ud800', 'toJSON', '']);
    extras[key] = next() < 0.7 ? pick(next, ['E8426881', '98.2F', '16 lb', '90+', '', '37.0°C', 'x,y', 'line\nbreak', 'say "hi"', 'back\\slash', '\u0001', '😀', '\udc00', '=cmd']) : (randomCell(next) ?? '');
  }
  return extras;
}

/** The harmonized CSV line as process-chunk built it before csvRecordLine. */
function referenceRecordLine(fieldNames: readonly string[], record: Record<string, string | null>, extras: Record<string, string> | null, row: number): string {
  return referenceCsvLine([...fieldNames.map((name) => record[name] ?? null), extras ? JSON.stringify(extras) : null, String(row)]);
}

describe('csvCell, csvLine, csvRecordLine against the reference implementation', () => {
  it('write every fuzzed cell as the reference does', () => {
    const next = random(1);
    const cells: (string | null)[] = [null, '', ...PIECES];
    for (let i = 0; i < 20_000; i++) cells.push(randomCell(next));
    for (const a of PIECES) for (const b of PIECES) cells.push(a + b, `${a}x${b}`);
    for (const cell of cells) expect(csvCell(cell), JSON.stringify(cell)).toBe(referenceCsvCell(cell));
  });

  it('write every fuzzed line as the reference does', () => {
    const next = random(2);
    expect(csvLine([])).toBe(referenceCsvLine([]));
    for (let i = 0; i < 5_000; i++) {
      const cells = Array.from({ length: Math.floor(next() * 8) }, () => randomCell(next));
      expect(csvLine(cells)).toBe(referenceCsvLine(cells));
    }
  });

  it('write every fuzzed record line, extras included, as process-chunk did', () => {
    const next = random(3);
    for (const dataset of ['patients', 'lab_results', 'claim_lines'] as const) {
      const fieldNames = getDataset(dataset).fields.map((f) => f.name);
      for (let i = 0; i < 3_000; i++) {
        const record: Record<string, string | null> = {};
        for (const name of fieldNames) record[name] = randomCell(next);
        const extras = randomExtras(next);
        const row = 1 + Math.floor(next() * 2_000_000);
        expect(csvRecordLine(fieldNames, record, extras, row)).toBe(referenceRecordLine(fieldNames, record, extras, row));
      }
    }
  });

  it('write extras that JSON.stringify treats specially as it does', () => {
    const fieldNames = ['a'];
    const withToJson = { toJSON: () => ({ replaced: 'yes' }) } as unknown as Record<string, string>;
    const inherited = Object.create({ inherited: 'no' }) as Record<string, string>;
    inherited.own = 'yes';
    const nullPrototype = Object.assign(Object.create(null) as Record<string, string>, { k: 'v' });
    const numeric = { b: '1', 10: 'ten', 2: 'two', a: '"' } as Record<string, string>;
    const notStrings = { n: 1, u: undefined, o: { x: 'y' } } as unknown as Record<string, string>;
    for (const extras of [withToJson, inherited, nullPrototype, numeric, notStrings, {}]) {
      expect(csvRecordLine(fieldNames, { a: 'x' }, extras, 1)).toBe(referenceRecordLine(fieldNames, { a: 'x' }, extras, 1));
    }
  });

  it('reads a field missing from the record as empty', () => {
    expect(csvRecordLine(['a', 'b'], { a: '=1' }, null, 7)).toBe(referenceRecordLine(['a', 'b'], { a: '=1' }, null, 7));
  });
});

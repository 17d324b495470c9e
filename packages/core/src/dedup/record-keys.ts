import * as crypto from 'node:crypto';
import type { StandardRecord } from '../datasets/dataset-definition.js';
import { keyString } from './key-bits.js';

/**
 * 128 bits of SHA-256 over a JSON serialization, base64url (22 chars): collisions are
 * negligible at any file size. Kept for the version group (record-version.ts), which the report
 * prints: exactKey and dedupKey, hashed per row, use the cheaper hash below.
 */
export function hashKey(parts: unknown): string {
  const data = JSON.stringify(parts);
  const digest = oneShot ? oneShot('sha256', data, 'base64url') : crypto.createHash('sha256').update(data).digest('base64url');
  return digest.slice(0, 22);
}

/** crypto.hash (Node >= 20.12) skips the Hash object: noticeably faster on short inputs. */
const oneShot: typeof crypto.hash | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;

/*
 * Record keys: a 128-bit non-cryptographic hash, fed the parts of the key directly.
 *
 * Why not SHA-256: per row it took two JSON.stringify calls, two native calls and two base64
 * strings (~7% of a pool thread). The keys only have to tell records apart within one file:
 * the input is not adversarial (a user could only collide rows of their own file), so 128
 * well-mixed bits are enough. For n distinct rows the chance of any collision is about
 * n^2 / 2^129: 1.5e-21 for 10^9 rows.
 *
 * Encoding (injective, so equal keys mean equal parts up to a hash collision): the stream is a
 * sequence of 16-byte blocks, and every part starts a new block. A value part's first word is
 * 0 for null, else its length + 1 (so null, '' and 'null' differ), followed by its UTF-16 code
 * units two per word, zero-padded to the block's end; a count part is one block [n, 0, 0, 0].
 * Since each part's length is in its first word, the blocks decode back to the parts, and
 * ['a,b'] and ['a', 'b'] are different streams. The mixing is MurmurHash3 x86_128's block step
 * and finalization (four 32-bit lanes, Math.imul), over 32-bit words instead of bytes.
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789 | 0;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93 | 0;

/** Exact and dedup keys live in separate tables; distinct seeds keep them apart anyway. */
const EXACT_SEED = 0x6a09e667;
const DEDUP_SEED = 0xbb67ae85 | 0;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Code units i and i+1 of s as one word (0 past the end). */
function pair(s: string, i: number, n: number): number {
  if (i + 1 < n) return s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
  return i < n ? s.charCodeAt(i) : 0;
}

/**
 * The hash state between parts: h1..h4 and the block count, in an Int32Array rather than object
 * fields (hash words outside the small-integer range would make those fields boxed doubles).
 * One state for the module: hashing is synchronous, and every key starts it afresh.
 */
const state = new Int32Array(5);

function start(seed: number): void {
  state.fill(seed, 0, 4);
  state[4] = 0;
}

/** A string (length + 1, then its code units) or null (0), padded to whole blocks. */
function hashValue(s: string | null): void {
  if (s === null) absorb(0, '', 0);
  else absorb(s.length + 1, s, s.length);
}

/** How many parts follow (a list's length), as one block. */
function hashCount(n: number): void {
  absorb(n, '', 0);
}

/**
 * Mixes the blocks of one part: `first` word, then code units 0..n-1 of s two per word, zeros
 * to the end of the last block. The state stays in locals for the whole part.
 */
function absorb(first: number, s: string, n: number): void {
  let h1 = state[0]!;
  let h2 = state[1]!;
  let h3 = state[2]!;
  let h4 = state[3]!;
  let blocks = state[4]!;
  // i: the code unit of this block's first word; -2 in the first block, whose first word is `first`.
  let i = -2;
  do {
    const k1 = i < 0 ? first : pair(s, i, n);
    const k2 = pair(s, i + 2, n);
    const k3 = pair(s, i + 4, n);
    const k4 = pair(s, i + 6, n);
    h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    h4 ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
    blocks++;
    i += 8;
  } while (i < n);
  state[0] = h1;
  state[1] = h2;
  state[2] = h3;
  state[3] = h4;
  state[4] = blocks;
}

/** Writes the 128 bits of the state to out[at..at+3]. */
function finish(out: Uint32Array, at: number): void {
  const length = Math.imul(state[4]!, 16);
  let h1 = state[0]! ^ length;
  let h2 = state[1]! ^ length;
  let h3 = state[2]! ^ length;
  let h4 = state[3]! ^ length;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  out[at] = h1;
  out[at + 1] = h2 + h1;
  out[at + 2] = h3 + h1;
  out[at + 3] = h4 + h1;
}

/**
 * The state after a key's constant prefix (dataset, list length, and a dedup key's names), kept for
 * the last (dataset, names) seen: every row of a chunk shares it, and for a one-field dedup key
 * it is most of the work. Names are compared by value, so a caller reusing an array is safe.
 */
class Prefix {
  dataset: string | null = null;
  names: string[] = [];
  readonly state = new Int32Array(5);

  matches(dataset: string, names: readonly string[]): boolean {
    if (this.dataset !== dataset || this.names.length !== names.length) return false;
    for (let i = 0; i < names.length; i++) if (this.names[i] !== names[i]) return false;
    return true;
  }

  remember(dataset: string, names: readonly string[]): void {
    this.dataset = dataset;
    this.names = [...names];
    this.state.set(state);
  }
}

const exactPrefix = new Prefix();
const dedupPrefix = new Prefix();
const scratch = new Uint32Array(4);

/** Starts a key: restores the prefix state, or hashes seed, dataset, count (and names) and keeps it. */
function startKey(prefix: Prefix, seed: number, dataset: string, names: readonly string[], hashNames: boolean): void {
  if (prefix.matches(dataset, names)) {
    state.set(prefix.state);
    return;
  }
  start(seed);
  hashValue(dataset);
  hashCount(names.length);
  if (hashNames) for (const name of names) hashValue(name);
  prefix.remember(dataset, names);
}

/**
 * The names in default sort order (UTF-16 code units), sorted in place. A row has a few extras:
 * an insertion sort allocates nothing, where Array.prototype.sort allocates ~800 bytes a call.
 */
function sortNames(names: string[]): string[] {
  if (names.length > 16) return names.sort();
  for (let i = 1; i < names.length; i++) {
    const name = names[i]!;
    let j = i - 1;
    while (j >= 0 && names[j]! > name) {
      names[j + 1] = names[j]!;
      j--;
    }
    names[j + 1] = name;
  }
  return names;
}

/**
 * exactKey as four words at out[at..at+3] (keyWords of exactKey), without the string.
 * Hashes [dataset, the fields' values (missing = null), extras sorted by name].
 */
export function exactKeyWords(
  dataset: string,
  fields: readonly string[],
  record: StandardRecord,
  extras: Readonly<Record<string, string>> | null,
  out: Uint32Array,
  at: number,
): void {
  startKey(exactPrefix, EXACT_SEED, dataset, fields, false);
  for (let i = 0; i < fields.length; i++) hashValue(record[fields[i]!] ?? null);
  if (!extras) hashCount(0);
  else {
    // UTF-16 code unit order (the default sort's, as the JSON-era key sorted the entries).
    const names = sortNames(Object.keys(extras));
    hashCount(names.length);
    for (const name of names) {
      hashValue(name);
      hashValue(extras[name] ?? null);
    }
  }
  finish(out, at);
}

/** Equal for records whose standardized fields and extras are all equal (the source row aside). */
export function exactKey(
  dataset: string,
  fields: readonly string[],
  record: StandardRecord,
  extras: Readonly<Record<string, string>> | null,
): string {
  exactKeyWords(dataset, fields, record, extras, scratch, 0);
  return keyString(scratch, 0);
}

/**
 * dedupKey as four words at out[at..at+3] (keyWords of dedupKey); false, with out untouched,
 * when the record has no dedup key. Hashes [dataset, key names, values (empty optional = null)].
 */
export function dedupKeyWords(
  dataset: string,
  keys: readonly string[],
  record: StandardRecord,
  optional: readonly string[],
  out: Uint32Array,
  at: number,
): boolean {
  for (let i = 0; i < keys.length; i++) {
    const value = record[keys[i]!];
    if ((value == null || value === '') && !optional.includes(keys[i]!)) return false;
  }
  startKey(dedupPrefix, DEDUP_SEED, dataset, keys, true);
  for (let i = 0; i < keys.length; i++) {
    const value = record[keys[i]!];
    hashValue(value == null || value === '' ? null : value);
  }
  finish(out, at);
  return true;
}

/**
 * Hash of the key fields' values, or null when any is empty: such rows are never merged by key.
 * Fields in `optional` (DatasetDefinition.optionalKeyFields) may be empty: an empty one counts
 * as a value, so a lab row without an organism still has a key, and differs from one with it.
 */
export function dedupKey(dataset: string, keys: readonly string[], record: StandardRecord, optional: readonly string[] = []): string | null {
  return dedupKeyWords(dataset, keys, record, optional, scratch, 0) ? keyString(scratch, 0) : null;
}

/**
 * HyperLogLog distinct counting (Flajolet et al. 2007) with 2^10 one-byte registers: about 3%
 * standard error, exact-ish below a few hundred values (linear counting), 1 KB per field.
 * Registers merge by element-wise max, so chunks can be counted in any thread.
 */
export const HLL_BITS = 10;
const M = 1 << HLL_BITS;
const ALPHA = 0.7213 / (1 + 1.079 / M);

export function createHll(): Uint8Array {
  return new Uint8Array(M);
}

/** hash32 in steps (seed, one step per code unit, finish), for a caller that reads the code units anyway. */
export const HASH_SEED = 0x9747b28c;

/** MurmurHash3-style 32-bit hash over UTF-16 code units, with the final avalanche mix. */
export function hash32(value: string): number {
  let h = HASH_SEED;
  for (let i = 0; i < value.length; i++) h = hashUnit(h, value.charCodeAt(i));
  return finishHash(h, value.length);
}

export function hashUnit(h: number, code: number): number {
  let k = Math.imul(code, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

export function finishHash(h: number, length: number): number {
  h ^= length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Distinct values counted exactly (by 32-bit hash) before relying on the estimate alone. */
export const EXACT_DISTINCT_CAP = 256;

const SEEN_SLOTS = 1024;
/** Past this many hashes (only a set that is never given up gets there) the table stops answering "seen". */
const SEEN_MAX = 768;

/**
 * Which hashes a field's exact set (FieldProfile.small) already holds, in a flat table: asking
 * allocates nothing, where Set.add boxes most 32-bit hashes (they are above V8's small-integer
 * range) on every call. Only new hashes reach the set, at most EXACT_DISTINCT_CAP + 1 per set.
 * It answers for one set at a time, the last one asked about; nothing is ever removed from a set.
 */
export class SeenHashes {
  private readonly slots = new Int32Array(SEEN_SLOTS);
  /** 0 marks an empty slot, so a hash of 0 is noted here. */
  private zero = false;
  private size = 0;
  private owner: Set<number> | undefined;

  /** False when `h` was already added to `set` (after a true answer for it). */
  isNew(set: Set<number>, h: number): boolean {
    if (set !== this.owner) this.reset(set);
    const key = h | 0;
    if (key === 0) {
      const seen = this.zero;
      this.zero = true;
      return !seen;
    }
    if (this.size >= SEEN_MAX) return true;
    const slots = this.slots;
    for (let j = key & (SEEN_SLOTS - 1); ; j = (j + 1) & (SEEN_SLOTS - 1)) {
      const slot = slots[j];
      if (slot === key) return false;
      if (slot === 0) {
        slots[j] = key;
        this.size++;
        return true;
      }
    }
  }

  private reset(set: Set<number>): void {
    this.slots.fill(0);
    this.zero = false;
    this.size = 0;
    this.owner = set;
  }
}

export function addToHll(registers: Uint8Array, value: string, h = hash32(value)): void {
  const index = h >>> (32 - HLL_BITS);
  const rest = (h << HLL_BITS) >>> 0;
  const rank = rest === 0 ? 32 - HLL_BITS + 1 : Math.clz32(rest) + 1;
  if (rank > (registers[index] ?? 0)) registers[index] = rank;
}

/** Element-wise max into a new register set; neither input changes. */
export function mergeHll(a: Uint8Array, b: Uint8Array): Uint8Array {
  return mergeHllInto(a.slice(), b);
}

/** Element-wise max written into `into` (returned); b does not change. */
export function mergeHllInto(into: Uint8Array, b: Uint8Array): Uint8Array {
  for (let i = 0; i < M; i++) if ((b[i] ?? 0) > (into[i] ?? 0)) into[i] = b[i] ?? 0;
  return into;
}

export function estimateHll(registers: Uint8Array): number {
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < M; i++) {
    const r = registers[i] ?? 0;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const raw = (ALPHA * M * M) / sum;
  if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
  return Math.round(raw);
}

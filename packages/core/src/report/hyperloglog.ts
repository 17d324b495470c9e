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

/** MurmurHash3-style 32-bit hash over UTF-16 code units, with the final avalanche mix. */
export function hash32(value: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < value.length; i++) {
    let k = Math.imul(value.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  h ^= value.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Distinct values counted exactly (by 32-bit hash) before relying on the estimate alone. */
export const EXACT_DISTINCT_CAP = 256;

export function addToHll(registers: Uint8Array, value: string, h = hash32(value)): void {
  const index = h >>> (32 - HLL_BITS);
  const rest = (h << HLL_BITS) >>> 0;
  const rank = rest === 0 ? 32 - HLL_BITS + 1 : Math.clz32(rest) + 1;
  if (rank > (registers[index] ?? 0)) registers[index] = rank;
}

/** Element-wise max into a new register set; neither input changes. */
export function mergeHll(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(M);
  for (let i = 0; i < M; i++) out[i] = Math.max(a[i] ?? 0, b[i] ?? 0);
  return out;
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

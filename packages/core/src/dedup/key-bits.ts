import * as crypto from 'node:crypto';

/** base64url character code -> its 6 bits, -1 for anything else. */
const SEXTET = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

/** base64url character codes by their 6 bits. */
const CHAR_CODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));

/**
 * Characters of a record key: 22 base64url characters. hashKey's (SHA-256, record-keys.ts) carry
 * 132 bits, of which keyWords keeps 128; exactKey's and dedupKey's are keyString of 128 bits.
 */
export const HASH_KEY_LENGTH = 22;

/**
 * The 128 key bits of a record key, as four 32-bit words written to `out` (no allocation): the
 * first 128 of the 132 bits of a hashKey string, 30 bits from each run of five characters plus
 * the two characters left spread over the top bits. Any other string (the Deduplicator takes
 * strings) is hashed with SHA-256 to 128 bits instead, so it still gets a fixed-size key.
 */
export function keyWords(key: string, out: Uint32Array): Uint32Array {
  if (key.length === HASH_KEY_LENGTH && decodeHashKey(key, out)) return out;
  const digest = crypto.createHash('sha256').update(key).digest();
  out[0] = digest.readUInt32LE(0);
  out[1] = digest.readUInt32LE(4);
  out[2] = digest.readUInt32LE(8);
  out[3] = digest.readUInt32LE(12);
  return out;
}

/** The 6 bits of the character at `i`, or -1 when it is not base64url. */
function sextet(key: string, i: number): number {
  const code = key.charCodeAt(i);
  return code < 128 ? SEXTET[code]! : -1;
}

/** 30 bits from five characters, or -1 when one is not base64url. */
function fiveSextets(key: string, from: number): number {
  const a = sextet(key, from);
  const b = sextet(key, from + 1);
  const c = sextet(key, from + 2);
  const d = sextet(key, from + 3);
  const e = sextet(key, from + 4);
  if ((a | b | c | d | e) < 0) return -1;
  return (a << 24) | (b << 18) | (c << 12) | (d << 6) | e;
}

/**
 * The 22-character key whose keyWords are words[at..at+3]: the inverse of the decoding below, so
 * a key made from words and the words themselves always dedup alike. Character 21 carries only
 * two bits (one of A, Q, g, w).
 */
export function keyString(words: Uint32Array, at: number): string {
  const w0 = words[at]!;
  const w1 = words[at + 1]!;
  const w2 = words[at + 2]!;
  const w3 = words[at + 3]!;
  return String.fromCharCode(
    CHAR_CODE[(w0 >>> 24) & 63]!, CHAR_CODE[(w0 >>> 18) & 63]!, CHAR_CODE[(w0 >>> 12) & 63]!, CHAR_CODE[(w0 >>> 6) & 63]!, CHAR_CODE[w0 & 63]!,
    CHAR_CODE[(w1 >>> 24) & 63]!, CHAR_CODE[(w1 >>> 18) & 63]!, CHAR_CODE[(w1 >>> 12) & 63]!, CHAR_CODE[(w1 >>> 6) & 63]!, CHAR_CODE[w1 & 63]!,
    CHAR_CODE[(w2 >>> 24) & 63]!, CHAR_CODE[(w2 >>> 18) & 63]!, CHAR_CODE[(w2 >>> 12) & 63]!, CHAR_CODE[(w2 >>> 6) & 63]!, CHAR_CODE[w2 & 63]!,
    CHAR_CODE[(w3 >>> 24) & 63]!, CHAR_CODE[(w3 >>> 18) & 63]!, CHAR_CODE[(w3 >>> 12) & 63]!, CHAR_CODE[(w3 >>> 6) & 63]!, CHAR_CODE[w3 & 63]!,
    CHAR_CODE[(w0 >>> 30) | ((w1 >>> 30) << 2) | ((w2 >>> 30) << 4)]!,
    CHAR_CODE[(w3 >>> 30) << 4]!,
  );
}

function decodeHashKey(key: string, out: Uint32Array): boolean {
  const w0 = fiveSextets(key, 0);
  const w1 = fiveSextets(key, 5);
  const w2 = fiveSextets(key, 10);
  const w3 = fiveSextets(key, 15);
  const c20 = sextet(key, 20);
  const c21 = sextet(key, 21);
  if ((w0 | w1 | w2 | w3 | c20 | c21) < 0) return false;
  // Words 0-2 take two bits of character 20 each, word 3 the top two bits of character 21
  // (its low four bits are the hash's 129th-132nd, left out).
  out[0] = (w0 | ((c20 & 3) << 30)) >>> 0;
  out[1] = (w1 | (((c20 >> 2) & 3) << 30)) >>> 0;
  out[2] = (w2 | (((c20 >> 4) & 3) << 30)) >>> 0;
  out[3] = (w3 | ((c21 >> 4) << 30)) >>> 0;
  return true;
}

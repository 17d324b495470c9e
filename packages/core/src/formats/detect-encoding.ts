import { InputError } from '../input-error.js';

/**
 * How the bytes are turned into text. 'utf-8' covers Windows-1252 / Latin-1 as well: the UTF-8
 * decoder reads bytes that are not valid UTF-8 as Windows-1252 and says afterwards which of the
 * two (or both) the file turned out to be.
 */
export const BYTE_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be'] as const;
export type ByteEncoding = (typeof BYTE_ENCODINGS)[number];

/** Bytes looked at for the NUL pattern of UTF-16 without a byte order mark. */
const SAMPLE_BYTES = 4096;

/**
 * Picks the decoder from the first bytes: a byte order mark decides; without one, UTF-16 shows as
 * a NUL in most odd (LE) or even (BE) positions of mostly-ASCII text. UTF-32 is refused.
 */
export function detectEncoding(head: Uint8Array): ByteEncoding {
  const [b0, b1, b2, b3] = head;
  if (
    (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) ||
    (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)
  ) {
    throw new InputError('input.unsupported_format', 'The file is UTF-32 encoded: save it as UTF-8 (or UTF-16).');
  }
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8';
  const pairs = Math.floor(Math.min(head.length, SAMPLE_BYTES) / 2);
  if (pairs < 2) return 'utf-8';
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.4 && evenNul <= pairs * 0.05) return 'utf-16le';
  if (evenNul >= pairs * 0.4 && oddNul <= pairs * 0.05) return 'utf-16be';
  return 'utf-8';
}

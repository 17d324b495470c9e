import iconv from 'iconv-lite';
import type { ByteEncoding } from './detect-encoding.js';
import { completeLength, utf8SequenceLength } from './utf8-sequence.js';

/** What the text turned out to be, known once all of it went through the decoder. */
export const TEXT_ENCODINGS = ['utf-8', 'windows-1252', 'utf-8+windows-1252', 'utf-16le', 'utf-16be'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

export interface DecodeStats {
  encoding: TextEncoding;
  /** Bytes that were not valid UTF-8 and were read as Windows-1252 (0 for UTF-16). */
  fallbackBytes: number;
  /** Some bytes were a well-formed multi-byte UTF-8 sequence (false for UTF-16). */
  multiByte: boolean;
}

/** The stats of text decoded in parts (the chunks of a file, each decoded by a pool thread). */
export function combineDecodeStats(a: DecodeStats, b: DecodeStats): DecodeStats {
  return utf8Stats(a.fallbackBytes + b.fallbackBytes, a.multiByte || b.multiByte);
}

const utf8Stats = (fallbackBytes: number, multiByte: boolean): DecodeStats => ({
  encoding: fallbackBytes === 0 ? 'utf-8' : multiByte ? 'utf-8+windows-1252' : 'windows-1252',
  fallbackBytes,
  multiByte,
});

export interface StreamTextDecoder {
  /** Decodes the next bytes; a character cut by the end of `bytes` waits for the next call. */
  write(bytes: Uint8Array): string;
  /** Whatever was held back (decoded as Windows-1252 if it never completed). */
  end(): string;
  stats(): DecodeStats;
}

/** Windows-1252 decoding of every byte value, built once (iconv-lite knows the 0x80-0x9F block). */
const CP1252 = iconv.decode(Uint8Array.from({ length: 256 }, (_, i) => i), 'win1252');

/**
 * A streaming decoder. UTF-16 goes through iconv-lite. 'utf-8' reads well-formed UTF-8 as such
 * and any byte that is not (Windows-1252 / Latin-1 text, or a file where the two were pasted
 * together) as Windows-1252, so nothing is replaced by U+FFFD and nothing is garbled silently:
 * stats() tells a pure UTF-8 file from a Windows-1252 one (no valid multi-byte sequence at all)
 * and from a mixed one, with the count of bytes read as Windows-1252. Well-formed buffers take a
 * fast path through the platform decoder; only buffers with bad bytes are walked byte by byte.
 */
export function createTextDecoder(encoding: ByteEncoding): StreamTextDecoder {
  if (encoding !== 'utf-8') {
    const decoder = iconv.getDecoder(encoding === 'utf-16le' ? 'utf16le' : 'utf16be', { stripBOM: false });
    return {
      write: (bytes) => decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
      end: () => decoder.end() ?? '',
      stats: () => ({ encoding, fallbackBytes: 0, multiByte: false }),
    };
  }
  let carry: Uint8Array = new Uint8Array(0);
  let multiByte = false;
  let fallbackBytes = 0;
  const decode = (bytes: Uint8Array): string => {
    const { text, stats } = decodeUtf8(bytes);
    multiByte ||= stats.multiByte;
    fallbackBytes += stats.fallbackBytes;
    return text;
  };

  return {
    write(bytes) {
      const data = carry.length === 0 ? bytes : concat(carry, bytes);
      const end = completeLength(data);
      carry = data.slice(end);
      return decode(data.subarray(0, end));
    },
    end() {
      const rest = carry;
      carry = new Uint8Array(0);
      return rest.length === 0 ? '' : decode(rest);
    },
    stats: () => utf8Stats(fallbackBytes, multiByte),
  };
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Decodes bytes that hold whole characters (a sequence cut by the end is read as Windows-1252,
 * as the stream decoder's end() does) the way the 'utf-8' stream decoder does: well-formed
 * UTF-8 as such, any other byte as Windows-1252. A pool thread decodes its chunk with this (a
 * chunk ends after a line feed, so no character is cut), and the main thread adds up the stats.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string; stats: DecodeStats } {
  try {
    const text = strict.decode(bytes);
    return { text, stats: utf8Stats(0, text.length !== bytes.length) };
  } catch {
    return walk(bytes);
  }
}

/** Byte by byte: runs of well-formed UTF-8 through the platform decoder, other bytes as Windows-1252. */
function walk(bytes: Uint8Array): { text: string; stats: DecodeStats } {
  const parts: string[] = [];
  let multiByte = false;
  let fallbackBytes = 0;
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i] ?? 0;
    if (byte < 0x80) {
      i++;
      continue;
    }
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      multiByte = true;
      i += length;
      continue;
    }
    if (i > runStart) parts.push(lenient.decode(bytes.subarray(runStart, i)));
    parts.push(CP1252.charAt(byte));
    fallbackBytes++;
    i++;
    runStart = i;
  }
  if (i > runStart) parts.push(lenient.decode(bytes.subarray(runStart, i)));
  return { text: parts.join(''), stats: utf8Stats(fallbackBytes, multiByte) };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

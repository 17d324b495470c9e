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
}

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
      stats: () => ({ encoding, fallbackBytes: 0 }),
    };
  }
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  let carry: Uint8Array = new Uint8Array(0);
  let multiByte = false;
  let fallbackBytes = 0;

  const walk = (bytes: Uint8Array): string => {
    const parts: string[] = [];
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
    return parts.join('');
  };

  return {
    write(bytes) {
      const data = carry.length === 0 ? bytes : concat(carry, bytes);
      const end = completeLength(data);
      carry = data.slice(end);
      const body = data.subarray(0, end);
      try {
        const text = strict.decode(body);
        if (!multiByte && text.length !== body.length) multiByte = true;
        return text;
      } catch {
        return walk(body);
      }
    },
    end() {
      const rest = carry;
      carry = new Uint8Array(0);
      return rest.length === 0 ? '' : walk(rest);
    },
    stats() {
      const kind: TextEncoding = fallbackBytes === 0 ? 'utf-8' : multiByte ? 'utf-8+windows-1252' : 'windows-1252';
      return { encoding: kind, fallbackBytes };
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const inRange = (byte: number | undefined, low: number, high: number) => byte !== undefined && byte >= low && byte <= high;

/**
 * Length of the well-formed UTF-8 sequence of 2 to 4 bytes starting at `i` (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0 when the bytes there are not one.
 */
export function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] ?? 0;
  const next = bytes[i + 1];
  const cont = (k: number) => inRange(bytes[i + k], 0x80, 0xbf);
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead === 0xe0) return inRange(next, 0xa0, 0xbf) && cont(2) ? 3 : 0;
  if (lead === 0xed) return inRange(next, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (lead >= 0xe1 && lead <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (lead === 0xf0) return inRange(next, 0x90, 0xbf) && cont(2) && cont(3) ? 4 : 0;
  if (lead >= 0xf1 && lead <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (lead === 0xf4) return inRange(next, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Bytes a sequence starting with this lead byte needs, or 0 for a byte that cannot lead one. */
function expectedLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Where the bytes end once a multi-byte sequence cut off by the end of the buffer is set aside
 * for the next buffer: `bytes.length`, or the index of the cut sequence's lead byte.
 */
export function completeLength(bytes: Uint8Array): number {
  const len = bytes.length;
  for (let back = 1; back <= 3 && back <= len; back++) {
    const byte = bytes[len - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const needed = expectedLength(byte);
    return needed > back ? len - back : len;
  }
  return len;
}

import { hkdfSync } from 'node:crypto';

/**
 * The HZE1 object format: a header, then records of at most `chunkSize` plaintext bytes.
 *
 *   header  = "HZE1" | chunkSize u32 BE | keyIdLength u8 | keyId (ASCII) | salt (32 bytes)
 *   record  = length u32 BE (top bit: final record) | ciphertext (length bytes) | GCM tag (16)
 *
 * Each object gets its own AES-256-GCM key, HKDF-SHA256(master key, salt): nonces then only need
 * to be unique within one object, so the record index is the nonce and no number of objects can
 * wear out a master key. Every record's AAD is the whole header plus its final flag, so changing
 * the key id, salt or chunk size, moving records, dropping the tail or appending after the final
 * record all fail authentication. Every record but the final one holds exactly chunkSize bytes,
 * which makes the plaintext size computable from the stored size.
 */
export const MAGIC = Buffer.from('HZE1', 'ascii');
export const CHUNK_SIZE = 64 * 1024;
/** A header can claim any chunk size; reading refuses larger ones so a forged header cannot make it buffer much. */
export const MAX_CHUNK_SIZE = 1024 * 1024;
export const SALT_BYTES = 32;
export const TAG_BYTES = 16;
export const LENGTH_BYTES = 4;
export const RECORD_OVERHEAD = LENGTH_BYTES + TAG_BYTES;
export const FINAL_FLAG = 0x8000_0000;
const FIXED_HEADER_BYTES = MAGIC.length + 4 + 1;
const INFO = Buffer.from('harmonizer HZE1 object key', 'ascii');

export interface ObjectHeader {
  /** The header exactly as stored: part of every record's AAD. */
  bytes: Buffer;
  chunkSize: number;
  keyId: string;
  salt: Buffer;
}

export function encodeHeader(keyId: string, salt: Buffer, chunkSize = CHUNK_SIZE): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  const fixed = Buffer.alloc(FIXED_HEADER_BYTES);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt32BE(chunkSize, MAGIC.length);
  fixed.writeUInt8(id.length, MAGIC.length + 4);
  return Buffer.concat([fixed, id, salt]);
}

/**
 * Reads the header from the start of an object: null while more bytes are needed, a string
 * saying what is wrong when it can never be a header.
 */
export function parseHeader(start: Buffer): ObjectHeader | null | string {
  const magicPart = start.subarray(0, MAGIC.length);
  if (!magicPart.equals(MAGIC.subarray(0, magicPart.length))) return 'not an encrypted object';
  if (start.length < FIXED_HEADER_BYTES) return null;
  const chunkSize = start.readUInt32BE(MAGIC.length);
  const idLength = start.readUInt8(MAGIC.length + 4);
  if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) return 'bad chunk size in header';
  if (idLength < 1) return 'empty key id in header';
  const total = FIXED_HEADER_BYTES + idLength + SALT_BYTES;
  if (start.length < total) return null;
  return {
    bytes: Buffer.from(start.subarray(0, total)),
    chunkSize,
    keyId: start.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + idLength).toString('ascii'),
    salt: Buffer.from(start.subarray(total - SALT_BYTES, total)),
  };
}

export function objectKey(masterKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, salt, INFO, 32));
}

/** 96-bit GCM nonce: the record index, big-endian. */
export function recordNonce(index: number): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  return nonce;
}

export function recordAad(header: Buffer, final: boolean): Buffer {
  return Buffer.concat([header, Buffer.from([final ? 1 : 0])]);
}

/**
 * Plaintext size of an object from its stored size. Every record but the last is full and each
 * costs RECORD_OVERHEAD; null when the stored size cannot come from this framing (cut short).
 */
export function plaintextSize(storedSize: number, header: ObjectHeader): number | null {
  const body = storedSize - header.bytes.length;
  const fullRecord = header.chunkSize + RECORD_OVERHEAD;
  if (body < RECORD_OVERHEAD) return null;
  const records = Math.ceil(body / fullRecord);
  const last = body - (records - 1) * fullRecord - RECORD_OVERHEAD;
  return last < 0 ? null : (records - 1) * header.chunkSize + last;
}

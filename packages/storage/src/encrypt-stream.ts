import { createCipheriv, randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import {
  CHUNK_SIZE,
  FINAL_FLAG,
  LENGTH_BYTES,
  SALT_BYTES,
  encodeHeader,
  objectKey,
  recordAad,
  recordNonce,
} from './encrypted-format.js';
import type { EncryptionKey } from './encryption-keys.js';

/** One object's header and the function that seals its records in order (the index is the nonce). */
function createSealer(master: EncryptionKey, chunkSize: number, salt: Buffer) {
  const header = encodeHeader(master.id, salt, chunkSize);
  const key = objectKey(master.key, header.subarray(header.length - SALT_BYTES));
  const aad = [recordAad(header, false), recordAad(header, true)] as const;
  let index = 0;
  const seal = (plain: Uint8Array, final: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, recordNonce(index++));
    cipher.setAAD(aad[final ? 1 : 0]);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const length = Buffer.alloc(LENGTH_BYTES);
    length.writeUInt32BE((plain.length | (final ? FINAL_FLAG : 0)) >>> 0);
    return Buffer.concat([length, body, cipher.getAuthTag()]);
  };
  return { header, seal };
}

/**
 * Plaintext in, one HZE1 object out (see encrypted-format.ts). Memory stays at about one chunk
 * whatever the object's size: a full chunk is sealed as soon as a byte beyond it arrives (only
 * then is it known not to be the final one), and the rest is sealed as the final record at end.
 * `salt` is the object's (random unless a test fixes it).
 */
export function createEncryptStream(master: EncryptionKey, chunkSize = CHUNK_SIZE, salt = randomBytes(SALT_BYTES)): Transform {
  const { header, seal } = createSealer(master, chunkSize, salt);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let started = false;

  return new Transform({
    transform(chunk: Buffer | string, encoding, callback) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      if (!started) {
        started = true;
        this.push(header);
      }
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes > chunkSize) {
        let all = Buffer.concat(pending, pendingBytes);
        while (all.length > chunkSize) {
          this.push(seal(all.subarray(0, chunkSize), false));
          all = all.subarray(chunkSize);
        }
        pending = [all];
        pendingBytes = all.length;
      }
      callback();
    },
    flush(callback) {
      if (!started) this.push(header);
      callback(null, seal(Buffer.concat(pending, pendingBytes), true));
    },
  });
}

/**
 * The HZE1 object of a plaintext held whole, in one buffer: the same bytes createEncryptStream
 * gives for it with the same salt (full records while more than a chunk is left, then the rest,
 * possibly empty, as the final record), without a stream.
 */
export function encryptBytes(master: EncryptionKey, plain: Uint8Array, chunkSize = CHUNK_SIZE, salt = randomBytes(SALT_BYTES)): Buffer {
  const { header, seal } = createSealer(master, chunkSize, salt);
  const parts = [header];
  let offset = 0;
  for (; plain.length - offset > chunkSize; offset += chunkSize) parts.push(seal(plain.subarray(offset, offset + chunkSize), false));
  parts.push(seal(plain.subarray(offset), true));
  return Buffer.concat(parts);
}

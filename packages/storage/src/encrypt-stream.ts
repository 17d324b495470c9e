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

/**
 * Plaintext in, one HZE1 object out (see encrypted-format.ts). Memory stays at about one chunk
 * whatever the object's size: a full chunk is sealed as soon as a byte beyond it arrives (only
 * then is it known not to be the final one), and the rest is sealed as the final record at end.
 */
export function createEncryptStream(master: EncryptionKey, chunkSize = CHUNK_SIZE): Transform {
  const header = encodeHeader(master.id, randomBytes(SALT_BYTES), chunkSize);
  const key = objectKey(master.key, header.subarray(header.length - SALT_BYTES));
  const aad = [recordAad(header, false), recordAad(header, true)] as const;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  let started = false;

  const seal = (plain: Buffer, final: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, recordNonce(index++));
    cipher.setAAD(aad[final ? 1 : 0]);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const length = Buffer.alloc(LENGTH_BYTES);
    length.writeUInt32BE((plain.length | (final ? FINAL_FLAG : 0)) >>> 0);
    return Buffer.concat([length, body, cipher.getAuthTag()]);
  };

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

import { createDecipheriv } from 'node:crypto';
import { Transform } from 'node:stream';
import {
  FINAL_FLAG,
  LENGTH_BYTES,
  TAG_BYTES,
  objectKey,
  parseHeader,
  recordAad,
  recordNonce,
  type ObjectHeader,
} from './encrypted-format.js';
import { ObjectTamperedError, UnknownEncryptionKeyError } from './encryption-errors.js';

/**
 * One HZE1 object in, its plaintext out. A record's plaintext is passed on only after its tag
 * verified, so a reader never sees a byte that was not written by us; an object that ends
 * before its final record, or goes on after it, fails with ObjectTamperedError.
 */
export function createDecryptStream(keys: ReadonlyMap<string, Buffer>, storageKey: string): Transform {
  let buffered: Buffer = Buffer.alloc(0);
  let header: ObjectHeader | null = null;
  let key: Buffer | null = null;
  let aad: readonly [Buffer, Buffer] | null = null;
  let index = 0;
  let finished = false;
  const tampered = (reason: string) => new ObjectTamperedError(storageKey, reason);

  /** Consumes whole records from `buffered`; returns plaintexts, or throws. */
  function open(): Buffer[] {
    const out: Buffer[] = [];
    if (!header) {
      const parsed = parseHeader(buffered);
      if (parsed === null) return out;
      if (typeof parsed === 'string') throw tampered(parsed);
      const master = keys.get(parsed.keyId);
      if (!master) throw new UnknownEncryptionKeyError(storageKey, parsed.keyId);
      header = parsed;
      key = objectKey(master, parsed.salt);
      aad = [recordAad(parsed.bytes, false), recordAad(parsed.bytes, true)];
      buffered = buffered.subarray(parsed.bytes.length);
    }
    while (buffered.length >= LENGTH_BYTES) {
      if (finished) throw tampered('data after the final record');
      const word = buffered.readUInt32BE(0);
      const final = (word & FINAL_FLAG) !== 0;
      const length = (word & ~FINAL_FLAG) >>> 0;
      if (length > header.chunkSize || (!final && length !== header.chunkSize)) throw tampered(`bad length in record ${index}`);
      const end = LENGTH_BYTES + length + TAG_BYTES;
      if (buffered.length < end) break;
      const decipher = createDecipheriv('aes-256-gcm', key as Buffer, recordNonce(index));
      decipher.setAAD((aad as readonly [Buffer, Buffer])[final ? 1 : 0]);
      decipher.setAuthTag(buffered.subarray(end - TAG_BYTES, end));
      try {
        out.push(Buffer.concat([decipher.update(buffered.subarray(LENGTH_BYTES, end - TAG_BYTES)), decipher.final()]));
      } catch {
        throw tampered(`record ${index} failed authentication`);
      }
      buffered = buffered.subarray(end);
      index++;
      finished = final;
    }
    return out;
  }

  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      try {
        for (const plain of open()) this.push(plain);
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    flush(callback) {
      if (!header) return callback(tampered(buffered.length === 0 ? 'empty object' : 'header cut short'));
      if (buffered.length > 0) return callback(tampered(finished ? 'data after the final record' : 'object cut short'));
      if (!finished) return callback(tampered('object cut short'));
      callback();
    },
  });
}

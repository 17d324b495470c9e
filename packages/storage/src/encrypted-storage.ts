import { createHash } from 'node:crypto';
import { Transform, Writable, pipeline as pipelineCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecryptStream } from './decrypt-stream.js';
import { createEncryptStream, encryptBytes } from './encrypt-stream.js';
import { parseHeader, plaintextSize, type ObjectHeader } from './encrypted-format.js';
import { ObjectTamperedError } from './encryption-errors.js';
import { checkKeyring, type EncryptionKeyring } from './encryption-keys.js';
import { ObjectNotFoundError, ObjectTooLargeError } from './errors.js';
import type { ObjectStorage, ObjectWriter, PutResult } from './object-storage.js';

/** Counts and hashes the plaintext: callers record what they sent, not what was stored. */
function createPlainMeter(maxBytes: number, hashing = true) {
  const hash = hashing ? createHash('sha256') : null;
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer | string, encoding, callback) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      size += bytes.length;
      if (size > maxBytes) return callback(new ObjectTooLargeError(maxBytes));
      hash?.update(bytes);
      callback(null, bytes);
    },
  });
  return { stream, size: () => size, result: (): PutResult => ({ size, sha256: hash?.digest('hex') ?? '' }) };
}

const discard = () =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

/**
 * Wraps any ObjectStorage so every object is stored as AES-256-GCM in the chunked HZE1 format
 * (encrypted-format.ts), written with the current key and readable with any listed key.
 * Everything streams: neither writing nor reading holds more than about one 64 KiB chunk.
 * Sizes and hashes are those of the plaintext. read() authenticates the whole object before
 * handing out its first byte, so a download of a tampered file is refused up front (at the cost
 * of reading it twice) rather than cut off half-way; the second pass checks again as it decrypts.
 */
export function createEncryptedStorage(inner: ObjectStorage, keys: EncryptionKeyring): ObjectStorage {
  const byId = checkKeyring(keys);

  async function readHeader(key: string): Promise<ObjectHeader> {
    const source = await inner.read(key);
    let start: Buffer = Buffer.alloc(0);
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        start = Buffer.concat([start, chunk]);
        const parsed = parseHeader(start);
        if (typeof parsed === 'string') throw new ObjectTamperedError(key, parsed);
        if (parsed) return parsed;
      }
      throw new ObjectTamperedError(key, 'header cut short');
    } finally {
      source.destroy();
    }
  }

  async function createWriter(key: string): Promise<ObjectWriter> {
    const target = await inner.createWriter(key);
    const meter = createPlainMeter(Number.MAX_SAFE_INTEGER, false);
    // An error anywhere (a full disk under `target`) destroys the plaintext side, so the
    // producer sees it instead of waiting for a drain that never comes.
    const done = pipeline(meter.stream, createEncryptStream(keys.current), target.stream);
    done.catch(() => undefined); // surfaced through commit()
    let settled = false;
    return {
      stream: meter.stream,
      async commit() {
        settled = true;
        meter.stream.end();
        try {
          await done;
        } catch (err) {
          await target.abort();
          throw err;
        }
        await target.commit();
        return { size: meter.size() };
      },
      async abort() {
        if (settled) return;
        settled = true;
        meter.stream.destroy();
        await done.catch(() => undefined);
        await target.abort();
      },
    };
  }

  return {
    async put(key, source, options = {}) {
      const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
      if (source instanceof Uint8Array) {
        // Held whole (a small upload): sealed in memory and stored in one write, no stream.
        if (source.length > maxBytes) throw new ObjectTooLargeError(maxBytes);
        const sha256 = createHash('sha256').update(source).digest('hex');
        await inner.put(key, encryptBytes(keys.current, source));
        return { size: source.length, sha256 };
      }
      const meter = createPlainMeter(maxBytes);
      // The callback form returns the last stream; an error upstream destroys it, which fails inner.put.
      const sealed = pipelineCallback(source, meter.stream, createEncryptStream(keys.current), () => undefined);
      try {
        await inner.put(key, sealed);
      } catch (err) {
        sealed.destroy(); // inner may fail before reading (a bad key): release the source too
        throw err;
      }
      return meter.result();
    },
    createWriter,
    async read(key, options) {
      await pipeline(await inner.read(key, options), createDecryptStream(byId, key), discard());
      const source = await inner.read(key, options);
      return pipelineCallback(source, createDecryptStream(byId, key), () => undefined);
    },
    async size(key) {
      const stored = await inner.size(key);
      if (stored === null) return null;
      const header = await readHeader(key).catch((err: unknown) => {
        if (err instanceof ObjectNotFoundError) return null; // removed since inner.size: answered as absent
        throw err;
      });
      if (header === null) return null;
      const size = plaintextSize(stored, header);
      if (size === null) throw new ObjectTamperedError(key, 'stored size does not fit the framing');
      return size;
    },
    remove: (key) => inner.remove(key),
    removePrefix: (prefix) => inner.removePrefix(prefix),
    cleanupTemp: (olderThanMs, options) => inner.cleanupTemp(olderThanMs, options),
  };
}

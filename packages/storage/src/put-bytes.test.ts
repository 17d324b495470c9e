import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEncryptStream, encryptBytes } from './encrypt-stream.js';
import { CHUNK_SIZE, SALT_BYTES } from './encrypted-format.js';
import { createEncryptedStorage } from './encrypted-storage.js';
import type { EncryptionKey } from './encryption-keys.js';
import { ObjectTooLargeError } from './errors.js';
import { SYNC_WRITE_BYTES, createLocalStorage } from './local-storage.js';
import type { ObjectStorage } from './object-storage.js';

// put() of bytes held whole (the api's small uploads) against put() of the same bytes as a
// stream, the path every upload took before: the same stored file, size and sha256, the same refusals.

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'put-bytes-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const key: EncryptionKey = { id: 'k1', key: randomBytes(32) };
const kinds: Array<[string, () => ObjectStorage]> = [
  ['local', () => createLocalStorage(root)],
  ['encrypted', () => createEncryptedStorage(createLocalStorage(root), { current: key, previous: [] })],
];
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
/** The stream path's input: the bytes in uneven pieces. */
const pieces = (data: Buffer, size = 7_919) =>
  Readable.from(Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size)));
const allFiles = async () =>
  (await fs.readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));

/** Sizes around the sync-write limit and the encryption chunk, and a few random ones. */
const SIZES = [
  0, 1, 17, 1294, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, SYNC_WRITE_BYTES - 1, SYNC_WRITE_BYTES, SYNC_WRITE_BYTES + 1,
  3 * SYNC_WRITE_BYTES + 5, ...Array.from({ length: 6 }, () => Math.floor(Math.random() * 2 * SYNC_WRITE_BYTES)),
];

describe.each(kinds)('%s storage: put of bytes held whole', (_kind, make) => {
  it.each(SIZES)('stores %i bytes as the stream path does: same content, size and sha256', async (size) => {
    const storage = make();
    const data = randomBytes(size);
    const fromBytes = await storage.put('uploads/a/input', data);
    const fromStream = await storage.put('uploads/b/input', pieces(data));
    expect(fromBytes).toEqual(fromStream);
    expect(fromBytes).toEqual({ size, sha256: sha256(data) });
    expect((await buffer(await storage.read('uploads/a/input'))).equals(data)).toBe(true);
    expect(await storage.size('uploads/a/input')).toBe(size);
    expect((await allFiles()).sort()).toEqual(['uploads/a/input', 'uploads/b/input']); // no temp file left
  });

  it('takes a Uint8Array that is not a Buffer, and a view into a larger buffer', async () => {
    const storage = make();
    const whole = randomBytes(5000);
    const view = whole.subarray(1000, 3000);
    expect(await storage.put('uploads/c/input', new Uint8Array(view))).toEqual({ size: 2000, sha256: sha256(view) });
    expect(await storage.put('uploads/d/input', view)).toEqual({ size: 2000, sha256: sha256(view) });
    expect((await buffer(await storage.read('uploads/d/input'))).equals(view)).toBe(true);
  });

  it.each([10, SYNC_WRITE_BYTES + 10])('refuses %i bytes over maxBytes as the stream path does, leaving nothing', async (size) => {
    const storage = make();
    const data = randomBytes(size);
    await expect(storage.put('uploads/e/input', data, { maxBytes: size - 1 })).rejects.toBeInstanceOf(ObjectTooLargeError);
    await expect(storage.put('uploads/f/input', pieces(data), { maxBytes: size - 1 })).rejects.toBeInstanceOf(ObjectTooLargeError);
    expect(await allFiles()).toEqual([]);
    expect(await storage.put('uploads/g/input', data, { maxBytes: size })).toEqual({ size, sha256: sha256(data) });
  });

  it.each([100, SYNC_WRITE_BYTES + 100])('makes the temp and target folders when they are missing (%i bytes)', async (size) => {
    const storage = make();
    const data = randomBytes(size);
    await storage.put('uploads/h/input', data);
    await fs.rm(path.join(root, '.tmp'), { recursive: true, force: true });
    await storage.removePrefix('uploads/h');
    expect(await storage.put('uploads/h/input', data)).toEqual({ size, sha256: sha256(data) });
    expect((await buffer(await storage.read('uploads/h/input'))).equals(data)).toBe(true);
  });

  it('replaces an object already at the key, as a rename does', async () => {
    const storage = make();
    await storage.put('uploads/i/input', Buffer.from('first'));
    await storage.put('uploads/i/input', Buffer.from('second'));
    expect((await buffer(await storage.read('uploads/i/input'))).toString()).toBe('second');
  });

  it('refuses keys that could escape the root', async () => {
    await expect(make().put('../etc/passwd', Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
    expect(await allFiles()).toEqual([]);
  });
});

describe('local storage: a failed write of bytes', () => {
  it('removes its temp file and publishes nothing when the target cannot be made', async () => {
    const storage = createLocalStorage(root);
    // A file where the object's folder should be: mkdir fails after the temp file was written.
    await fs.writeFile(path.join(root, 'uploads'), 'not a folder');
    await expect(storage.put('uploads/j/input', Buffer.from('data'))).rejects.toThrow();
    await expect(storage.put('uploads/k/input', randomBytes(SYNC_WRITE_BYTES + 1))).rejects.toThrow();
    expect(await fs.readdir(path.join(root, '.tmp'))).toEqual([]);
  });
});

describe('local storage: reads in chunks of a given size', () => {
  it('gives the same bytes whatever the chunk size, in chunks no larger than asked', async () => {
    const storage = createLocalStorage(root);
    const data = randomBytes(3 * 1024 * 1024 + 77);
    await storage.put('results/r/out.csv', data);
    for (const chunkBytes of [undefined, 1000, 1024 * 1024]) {
      const chunks: Buffer[] = [];
      for await (const chunk of await storage.read('results/r/out.csv', chunkBytes === undefined ? undefined : { chunkBytes })) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(data)).toBe(true);
      expect(Math.max(...chunks.map((c) => c.length))).toBe(chunkBytes ?? 64 * 1024);
    }
  });
});

describe('encryptBytes', () => {
  /** The stream's output for `data` written in random pieces. */
  async function viaStream(data: Buffer, chunkSize: number, salt: Buffer): Promise<Buffer> {
    const cuts: Buffer[] = [];
    for (let at = 0; at < data.length; ) {
      const next = Math.min(data.length, at + 1 + Math.floor(Math.random() * 3 * chunkSize));
      cuts.push(data.subarray(at, next));
      at = next;
    }
    return buffer(Readable.from(cuts).pipe(createEncryptStream(key, chunkSize, salt)));
  }

  it.each([16, 1000, CHUNK_SIZE])('gives the bytes of the encrypting stream with the same salt (chunk size %i)', async (chunkSize) => {
    const sizes = [0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 2 * chunkSize, 2 * chunkSize + 1, 5 * chunkSize + 3];
    for (let i = 0; i < 20; i++) sizes.push(Math.floor(Math.random() * 6 * chunkSize));
    for (const size of sizes) {
      const data = randomBytes(size);
      const salt = randomBytes(SALT_BYTES);
      expect(encryptBytes(key, data, chunkSize, salt).equals(await viaStream(data, chunkSize, salt)), `size ${size}`).toBe(true);
    }
  });
});

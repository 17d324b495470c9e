import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, RECORD_OVERHEAD } from './encrypted-format.js';
import { ObjectTamperedError, UnknownEncryptionKeyError } from './encryption-errors.js';
import { createEncryptedStorage } from './encrypted-storage.js';
import type { EncryptionKey } from './encryption-keys.js';
import { ObjectTooLargeError } from './errors.js';
import { createLocalStorage } from './local-storage.js';

const k1: EncryptionKey = { id: 'k1', key: randomBytes(32) };
const k2: EncryptionKey = { id: 'k2', key: randomBytes(32) };
const MARKER = 'ZZMARKER-7731-PLAINTEXT';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'encrypted-storage-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const storageWith = (current: EncryptionKey, previous: EncryptionKey[] = []) =>
  createEncryptedStorage(createLocalStorage(root), { current, previous });
const stored = (key: string) => fs.readFile(path.join(root, key));
const overwrite = (key: string, bytes: Buffer) => fs.writeFile(path.join(root, key), bytes);
/** The source in uneven pieces, so records never line up with writes. */
const pieces = (data: Buffer, size = 10_007) =>
  Readable.from(Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size)));
const readAll = async (storage: ReturnType<typeof storageWith>, key: string) => buffer(await storage.read(key));

async function allStoredBytes(): Promise<Buffer> {
  const files = (await fs.readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  return Buffer.concat(await Promise.all(files.map((e) => fs.readFile(path.join(e.parentPath, e.name)))));
}

describe('encrypted storage', () => {
  it.each([
    ['empty', 0],
    ['small', 17],
    ['exactly one chunk', CHUNK_SIZE],
    ['one chunk and a byte', CHUNK_SIZE + 1],
    ['exactly two chunks', 2 * CHUNK_SIZE],
    ['1 MiB and change', 1024 * 1024 + 333],
  ])('round-trips a %s object and reports plaintext size and sha256', async (_name, length) => {
    const storage = storageWith(k1);
    const data = randomBytes(length);
    expect(await storage.put('uploads/j1/input', pieces(data))).toEqual({ size: length, sha256: sha256(data) });
    expect((await readAll(storage, 'uploads/j1/input')).equals(data)).toBe(true);
    expect(await storage.size('uploads/j1/input')).toBe(length);
    expect((await stored('uploads/j1/input')).length).toBeGreaterThan(length);
  });

  it('stores no plaintext: a marker written through put and a writer is nowhere on disk', async () => {
    const storage = storageWith(k1);
    const text = `id,name\n${Array.from({ length: 5000 }, (_, i) => `${i},${MARKER}`).join('\n')}\n`;
    await storage.put('uploads/j2/input', Readable.from([text]));
    const writer = await storage.createWriter('results/j2/out.csv');
    writer.stream.write(text);
    const half = await allStoredBytes(); // the writer's temp file is on disk by now too
    await writer.commit();
    for (const bytes of [half, await allStoredBytes()]) {
      expect(bytes.includes(MARKER)).toBe(false);
      expect(bytes.includes(MARKER.slice(0, 12))).toBe(false);
    }
    expect((await readAll(storage, 'results/j2/out.csv')).toString()).toBe(text);
  });

  it('writes through createWriter in pieces, visible only on commit, with the plaintext size', async () => {
    const storage = storageWith(k1);
    const data = randomBytes(300_000);
    const writer = await storage.createWriter('results/j3/harmonized.ndjson');
    for (let i = 0; i < data.length; i += 4096) writer.stream.write(data.subarray(i, i + 4096));
    expect(await storage.size('results/j3/harmonized.ndjson')).toBeNull();
    expect(await writer.commit()).toEqual({ size: data.length });
    expect((await readAll(storage, 'results/j3/harmonized.ndjson')).equals(data)).toBe(true);
    expect(await storage.size('results/j3/harmonized.ndjson')).toBe(data.length);

    const aborted = await storage.createWriter('results/j3/rejects.ndjson');
    aborted.stream.write(MARKER);
    await aborted.abort();
    expect(await storage.size('results/j3/rejects.ndjson')).toBeNull();
    expect(await storage.cleanupTemp(0)).toBe(0);
  });

  it('applies maxBytes to the plaintext and leaves nothing behind', async () => {
    const storage = storageWith(k1);
    await expect(storage.put('uploads/j4/input', pieces(randomBytes(200_000)), { maxBytes: 100_000 })).rejects.toBeInstanceOf(
      ObjectTooLargeError,
    );
    expect(await storage.size('uploads/j4/input')).toBeNull();
    expect((await allStoredBytes()).length).toBe(0);
  });

  it('refuses keys that could escape the root and releases the source', async () => {
    const storage = storageWith(k1);
    const source = new PassThrough(); // an upload still arriving
    source.write('x');
    await expect(storage.put('../etc/passwd', source)).rejects.toThrow(/invalid storage key/);
    await new Promise((resolve) => setImmediate(resolve)); // the pipeline tears down on the next turn
    expect(source.destroyed).toBe(true);
    await expect(storage.read('a/../../b')).rejects.toThrow(/invalid storage key/);
  });

  describe('refuses a changed object instead of returning wrong data', () => {
    const key = 'results/j5/out.csv';
    const data = randomBytes(5 * CHUNK_SIZE + 100);
    const recordStart = (bytes: Buffer, index: number) => bytes.length - data.length - 6 * RECORD_OVERHEAD + index * (CHUNK_SIZE + RECORD_OVERHEAD);

    it.each([
      ['a flipped byte in a middle record', (b: Buffer) => { b[recordStart(b, 2) + 1000] ^= 0x01; return b; }, /record 2 failed authentication/],
      ['a flipped tag byte', (b: Buffer) => { b[recordStart(b, 3) - 1] ^= 0x80; return b; }, /record 2 failed authentication/],
      ['a flipped salt byte in the header', (b: Buffer) => { b[recordStart(b, 0) - 1] ^= 0x01; return b; }, /record 0 failed authentication/],
      ['the final record removed', (b: Buffer) => b.subarray(0, recordStart(b, 5)), /cut short/],
      ['a cut inside a record', (b: Buffer) => b.subarray(0, recordStart(b, 3) + 500), /cut short/],
      ['bytes appended after the final record', (b: Buffer) => Buffer.concat([b, Buffer.from('extra bytes')]), /after the final record/],
      ['two records swapped', (b: Buffer) => {
        const a = recordStart(b, 1), c = recordStart(b, 2), e = recordStart(b, 3);
        return Buffer.concat([b.subarray(0, a), b.subarray(c, e), b.subarray(a, c), b.subarray(e)]);
      }, /record 1 failed authentication/],
      ['the final flag set on a middle record', (b: Buffer) => { b[recordStart(b, 1)] |= 0x80; return b; }, /record 1 failed authentication/],
      ['a plaintext file in its place', () => Buffer.from('id,name\n1,a\n'), /not an encrypted object/],
    ])('%s', async (_name, change, reason) => {
      const storage = storageWith(k1);
      await storage.put(key, pieces(data));
      await overwrite(key, change(Buffer.from(await stored(key))));
      const err = await storage.read(key).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ObjectTamperedError);
      expect((err as Error).message).toMatch(reason);
      expect((err as Error).message).toContain(key);
    });

    it('fails the stream if the object changes after read() checked it', async () => {
      const storage = storageWith(k1);
      await storage.put(key, pieces(data));
      const bytes = Buffer.from(await stored(key));
      const stream = await storage.read(key);
      bytes[recordStart(bytes, 4) + 10] ^= 0x01;
      await overwrite(key, bytes);
      await expect(buffer(stream)).rejects.toBeInstanceOf(ObjectTamperedError);
    });
  });

  it('reads objects written with a previous key after rotation, and writes with the new one', async () => {
    const before = storageWith(k1);
    await before.put('uploads/old/input', Readable.from(['written with k1']));
    const rotated = storageWith(k2, [k1]);
    await rotated.put('uploads/new/input', Readable.from(['written with k2']));
    expect((await readAll(rotated, 'uploads/old/input')).toString()).toBe('written with k1');
    expect((await readAll(rotated, 'uploads/new/input')).toString()).toBe('written with k2');
    expect((await stored('uploads/new/input')).subarray(9, 11).toString()).toBe('k2');
    await expect(before.read('uploads/new/input')).rejects.toBeInstanceOf(UnknownEncryptionKeyError);
  });

  it('names the missing key id, and never key material, when the key is not configured', async () => {
    await storageWith(k1).put('uploads/j6/input', Readable.from(['x']));
    const err = await storageWith(k2).read('uploads/j6/input').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownEncryptionKeyError);
    expect((err as Error).message).toContain('"k1"');
    expect((err as Error).message).not.toContain(k2.key.toString('base64'));
  });

  it('refuses an object whose key id was swapped for another configured key', async () => {
    const k3: EncryptionKey = { id: 'k3', key: randomBytes(32) };
    await storageWith(k1).put('uploads/j7/input', Readable.from(['secret']));
    const bytes = Buffer.from(await stored('uploads/j7/input'));
    bytes.write('k3', 9, 'ascii');
    await overwrite('uploads/j7/input', bytes);
    await expect(storageWith(k1, [k3]).read('uploads/j7/input')).rejects.toBeInstanceOf(ObjectTamperedError);
  });

  it.each([
    ['a short key', { current: { id: 'k1', key: randomBytes(16) } }, /must be 32 bytes/],
    ['a bad key id', { current: { id: 'k 1', key: randomBytes(32) } }, /key id/],
    ['a key id listed twice', { current: k1, previous: [k1] }, /listed twice/],
  ])('refuses a keyring with %s', (_name, keys, message) => {
    expect(() => createEncryptedStorage(createLocalStorage(root), keys)).toThrow(message);
  });
});

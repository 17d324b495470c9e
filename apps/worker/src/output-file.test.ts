import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import fc from 'fast-check';
import { createLocalStorage, type ObjectStorage } from '@harmonizer/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutputFile } from './output-file.js';
import { storedFiles } from './testing/stored-files.js';

let root: string;
let storage: ObjectStorage;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-output-file-'));
  storage = createLocalStorage(root);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const files = () => storedFiles(root);

/**
 * Pieces as the writers send them: text (multi-byte characters too), bytes, and lists of byte
 * views (kept runs of a packed chunk, some of one buffer), some empty.
 */
const bytesPiece = fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constant(new Uint8Array(0)));
const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  bytesPiece,
  fc.constant(''),
  fc.array(bytesPiece, { maxLength: 5 }),
  fc.uint8Array({ minLength: 10, maxLength: 60 }).map((b) => [b.subarray(0, 3), b.subarray(5, 9), b.subarray(9)]),
);
const bytesOf = (pieces: readonly (string | Uint8Array | readonly Uint8Array[])[]) =>
  Buffer.concat(pieces.flatMap((p) => (typeof p === 'string' ? [Buffer.from(p)] : p instanceof Uint8Array ? [Buffer.from(p)] : p.map((v) => Buffer.from(v)))));

describe('output file', () => {
  it('commits exactly the bytes written, in order, whatever the buffer size (reference: the pieces concatenated)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 30 }), fc.constantFrom(0, 1, 7, 64, 1 << 20), fc.boolean(), async (pieces, bufferBytes, overlap) => {
        const key = `results/job/file-${n++}`;
        const file = createOutputFile(storage, key, bufferBytes);
        if (overlap) await Promise.all(pieces.map((p) => file.write(p)));
        else for (const p of pieces) await file.write(p);
        const expected = bytesOf(pieces);
        expect(await file.commit()).toEqual({ size: expected.length });
        expect(await fs.readFile(path.join(root, key))).toEqual(expected);
      }),
      { numRuns: 150 },
    );
    expect((await files()).filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });

  it('holds small output in memory: no file at all before commit, none after abort', async () => {
    const file = createOutputFile(storage, 'results/job/a.csv', 100);
    await file.write('header\n');
    await file.write(Buffer.from('x,y\n'));
    expect(await files()).toEqual([]);
    await file.abort();
    expect(await files()).toEqual([]);
  });

  it('opens its temp file once the buffer is full and streams from then on; abort removes it', async () => {
    const file = createOutputFile(storage, 'results/job/a.csv', 10);
    await file.write('12345');
    expect(await files()).toEqual([]);
    await file.write('67890');
    expect(await files()).toEqual([expect.stringMatching(/^\.tmp\/results-.*\.part$/)]);
    await file.write('more');
    await file.abort();
    expect(await files()).toEqual([]);
  });

  it('writes an empty file when nothing was written', async () => {
    const file = createOutputFile(storage, 'results/job/rejects.ndjson');
    expect(await file.commit()).toEqual({ size: 0 });
    expect(await files()).toEqual(['results/job/rejects.ndjson']);
  });

  it('refuses writes and a second commit after commit', async () => {
    const file = createOutputFile(storage, 'results/job/a.csv');
    await file.write('a');
    await file.commit();
    await expect(file.write('b')).rejects.toThrow(/after commit or abort/);
    await expect(file.commit()).rejects.toThrow(/twice/);
    expect(await fs.readFile(path.join(root, 'results/job/a.csv'), 'utf8')).toBe('a');
  });

  it.each([
    ['written whole at commit', 100],
    ['streamed', 0],
  ])('fails the commit when the storage cannot write the file, leaving nothing (%s)', async (_how, bufferBytes) => {
    const full = () => Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    const failing: ObjectStorage = { ...storage, createWriter: full, put: full };
    const file = createOutputFile(failing, 'results/job/a.csv', bufferBytes);
    await file.write('a').catch(() => undefined); // streamed: the write itself opens the writer and fails
    await expect(file.commit()).rejects.toMatchObject({ code: 'ENOSPC' });
    await file.abort();
    expect(await files()).toEqual([]);
  });

  it('lets the caller reuse its arrays once settled(): buffered ones at once (copied), streamed ones when called back', async () => {
    // A writer whose stream calls back 20 ms late: settled() waits for it.
    const callbacks: (() => void)[] = [];
    const slow: ObjectStorage = {
      ...storage,
      async createWriter(key) {
        const inner = await storage.createWriter(key);
        const stream = new Writable({
          highWaterMark: 1 << 20,
          write(chunk: Buffer, _encoding, callback) {
            inner.stream.write(Buffer.from(chunk));
            callbacks.push(callback);
            setTimeout(callback, 20);
          },
        });
        return { stream, releasesOnCallback: true, commit: async () => (stream.end(), await finished(stream), inner.commit()), abort: () => inner.abort() };
      },
    };
    const file = createOutputFile(slow, 'results/j/settle.txt', 8);
    const reused = Uint8Array.from([1, 2, 3, 4]);
    await file.write(reused, true); // borrowed, buffered (under 8 bytes): copied
    reused.fill(9);
    await file.settled();
    await file.write(Uint8Array.from([5, 6, 7, 8, 10]), true); // past 8 bytes: the writer opens, both go to the stream
    let settled = false;
    const waiting = file.settled().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(callbacks.length).toBeGreaterThan(0);
    expect(settled).toBe(false);
    await waiting;
    expect(settled).toBe(true);
    await file.commit();
    expect(await fs.readFile(path.join(root, 'results/j/settle.txt'))).toEqual(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 10]));
  });

  it('writes copies of borrowed arrays to a writer that may keep what it is given (no releasesOnCallback), others as they are', async () => {
    const kept: Buffer[] = [];
    const keeping: ObjectStorage = {
      ...storage,
      async createWriter(key) {
        const inner = await storage.createWriter(key);
        // Keeps every chunk it is given until the end (as a transform's buffer would).
        const stream = new Writable({
          write(chunk: Buffer, _encoding, callback) {
            kept.push(chunk);
            callback();
          },
          final(callback) {
            for (const chunk of kept) inner.stream.write(chunk);
            callback();
          },
        });
        return { stream, commit: async () => (stream.end(), await finished(stream), inner.commit()), abort: () => inner.abort() };
      },
    };
    const file = createOutputFile(keeping, 'results/j/copies.txt', 0);
    const reused = Uint8Array.from([1, 2, 3]);
    await file.write([reused, reused.subarray(1)], true);
    await file.settled();
    reused.fill(0);
    const own = Uint8Array.from([4, 5]);
    await file.write(own); // not borrowed: handed over as it is, no copy
    expect(kept.at(-1)!.buffer).toBe(own.buffer); // the same memory (a Buffer view of it)
    await file.commit();
    expect(await fs.readFile(path.join(root, 'results/j/copies.txt'))).toEqual(Buffer.from([1, 2, 3, 2, 3, 4, 5]));
  });
});

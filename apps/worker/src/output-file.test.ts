import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
});

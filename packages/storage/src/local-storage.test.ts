import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObjectNotFoundError, ObjectTooLargeError } from './errors.js';
import { createLocalStorage } from './local-storage.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'storage-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const visibleFiles = async () =>
  (await fs.readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));

describe('local storage', () => {
  it('stores a stream and reports its size and sha256', async () => {
    const storage = createLocalStorage(root);
    const body = 'a,b\n1,2\n';
    const result = await storage.put('uploads/j1/input', Readable.from([body]));
    expect(result).toEqual({ size: body.length, sha256: createHash('sha256').update(body).digest('hex') });
    expect(await text(await storage.read('uploads/j1/input'))).toBe(body);
    expect(await storage.size('uploads/j1/input')).toBe(body.length);
  });

  it('rejects an over-limit upload and leaves no file behind', async () => {
    const storage = createLocalStorage(root);
    await expect(storage.put('uploads/j2/input', Readable.from(['x'.repeat(100)]), { maxBytes: 10 })).rejects.toBeInstanceOf(
      ObjectTooLargeError,
    );
    expect(await visibleFiles()).toEqual([]);
  });

  it('makes a writer visible only on commit, and abort leaves nothing', async () => {
    const storage = createLocalStorage(root);
    const writer = await storage.createWriter('results/j3/out.csv');
    writer.stream.write('hello');
    expect(await storage.size('results/j3/out.csv')).toBeNull();
    expect(await writer.commit()).toMatchObject({ size: 5 });
    expect(await text(await storage.read('results/j3/out.csv'))).toBe('hello');

    const aborted = await storage.createWriter('results/j3/other.csv');
    aborted.stream.write('partial');
    await aborted.abort();
    expect(await visibleFiles()).toEqual(['results/j3/out.csv']);
  });

  it('makes the temp and target folders when they are missing, also after they were removed', async () => {
    const storage = createLocalStorage(root);
    await storage.put('uploads/j5/input', Readable.from(['one']));
    // Someone removes the temp folder and the object's folder between two writes.
    await fs.rm(path.join(root, '.tmp'), { recursive: true, force: true });
    await storage.removePrefix('uploads/j5');
    await storage.put('uploads/j5/input', Readable.from(['two']));
    expect(await text(await storage.read('uploads/j5/input'))).toBe('two');

    await fs.rm(path.join(root, '.tmp'), { recursive: true, force: true });
    for (const name of ['a.csv', 'b.csv']) {
      const writer = await storage.createWriter(`results/j5/${name}`);
      writer.stream.end(name);
      await writer.commit();
    }
    expect((await visibleFiles()).sort()).toEqual(['results/j5/a.csv', 'results/j5/b.csv', 'uploads/j5/input']);
    expect(await text(await storage.read('results/j5/b.csv'))).toBe('b.csv');
  });

  it('refuses keys that could escape the root', async () => {
    const storage = createLocalStorage(root);
    await expect(storage.put('../etc/passwd', Readable.from(['x']))).rejects.toThrow(/invalid storage key/);
    await expect(storage.read('a/../../b')).rejects.toThrow(/invalid storage key/);
  });

  it('answers ObjectNotFoundError for a missing key and removes prefixes', async () => {
    const storage = createLocalStorage(root);
    await expect(storage.read('nope')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await storage.put('results/j4/a', Readable.from(['1']));
    await storage.removePrefix('results/j4');
    expect(await storage.size('results/j4/a')).toBeNull();
  });

  it('reads a small object whole (readSmall), and answers null past the limit, ObjectNotFoundError when missing', async () => {
    const storage = createLocalStorage(root);
    const body = Buffer.from('MRN,Name\nP1,Zoë\n');
    await storage.put('uploads/j5/input', body);
    expect(await storage.readSmall!('uploads/j5/input', 1024)).toEqual(body);
    expect(await storage.readSmall!('uploads/j5/input', body.length)).toEqual(body);
    expect(await storage.readSmall!('uploads/j5/input', body.length - 1)).toBeNull();
    await storage.put('uploads/j5/empty', Buffer.alloc(0));
    expect(await storage.readSmall!('uploads/j5/empty', 1024)).toEqual(Buffer.alloc(0));
    await expect(storage.readSmall!('uploads/j5/nope', 1024)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('cleans up temp files left by an interrupted write', async () => {
    const storage = createLocalStorage(root);
    const writer = await storage.createWriter('results/j5/x');
    writer.stream.write('partial');
    await new Promise((resolve) => setTimeout(resolve, 20)); // let the write land: its mtime must be in the past
    expect(await storage.cleanupTemp(0)).toBe(1);
    await writer.abort();
    expect(await visibleFiles()).toEqual([]);
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalStorage } from './local-storage.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'storage-commit-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('local storage clean-up after failures', () => {
  it('removes its temp file, so a failed write never keeps disk space', async () => {
    const storage = createLocalStorage(root);
    // A non-empty directory where the file should go: the rename into place fails for real.
    await fs.mkdir(path.join(root, 'results/j1/out.csv'), { recursive: true });
    await fs.writeFile(path.join(root, 'results/j1/out.csv/keep'), 'x');
    const writer = await storage.createWriter('results/j1/out.csv');
    writer.stream.write('partial');

    await expect(writer.commit()).rejects.toThrow();
    await writer.abort();

    expect(await fs.readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('cleans up the temp files of one kind of key only, leaving other writers alone', async () => {
    const storage = createLocalStorage(root);
    const upload = await storage.createWriter('uploads/j2/input');
    upload.stream.write('partial upload');
    const result = await storage.createWriter('results/j2/out.csv');
    result.stream.write('partial result');

    expect(await storage.cleanupTemp(0, { prefix: 'uploads' })).toBe(1);
    expect(await fs.readdir(path.join(root, '.tmp'))).toEqual([expect.stringMatching(/^results-/)]);
    expect(await result.commit()).toMatchObject({ size: 'partial result'.length });
    await upload.abort();
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeWhenDrained } from './write-when-drained.js';

/** A stream whose writes fail like a full disk, with a tiny buffer so the first write asks to wait. */
function failingStream(): Writable {
  return new Writable({
    highWaterMark: 1,
    write(_chunk, _encoding, callback) {
      setImmediate(() => callback(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })));
    },
  });
}

describe('writeWhenDrained', () => {
  it('rejects with the stream error when a write fails while waiting for drain', async () => {
    const stream = failingStream();
    await expect(writeWhenDrained(stream, 'abc')).rejects.toMatchObject({ code: 'ENOSPC' });
  });

  it('rejects at once, never hangs, when the stream already failed or ended', async () => {
    const stream = failingStream();
    await expect(writeWhenDrained(stream, 'abc')).rejects.toMatchObject({ code: 'ENOSPC' });
    // The stream is destroyed now: it will emit neither drain, error nor close again.
    await expect(writeWhenDrained(stream, new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'ENOSPC' });
    const ended = new Writable({ write: (_c, _e, cb) => cb() });
    ended.end();
    await expect(writeWhenDrained(ended, 'x')).rejects.toThrow(/closed/);
  });

  it('resolves when the stream takes the data', async () => {
    const chunks: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _e, cb) => (chunks.push(chunk.toString()), cb()) });
    await writeWhenDrained(stream, 'ok');
    expect(chunks).toEqual(['ok']);
  });

  it('writes several pieces as one writev, in order, skipping empty ones', async () => {
    const batches: string[][] = [];
    const stream = new Writable({
      write: (chunk: Buffer, _e, cb) => (batches.push([chunk.toString()]), cb()),
      writev: (chunks, cb) => (batches.push(chunks.map((c) => (c.chunk as Buffer).toString())), cb()),
    });
    const bytes = Buffer.from('a\nb\nc\n');
    await writeWhenDrained(stream, [bytes.subarray(0, 2), new Uint8Array(0), bytes.subarray(4)]);
    await writeWhenDrained(stream, [bytes.subarray(2, 4)]);
    await writeWhenDrained(stream, [new Uint8Array(0)]);
    expect(batches).toEqual([['a\n', 'c\n'], ['b\n']]);
  });

  it('waits for drain after a list of pieces that filled the stream, and fails like a single write', async () => {
    const failing = failingStream();
    await expect(writeWhenDrained(failing, [new Uint8Array([1]), new Uint8Array([2])])).rejects.toMatchObject({ code: 'ENOSPC' });
    let drained = false;
    const slow = new Writable({
      highWaterMark: 2,
      writev: (_chunks, cb) => setTimeout(() => cb(), 20),
      write: (_c, _e, cb) => setTimeout(() => cb(), 20),
    });
    slow.on('drain', () => (drained = true));
    await writeWhenDrained(slow, [new Uint8Array([1, 2]), new Uint8Array([3, 4])]);
    expect(drained).toBe(true);
  });
});

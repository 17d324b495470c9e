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
});

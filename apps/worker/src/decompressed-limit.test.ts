import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { InputError } from '@harmonizer/core';
import { describe, expect, it } from 'vitest';
import { createDecompressedLimit } from './decompressed-limit.js';

const drain = () => new Writable({ write: (_chunk, _encoding, callback) => callback() });
let written = 0;
const counting = () =>
  new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      callback();
    },
  });

describe('decompressed-size limit', () => {
  it('stops a gzip bomb at the limit with input.decompressed_too_large', async () => {
    // 64 MiB of one byte compresses to about 64 KiB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x41));
    expect(bomb.length).toBeLessThan(128 * 1024);
    written = 0;
    const run = pipeline(Readable.from([bomb]), createGunzip(), createDecompressedLimit(1024 * 1024), counting());
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(run).rejects.toMatchObject({ code: 'input.decompressed_too_large' });
    expect(written).toBeLessThanOrEqual(1024 * 1024);
  });

  it('passes a file under the limit through whole', async () => {
    const text = 'a,b\n1,2\n'.repeat(1000);
    const chunks: Buffer[] = [];
    await pipeline(
      Readable.from([gzipSync(text)]),
      createGunzip(),
      createDecompressedLimit(text.length),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
      }),
    );
    expect(Buffer.concat(chunks).toString()).toBe(text);
    await pipeline(Readable.from([Buffer.alloc(0)]), createDecompressedLimit(0), drain());
  });
});

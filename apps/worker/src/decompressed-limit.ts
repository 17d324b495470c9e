import { Transform } from 'node:stream';
import { InputError } from '@harmonizer/core';

/**
 * Passes decompressed bytes through and fails, as bad input (not retried), once more than
 * `maxBytes` came out: a small gzip that inflates without end (a "gzip bomb") stops there instead
 * of filling the disk with outputs. Put it right after the gunzip stream (MAX_DECOMPRESSED_BYTES).
 */
export function createDecompressedLimit(maxBytes: number): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > maxBytes) {
        callback(
          new InputError(
            'input.decompressed_too_large',
            `The compressed file inflates to more than ${maxBytes} bytes (MAX_DECOMPRESSED_BYTES): split it into smaller files, or ask the operator to raise the limit.`,
          ),
        );
        return;
      }
      callback(null, chunk);
    },
  });
}

import type { Writable } from 'node:stream';

/**
 * Writes and resolves when the stream can take more: the caller awaits it before producing the
 * next piece, so output memory stays bounded. Rejects if the stream fails or closes before it
 * drains (never hangs on a dead stream).
 */
export function writeWhenDrained(stream: Writable, data: string | Uint8Array): Promise<void> {
  // A stream that already failed (ENOSPC on an earlier write) or closed emits no 'drain', 'error' or
  // 'close' again: waiting for one would hang the job forever.
  if (stream.destroyed || stream.writableEnded) return Promise.reject(deadStreamError(stream));
  if (data.length === 0 || stream.write(data)) return Promise.resolve();
  if (stream.destroyed) return Promise.reject(deadStreamError(stream));
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off('drain', onDrain).off('error', onError).off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(new Error('output stream closed before it drained'));
    stream.on('drain', onDrain).on('error', onError).on('close', onClose);
  });
}

function deadStreamError(stream: Writable): Error {
  return stream.errored ?? new Error('output stream closed before it drained');
}

import type { Writable } from 'node:stream';

/** What a writer takes: text, bytes, or several byte pieces written as one (views, not copies). */
export type WriteData = string | Uint8Array | readonly Uint8Array[];

/**
 * Writes and resolves when the stream can take more: the caller awaits it before producing the
 * next piece, so output memory stays bounded. Several pieces are written corked, so a file
 * stream makes one writev of them. Rejects if the stream fails or closes before it drains
 * (never hangs on a dead stream).
 */
export function writeWhenDrained(stream: Writable, data: WriteData, written?: () => void): Promise<void> {
  // A stream that already failed (ENOSPC on an earlier write) or closed emits no 'drain', 'error' or
  // 'close' again: waiting for one would hang the job forever.
  if (stream.destroyed || stream.writableEnded) {
    written?.();
    return Promise.reject(deadStreamError(stream));
  }
  if (writeAll(stream, data, written)) return Promise.resolve();
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

/**
 * Writes every non-empty piece; false when the stream asks the writer to wait for 'drain'.
 * `written` is called once, when the stream has called back for every piece (at once if none).
 */
function writeAll(stream: Writable, data: WriteData, written?: () => void): boolean {
  const pieces = typeof data === 'string' || data instanceof Uint8Array ? (data.length > 0 ? [data] : []) : data.filter((piece) => piece.length > 0);
  let left = pieces.length;
  if (left === 0) {
    written?.();
    return true;
  }
  const one = written ? () => --left === 0 && written() : undefined;
  if (pieces.length === 1) return stream.write(pieces[0], one);
  stream.cork();
  let more = true;
  for (const piece of pieces) more = stream.write(piece, one);
  stream.uncork();
  return more;
}

function deadStreamError(stream: Writable): Error {
  return stream.errored ?? new Error('output stream closed before it drained');
}

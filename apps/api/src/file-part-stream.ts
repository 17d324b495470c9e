import { PassThrough, type Readable } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { UPLOAD_BUFFER_BYTES } from './plugins/multipart.js';

/** The body ended inside the file part: the client's fault, never a stored file. */
export class FilePartCutOffError extends Error {
  constructor() {
    super('the file part ended before its boundary');
    this.name = 'FilePartCutOffError';
  }
}

/** Once the whole body has arrived, the rest of the file is in memory: this long without progress is a cut. */
const STALL_MS = 5_000;

type FileStream = MultipartFile['file'];

/**
 * Calls `cutOff` when the file part can no longer end normally. With @fastify/multipart 9.4, a
 * body that ends inside the file can leave busboy's stream destroyed without 'end' (or never
 * ending), and whoever reads it then waits forever. Returns the function that stops watching.
 */
function watchFilePart(request: FastifyRequest, file: FileStream, cutOff: () => void): () => void {
  const onClose = () => {
    if (!file.readableEnded) cutOff();
  };
  if (file.destroyed) process.nextTick(onClose);
  else file.once('close', onClose);
  file.on('error', () => undefined); // surfaced as a cut through onClose

  let bytesRead = -1;
  let idleSince = Date.now();
  const timer = setInterval(() => {
    if (!request.raw.readableEnded) return; // still arriving: the client sets the pace
    if (file.bytesRead !== bytesRead) {
      bytesRead = file.bytesRead;
      idleSince = Date.now();
    } else if (!file.readableEnded && Date.now() - idleSince >= STALL_MS) {
      cutOff();
    }
  }, 250);
  timer.unref();

  return () => {
    clearInterval(timer);
    file.off('close', onClose);
  };
}

export interface FilePartStream {
  stream: Readable;
  dispose(): void;
}

/**
 * The file part as a stream that always ends or fails (see watchFilePart), starting with `head`:
 * chunks already read from it.
 */
export function filePartStream(request: FastifyRequest, file: FileStream, head: readonly Buffer[] = []): FilePartStream {
  const stream = new PassThrough({ highWaterMark: UPLOAD_BUFFER_BYTES });
  // The cut may come before storage starts reading; its pipeline still sees `stream.errored`.
  stream.on('error', () => undefined);
  const stopWatching = watchFilePart(request, file, () => {
    if (stream.destroyed) return;
    stream.destroy(new FilePartCutOffError());
    file.resume(); // let the parser move on to whatever follows
  });
  for (const chunk of head) stream.write(chunk);
  file.pipe(stream);
  return { stream, dispose: stopWatching };
}

/**
 * Reads the file part whole when it ends within `wholeLimit` bytes (`bytes`): a small upload
 * then takes one write to storage instead of a stream pipeline. A longer one is handed on as a
 * stream (what was read so far first) after `wholeLimit` bytes, so memory stays bounded.
 * Rejects with FilePartCutOffError when the part is cut off, like the stream would fail.
 */
export function readFilePart(request: FastifyRequest, file: FileStream, wholeLimit: number): Promise<{ bytes: Buffer } | FilePartStream> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      stopWatching();
      file.off('data', onData);
      file.off('end', onEnd);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= wholeLimit) return;
      file.pause();
      stop();
      resolve(filePartStream(request, file, chunks));
    };
    const onEnd = () => {
      stop();
      resolve({ bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) });
    };
    const stopWatching = watchFilePart(request, file, () => {
      stop();
      file.resume(); // let the parser move on to whatever follows
      reject(new FilePartCutOffError());
    });
    file.on('data', onData);
    file.once('end', onEnd);
  });
}

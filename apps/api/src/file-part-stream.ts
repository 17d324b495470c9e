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

/**
 * The file part as a stream that always ends or fails. With @fastify/multipart 9.4, a body that
 * ends inside the file can leave busboy's stream destroyed without 'end' (or never ending), and
 * a pipeline reading it then waits forever. Reading through our own stream lets us fail it.
 */
export function filePartStream(request: FastifyRequest, file: MultipartFile['file']): { stream: Readable; dispose(): void } {
  const stream = new PassThrough({ highWaterMark: UPLOAD_BUFFER_BYTES });
  // The cut may come before storage starts reading; its pipeline still sees `stream.errored`.
  stream.on('error', () => undefined);
  const cutOff = () => {
    if (stream.destroyed) return;
    stream.destroy(new FilePartCutOffError());
    file.resume(); // let the parser move on to whatever follows
  };
  const onClose = () => {
    if (!file.readableEnded) cutOff();
  };
  if (file.destroyed) process.nextTick(onClose);
  else file.once('close', onClose);
  file.on('error', () => undefined); // surfaced as a cut through onClose
  file.pipe(stream);

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

  return {
    stream,
    dispose() {
      clearInterval(timer);
      file.off('close', onClose);
    },
  };
}

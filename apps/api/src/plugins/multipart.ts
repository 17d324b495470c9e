import fastifyMultipart from '@fastify/multipart';
import fp from 'fastify-plugin';

/** Bytes the multipart parser and the file part stream buffer (per upload in flight). */
export const UPLOAD_BUFFER_BYTES = 256 * 1024;

export interface MultipartLimits {
  maxUploadBytes: number;
  /** Parts per form, file included (MAX_UPLOAD_PARTS): past it, 400 too_many_parts. */
  maxParts: number;
  /** Bytes of one non-file part (MAX_FIELD_BYTES): a longer one is cut and refused, 413 field_too_large. */
  maxFieldBytes: number;
}

/**
 * Multipart limits: one file of at most MAX_UPLOAD_BYTES, a few small fields. Uploads are read
 * as streams with request.parts(); nothing is attached to the body or buffered.
 */
export const multipartPlugin = fp<MultipartLimits>(
  async (app, options) => {
    await app.register(fastifyMultipart, {
      // The client's file name is kept as sent ('../../x' included): it is only shown in the job
      // record, never used as a path (stored files live under uploads/<generated id>/).
      preservePath: true,
      // Larger buffers than the 16 KiB default: a fast client's upload goes through in fewer,
      // larger chunks (fewer pauses and writes), at a bounded cost per upload in flight.
      highWaterMark: UPLOAD_BUFFER_BYTES,
      fileHwm: UPLOAD_BUFFER_BYTES,
      limits: {
        fileSize: options.maxUploadBytes,
        files: 1,
        fields: 10,
        fieldSize: options.maxFieldBytes,
        parts: options.maxParts,
        headerPairs: 100,
      },
    });
  },
  { name: 'harmonizer-multipart' },
);

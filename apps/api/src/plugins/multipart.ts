import fastifyMultipart from '@fastify/multipart';
import fp from 'fastify-plugin';

export const FIELD_SIZE_LIMIT = 64 * 1024;

/**
 * Multipart limits: one file of at most MAX_UPLOAD_BYTES, a few small fields. Uploads are read
 * as streams with request.parts(); nothing is attached to the body or buffered.
 */
export const multipartPlugin = fp<{ maxUploadBytes: number }>(
  async (app, options) => {
    await app.register(fastifyMultipart, {
      limits: {
        fileSize: options.maxUploadBytes,
        files: 1,
        fields: 10,
        fieldSize: FIELD_SIZE_LIMIT,
        parts: 20,
        headerPairs: 100,
      },
    });
  },
  { name: 'harmonizer-multipart' },
);

import fp from 'fastify-plugin';
import { createErrorHandler, handleNotFound } from '../errors.js';

/** Installs the one error handler and the 404 answer on the root instance. */
export const errorsPlugin = fp<{ maxUploadBytes: number }>(
  async (app, options) => {
    app.setErrorHandler(createErrorHandler({ maxUploadBytes: options.maxUploadBytes }));
    app.setNotFoundHandler(handleNotFound);
  },
  { name: 'harmonizer-errors' },
);

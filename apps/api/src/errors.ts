import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidCursorError } from '@harmonizer/db';
import { ObjectTamperedError, ObjectTooLargeError } from '@harmonizer/storage';

/** An error whose status, stable code and message are meant for the client as they are. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export const errorBody = (code: string, message: string): ErrorBody => ({ error: { code, message } });

export const uploadTooLarge = (limitBytes: number) =>
  new ApiError(413, 'upload_too_large', `the uploaded file exceeds the limit of ${limitBytes} bytes`);

/** Postgres SQLSTATE classes and socket errors that mean "the database is not there", not "the query is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
const UNAVAILABLE_MESSAGE = /Connection terminated|connection timeout|Client has encountered a connection error|database system is (starting up|shutting down)/i;

/** True when err (or an error it wraps: drizzle wraps driver errors in `cause`) says the database cannot be reached. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}

/** Errors @fastify/multipart and Fastify itself raise, by their code, as client errors. */
function mapFrameworkError(err: FastifyError, maxUploadBytes: number): ApiError | null {
  switch (err.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return uploadTooLarge(maxUploadBytes);
    case 'FST_FILES_LIMIT':
      return new ApiError(400, 'too_many_files', 'send exactly one file, in the part named "file"');
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new ApiError(400, 'too_many_parts', 'the form has too many parts: send "file" and optionally "dataset" and "options"');
    case 'FST_PROTO_VIOLATION':
      return new ApiError(400, 'invalid_multipart', 'a form part uses a reserved name');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new ApiError(400, 'invalid_options', 'options must be a JSON object: the part is declared as JSON but does not parse');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(415, 'unsupported_media_type', 'send the upload as multipart/form-data');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'body_too_large', 'the request body is too large');
    default:
      break;
  }
  // Fastify's own 4xx messages describe the request, never the server, so they are safe to show.
  if (err.code?.startsWith('FST_') && err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError(err.statusCode, 'bad_request', err.message);
  }
  return null;
}

function toApiError(err: FastifyError, maxUploadBytes: number): ApiError | null {
  if (err instanceof ApiError) return err;
  if (err.validation) {
    // Fastify words it as `querystring/limit must be <= 100`: the field is named.
    return new ApiError(400, 'validation_failed', err.message);
  }
  if (err instanceof ObjectTooLargeError) return uploadTooLarge(maxUploadBytes);
  if (err instanceof ObjectTamperedError) {
    // Encrypted at rest and failed authentication: refused whole, before any byte was sent.
    return new ApiError(500, 'file_tampered', 'the stored file failed its integrity check and was not sent; report this job id to the operator');
  }
  if (isDatabaseUnavailable(err)) {
    return new ApiError(503, 'database_unavailable', 'the database is not reachable right now; nothing was changed by this request, try again shortly', {
      'retry-after': '2',
    });
  }
  if (err instanceof InvalidCursorError) {
    return new ApiError(400, 'invalid_cursor', 'cursor is not one this service issued: use next_cursor from a previous page');
  }
  return mapFrameworkError(err, maxUploadBytes);
}

/**
 * The one place errors become HTTP answers. Every body is `{ error: { code, message } }`; a 5xx
 * says only that something failed on our side, and the details go to the log.
 */
export function createErrorHandler(options: { maxUploadBytes: number }) {
  return function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const apiError = toApiError(err, options.maxUploadBytes);
    if (!apiError) {
      request.log.error({ err }, 'request failed');
      return reply.status(500).send(errorBody('internal_error', 'the server failed to answer this request; try again later'));
    }
    if (apiError.statusCode >= 500) request.log.warn({ code: apiError.code }, apiError.message);
    return reply.status(apiError.statusCode).headers(apiError.headers).send(errorBody(apiError.code, apiError.message));
  };
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0] ?? '';
  return reply.status(404).send(errorBody('route_not_found', `no route for ${request.method} ${path}`));
}

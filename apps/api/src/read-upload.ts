import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { DatasetName, HarmonizeOptions } from '@harmonizer/core';
import type { ObjectStorage, PutResult } from '@harmonizer/storage';
import { ApiError, uploadTooLarge } from './errors.js';
import { FilePartCutOffError, readFilePart } from './file-part-stream.js';
import { checkOptionsForDataset, parseDatasetField, parseOptionsField } from './upload-fields.js';

export interface Upload {
  fileName: string;
  contentType: string | null;
  sizeBytes: number;
  sha256: string;
  dataset: DatasetName | null;
  options: HarmonizeOptions;
}

export interface ReadUploadDeps {
  storage: ObjectStorage;
  maxUploadBytes: number;
  /** Where the file goes; everything under its folder is removed if the upload is refused. */
  storageKey: string;
  storagePrefix: string;
  /** The multipart field size limit (MAX_FIELD_BYTES), named in the 413 for a longer part. */
  maxFieldBytes?: number;
}

const ACCEPTED_FIELDS = '"file" (required), "dataset" and "options"';

/** Busboy cuts a field at the size limit and marks it truncated: refused whole, naming the part. */
const fieldTooLarge = (name: string, limit: number | undefined) =>
  new ApiError(
    413,
    'field_too_large',
    `the "${name.slice(0, 100)}" part is longer than ${limit === undefined ? 'the field size limit' : `the limit of ${limit} bytes`}`,
  );
const MAX_FILE_NAME = 255;
/**
 * A file part that ends within this many bytes is read whole and stored with one write (small
 * jobs are most submissions); a longer one streams to storage, hashed and counted in flight.
 */
export const WHOLE_UPLOAD_BYTES = 64 * 1024;

/** Busboy's own failures (no boundary, a cut-off body) describe the request: a 400, not a 500. */
async function* readParts(iterator: AsyncIterator<Multipart>): AsyncGenerator<Multipart> {
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await iterator.next();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (err instanceof ApiError || (typeof code === 'string' && code.startsWith('FST_'))) throw err;
      throw new ApiError(400, 'invalid_multipart', `the multipart body could not be read: ${(err as Error).message}`);
    }
    if (next.done) return;
    yield next.value;
  }
}

/**
 * After a refusal the client may still be sending: read and discard the rest of the body, so it
 * gets our answer instead of a reset connection.
 */
async function drain(request: FastifyRequest, iterator: AsyncIterator<Multipart>): Promise<void> {
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (next.value.type === 'file') next.value.file.resume();
    }
  } catch {
    // A limit or a malformed body: nothing more to read from the parser.
  } finally {
    request.raw.resume();
  }
}

/** Stores the file part: a small one read whole and written at once, a larger one streamed; hashed either way. */
async function putFilePart(request: FastifyRequest, part: MultipartFile, deps: ReadUploadDeps): Promise<PutResult> {
  const content = await readFilePart(request, part.file, WHOLE_UPLOAD_BYTES);
  const options = { maxBytes: deps.maxUploadBytes };
  if ('stream' in content) {
    try {
      return await deps.storage.put(deps.storageKey, content.stream, options);
    } finally {
      content.dispose();
    }
  }
  // Checked before writing, not after as a stream must: a refused small file is never stored.
  if (part.file.truncated) throw uploadTooLarge(deps.maxUploadBytes);
  if (content.bytes.length === 0) throw fileEmpty();
  return deps.storage.put(deps.storageKey, content.bytes, options);
}

const fileEmpty = () => new ApiError(400, 'file_empty', 'the uploaded file is empty');

/** Puts the file part into storage; never held whole in memory past WHOLE_UPLOAD_BYTES. */
async function storeFile(request: FastifyRequest, part: MultipartFile, deps: ReadUploadDeps) {
  let stored: PutResult;
  try {
    stored = await putFilePart(request, part, deps);
  } catch (err) {
    // A body cut off mid-file is the client's doing; a storage failure is ours (500).
    if (err instanceof FilePartCutOffError) throw new ApiError(400, 'invalid_multipart', err.message);
    throw err;
  }
  // Busboy stops at the limit and marks the stream truncated rather than failing it.
  if (part.file.truncated) throw uploadTooLarge(deps.maxUploadBytes);
  if (stored.size === 0) throw fileEmpty();
  return {
    fileName: part.filename ? part.filename.slice(0, MAX_FILE_NAME) : 'upload',
    contentType: part.mimetype || null,
    sizeBytes: stored.size,
    sha256: stored.sha256,
  };
}

/**
 * Reads a job submission. Fields may come before or after the file; a field before it is checked
 * at once, so a bad dataset is refused before a large upload is stored. On any refusal the
 * stored upload is removed: nothing half-made stays.
 */
export async function readUpload(request: FastifyRequest, deps: ReadUploadDeps): Promise<Upload> {
  let file: Awaited<ReturnType<typeof storeFile>> | null = null;
  let dataset: DatasetName | null = null;
  let options: HarmonizeOptions = {};
  const seen = new Set<string>();
  const iterator = request.parts();
  try {
    for await (const part of readParts(iterator)) {
      if (part.type === 'file' && part.fieldname !== 'file') part.file.resume();
      if (seen.has(part.fieldname)) {
        throw new ApiError(400, 'duplicate_field', `the form has more than one "${part.fieldname.slice(0, 100)}" part`);
      }
      seen.add(part.fieldname);
      if (part.type === 'field' && part.valueTruncated) throw fieldTooLarge(part.fieldname, deps.maxFieldBytes);
      if (part.type === 'file' && part.fieldname === 'file') {
        file = await storeFile(request, part, deps);
      } else if (part.fieldname === 'file') {
        throw new ApiError(400, 'file_missing', 'the "file" part must be a file upload (curl: -F file=@path/to/file.csv)');
      } else if (part.type === 'field' && part.fieldname === 'dataset') {
        dataset = parseDatasetField(part.value);
      } else if (part.type === 'field' && part.fieldname === 'options') {
        options = parseOptionsField(part.value);
      } else {
        throw new ApiError(400, 'unknown_field', `unexpected part "${part.fieldname.slice(0, 100)}"; the form takes ${ACCEPTED_FIELDS}`);
      }
    }
    if (!file) throw new ApiError(400, 'file_missing', 'the form has no "file" part (curl: -F file=@path/to/file.csv)');
    checkOptionsForDataset(options, dataset);
  } catch (err) {
    void drain(request, iterator);
    await deps.storage.removePrefix(deps.storagePrefix).catch(() => undefined);
    throw err;
  }
  return { ...file, dataset, options };
}

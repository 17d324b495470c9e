import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WHOLE_UPLOAD_BYTES } from './read-upload.js';
import { footprint } from './testing/footprint.js';
import { multipartBody, type FormPart } from './testing/multipart-body.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

// A file part that ends within WHOLE_UPLOAD_BYTES is read whole and stored with one write; a
// longer one streams to storage. Both must store the same bytes and record the same size and
// sha256 (the reference: the content as sent), whatever the size, the order of the parts and
// how the body arrives; both refuse the same way.

const MAX_UPLOAD = 4 * WHOLE_UPLOAD_BYTES;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
});
afterAll(async () => {
  await t?.close();
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** CSV-looking text of `size` bytes with multi-byte characters, CRLFs and the odd boundary-like run. */
function content(size: number, seed: number): Buffer {
  const alphabet = ['a', 'Z', '0', ',', '"', '\r\n', '\n', 'é', '中', '-', '--', '\r'];
  const pieces: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const piece = alphabet[(seed * 31 + i * 17 + (i >> 3)) % alphabet.length] as string;
    pieces.push(piece);
    length += Buffer.byteLength(piece);
  }
  return Buffer.from(pieces.join('')).subarray(0, size);
}

/** The body as a stream of `pieceBytes`-byte pieces, so the parser sees many small chunks. */
const inPieces = (payload: Buffer, pieceBytes: number) =>
  Readable.from(Array.from({ length: Math.ceil(payload.length / pieceBytes) }, (_, i) => payload.subarray(i * pieceBytes, (i + 1) * pieceBytes)));

async function post(parts: FormPart[], pieceBytes?: number) {
  const { payload, headers } = multipartBody(parts);
  return t.app.inject({ method: 'POST', url: '/api/v1/jobs', payload: pieceBytes ? inPieces(payload, pieceBytes) : payload, headers });
}

const SIZES = [1, 1294, WHOLE_UPLOAD_BYTES - 1, WHOLE_UPLOAD_BYTES, WHOLE_UPLOAD_BYTES + 1, 3 * WHOLE_UPLOAD_BYTES + 5, MAX_UPLOAD];

describe('POST /api/v1/jobs: small files read whole, larger ones streamed', () => {
  const cases = SIZES.flatMap((size) => [
    { size, pieceBytes: undefined, fieldAfter: false },
    { size, pieceBytes: 997, fieldAfter: true },
    { size, pieceBytes: 16 * 1024 + 3, fieldAfter: false },
  ]);
  it.each(cases)('stores $size bytes (body in pieces of $pieceBytes, dataset after the file: $fieldAfter) as sent', async ({ size, pieceBytes, fieldAfter }) => {
    const data = content(size, size + (pieceBytes ?? 0));
    const file = { name: 'file', filename: 'f.csv', content: data };
    const dataset = { name: 'dataset', value: 'patients' };
    const res = await post(fieldAfter ? [file, dataset] : [dataset, file], pieceBytes);
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    const job = await t.db.jobs.get(id);
    expect(job).toMatchObject({ sizeBytes: size, sha256: sha256(data), dataset: 'patients', fileName: 'f.csv' });
    const stored = await readFile(path.join(t.config.storageDir, job?.storageKey ?? 'missing'));
    expect(stored.equals(data)).toBe(true);
  });

  it.each([1, WHOLE_UPLOAD_BYTES, WHOLE_UPLOAD_BYTES + 1, 3 * WHOLE_UPLOAD_BYTES])(
    'answers 400 invalid_multipart for a body cut off inside a file of %i bytes, and keeps nothing',
    async (size) => {
      const before = await footprint(t);
      const { payload, headers } = multipartBody([{ name: 'file', filename: 'f.csv', content: content(size + 100, 1) }]);
      const cut = payload.subarray(0, payload.length - 150); // inside the file: its last bytes and the boundary are missing
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/jobs', payload: inPieces(cut, 4096), headers });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_multipart');
      expect(await footprint(t)).toEqual(before);
    },
  );

  it('takes a file of exactly MAX_UPLOAD_BYTES and refuses one byte more with 413, keeping nothing', async () => {
    const before = await footprint(t);
    const res = await post([{ name: 'file', filename: 'f.csv', content: content(MAX_UPLOAD + 1, 2) }], 65_536);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('upload_too_large');
    expect(await footprint(t)).toEqual(before);
  });
});

describe('POST /api/v1/jobs: the size limit on a small file', () => {
  let small: TestApp;
  const LIMIT = 1000;
  beforeAll(async () => {
    small = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(LIMIT) } });
  });
  afterAll(async () => {
    await small?.close();
  });

  it.each([
    [LIMIT, 202],
    [LIMIT + 1, 413],
    [WHOLE_UPLOAD_BYTES + 1, 413],
  ])('a file of %i bytes answers %i', async (size, status) => {
    const before = await footprint(small);
    const { payload, headers } = multipartBody([{ name: 'file', filename: 'f.csv', content: content(size, 3) }]);
    const res = await small.app.inject({ method: 'POST', url: '/api/v1/jobs', payload, headers });
    expect(res.statusCode).toBe(status);
    if (status === 413) {
      expect(res.json().error.code).toBe('upload_too_large');
      expect(await footprint(small)).toEqual(before);
    }
  });
});

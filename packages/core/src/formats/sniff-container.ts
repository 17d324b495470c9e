import { InputError } from '../input-error.js';

/** What wraps the text: gzip is unwrapped by the worker; plain bytes go straight to the decoder. */
export type Container = 'gzip' | 'plain';

/** Magic numbers of files people upload by mistake, named so the error says what was sent. */
const UNSUPPORTED: readonly { magic: readonly number[]; name: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], name: 'a ZIP archive (or an Excel .xlsx / Word .docx file)' },
  { magic: [0x50, 0x4b, 0x05, 0x06], name: 'an empty ZIP archive' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], name: 'an old Office file (.xls / .doc)' },
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], name: 'a PDF document' },
  { magic: [0x50, 0x41, 0x52, 0x31], name: 'a Parquet file' },
  { magic: [0x42, 0x5a, 0x68], name: 'a bzip2 archive' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'an xz archive' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7-Zip archive' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], name: 'a Zstandard archive' },
  { magic: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], name: 'an SQLite database' },
];

const GZIP = [0x1f, 0x8b] as const;

const startsWith = (head: Uint8Array, magic: readonly number[]) =>
  head.length >= magic.length && magic.every((byte, i) => head[i] === byte);

/**
 * Reads the first bytes of a stored upload (or of what gzip unwrapped): gzip is recognised by
 * its magic bytes whatever the file is called; other containers are refused with
 * input.unsupported_format naming what they look like. `allowGzip` is false inside a gzip
 * stream, where a second layer is refused rather than unwrapped without end.
 */
export function sniffContainer(head: Uint8Array, allowGzip = true): Container {
  if (startsWith(head, GZIP)) {
    if (allowGzip) return 'gzip';
    throw new InputError('input.unsupported_format', 'The file is gzip-compressed twice: compress it once (file.csv.gz).');
  }
  const known = UNSUPPORTED.find(({ magic }) => startsWith(head, magic));
  if (known) {
    throw new InputError(
      'input.unsupported_format',
      `The file is ${known.name}, not a data file this service reads: upload CSV, TSV, NDJSON, JSON or FHIR ` +
        '(R4 Bundle or Bulk Data NDJSON), optionally gzip-compressed.',
    );
  }
  return 'plain';
}

import { InputError } from '../input-error.js';

/**
 * How the decoded text holds records: delimited text, one JSON value per line (NDJSON, FHIR
 * Bulk Data), or one JSON document (an array of records, a FHIR Bundle or a single resource).
 */
export const INPUT_FORMATS = ['csv', 'ndjson', 'json'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/**
 * Tells the format from the start of the decoded, BOM-stripped text. A leading `{` is NDJSON
 * when the first line is a JSON object on its own, else a pretty-printed document; that needs
 * the whole first line, so the answer is null ("read more") while the head holds no line break
 * and is not the whole file. Markup and HL7 v2 messages are refused by name.
 */
export function detectFormat(head: string, final: boolean): InputFormat | null {
  const start = /^\s*/.exec(head)?.[0].length ?? 0;
  const first = head.charAt(start);
  if (first === '[') return 'json';
  if (first === '<') {
    throw new InputError(
      'input.unsupported_format',
      'The file is XML or HTML (FHIR XML, CDA...): upload FHIR as JSON (a Bundle or Bulk Data NDJSON), or CSV.',
    );
  }
  if (/^MSH\|/.test(head.slice(start, start + 4))) {
    throw new InputError('input.unsupported_format', 'The file is an HL7 v2 message: upload FHIR JSON, NDJSON or CSV instead.');
  }
  if (first !== '{') return 'csv';
  const lineEnd = head.indexOf('\n', start);
  if (lineEnd < 0) return final ? 'json' : null;
  const line = head.slice(start, lineEnd).trim();
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? 'ndjson' : 'json';
  } catch {
    return 'json';
  }
}

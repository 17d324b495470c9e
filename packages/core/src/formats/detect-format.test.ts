import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { detectFormat } from './detect-format.js';

describe('detectFormat', () => {
  it.each([
    { name: 'a CSV header', head: 'MRN,DOB\n1,2000-01-01\n', final: true, format: 'csv' },
    { name: 'TSV', head: 'MRN\tDOB\n', final: false, format: 'csv' },
    { name: 'NDJSON', head: '{"id":1}\n{"id":2}\n', final: false, format: 'ndjson' },
    { name: 'NDJSON with CRLF and leading blank lines', head: '\r\n{"id":1}\r\n{"id":2}', final: true, format: 'ndjson' },
    { name: 'FHIR Bulk Data', head: '{"resourceType":"Patient","id":"a"}\n', final: false, format: 'ndjson' },
    { name: 'a pretty-printed Bundle', head: '{\n  "resourceType": "Bundle",\n', final: false, format: 'json' },
    { name: 'a JSON array', head: '  [{"id":1},\n{"id":2}]', final: false, format: 'json' },
    { name: 'a one-line JSON document that is the whole file', head: '{"resourceType":"Bundle","entry":[]}', final: true, format: 'json' },
    { name: 'a first line that is an array, not an object', head: '{"a":[1,\n2]}\n', final: true, format: 'json' },
  ])('reads $name as $format', ({ head, final, format }) => {
    expect(detectFormat(head, final)).toBe(format);
  });

  it('asks for more text while the first line of an object is not complete', () => {
    expect(detectFormat('{"resourceType":"Patient","text":"', false)).toBeNull();
  });

  it.each([
    { name: 'XML', head: '<?xml version="1.0"?><Bundle xmlns="http://hl7.org/fhir">' },
    { name: 'HTML', head: '\n<html><body>' },
    { name: 'an HL7 v2 message', head: 'MSH|^~\\&|LAB|HOSP|||20240101||ORU^R01|1|P|2.5\r' },
  ])('refuses $name with input.unsupported_format', ({ head }) => {
    expect(() => detectFormat(head, true)).toThrow(InputError);
    try {
      detectFormat(head, true);
    } catch (err) {
      expect((err as InputError).code).toBe('input.unsupported_format');
    }
  });
});

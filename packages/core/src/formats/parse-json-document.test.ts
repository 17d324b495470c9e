import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { parseJsonDocument } from './parse-json-document.js';

const code = (text: string) => {
  try {
    parseJsonDocument(text);
  } catch (err) {
    if (err instanceof InputError) return err.code;
    throw err;
  }
  return null;
};

describe('parseJsonDocument', () => {
  it('reads an array of records, keeping items that are not objects for the caller to reject', () => {
    expect(parseJsonDocument('[{"id":1},{"id":2},7]')).toEqual({ kind: 'array', items: [{ id: 1 }, { id: 2 }, 7] });
  });

  it("reads a Bundle's entries with their fullUrls, an entry without a resource as null", () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', id: 'p1' } },
        { request: { method: 'DELETE', url: 'Patient/x' } },
      ],
    };
    expect(parseJsonDocument(JSON.stringify(bundle))).toEqual({
      kind: 'bundle',
      items: [{ resourceType: 'Patient', id: 'p1' }, null],
      fullUrls: ['urn:uuid:p1', null],
    });
  });

  it('reads one resource, and an object whose only array holds the records', () => {
    expect(parseJsonDocument('{"resourceType":"Patient","id":"a"}')).toEqual({ kind: 'resource', items: [{ resourceType: 'Patient', id: 'a' }] });
    expect(parseJsonDocument('{"count":2,"data":[{"id":1},{"id":2}]}')).toEqual({ kind: 'wrapped', items: [{ id: 1 }, { id: 2 }] });
  });

  it.each([
    { name: 'a number', text: '42', code: 'input.json_not_records' },
    { name: 'an object of scalars', text: '{"a":1,"b":"x"}', code: 'input.json_not_records' },
    { name: 'an object with two arrays of records', text: '{"a":[{"x":1}],"b":[{"y":2}]}', code: 'input.json_not_records' },
    { name: 'truncated JSON', text: '[{"id":1},{"id"', code: 'input.invalid_json' },
    { name: 'NDJSON read as one document', text: '{"id":1}\n{"id":2}', code: 'input.invalid_json' },
  ])('refuses $name with $code', ({ text, code: expected }) => {
    expect(code(text)).toBe(expected);
  });

  it('names the position of a syntax error, never the text around it', () => {
    try {
      parseJsonDocument('[{"ssn":"123-45-6789",}]');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/position \d+/);
      expect((err as Error).message).not.toContain('123-45');
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { parseJsonDocument } from './parse-json-document.js';

function parseOutcome(text: string) {
  try {
    return parseJsonDocument(text);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

describe('parseJsonDocument on hostile input (property)', () => {
  it('answers records or an InputError for any JSON value and any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 6 }), fc.string({ maxLength: 200 }), fc.constantFrom('', '{', '[1,', '{"a":}', 'null', '"x"')), (text) => {
        const outcome = parseOutcome(text);
        if (outcome instanceof InputError) {
          expect(['input.invalid_json', 'input.json_not_records']).toContain(outcome.code);
          return;
        }
        expect(Array.isArray(outcome.items)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('answers deeply nested documents without overflowing the stack', () => {
    for (const depth of [1_000, 50_000]) {
      for (const text of [`${'['.repeat(depth)}${']'.repeat(depth)}`, `{"data":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`]) {
        const outcome = parseOutcome(text);
        if (!(outcome instanceof InputError)) expect(outcome.items.length).toBeGreaterThan(0);
      }
    }
  });
});

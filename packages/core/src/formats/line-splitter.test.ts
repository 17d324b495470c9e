import { describe, expect, it } from 'vitest';
import { createLineSplitter } from './line-splitter.js';

function split(pieces: string[]): string[] {
  const splitter = createLineSplitter();
  return [...pieces.flatMap((piece) => splitter.push(piece)), ...splitter.flush()];
}

describe('createLineSplitter', () => {
  it('returns LF and CRLF lines without their terminators, blank lines included', () => {
    expect(split(['{"a":1}\r\n\n{"a":2}\n'])).toEqual(['{"a":1}', '', '{"a":2}']);
  });

  it('joins a line cut across pieces, a CRLF cut between CR and LF included', () => {
    expect(split(['{"a":', '1}\r', '\n{"b"', ':2}'])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('gives the same lines for any cutting of the text', () => {
    const text = '{"x":"é"}\r\n\n{"y":[1,2]}\n{"z":null}';
    const whole = split([text]);
    for (let size = 1; size < text.length; size++) {
      const pieces = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
      expect(split(pieces)).toEqual(whole);
    }
  });

  it('returns nothing for no text and no last line after a final line break', () => {
    expect(split([])).toEqual([]);
    expect(split(['{"a":1}\n'])).toEqual(['{"a":1}']);
  });
});

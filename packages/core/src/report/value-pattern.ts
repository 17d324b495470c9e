/** Distinct shapes counted per field; a field with more (free text) has no single format and is given up. */
export const PATTERN_CAP = 64;
const MAX_PATTERN_CHARS = 24;
const LETTER = /\p{L}/u;

/**
 * The shape of a value, which says its format without saying the value: each digit becomes 9,
 * each run of letters one A, each run of spaces one space; other characters stay. `2019-03-04`
 * -> `9999-99-99`, `Maynard46` -> `A99`, `+16178848300` -> `+99999999999`.
 */
export function valuePattern(value: string): string {
  let out = '';
  let last = '';
  for (const ch of value) {
    if (out.length >= MAX_PATTERN_CHARS) return `${out}…`;
    const code = ch.charCodeAt(0);
    let mapped: string;
    if (code >= 48 && code <= 57) mapped = '9';
    else if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code > 127 && LETTER.test(ch))) mapped = 'A';
    else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') mapped = ' ';
    else mapped = ch;
    if ((mapped === 'A' || mapped === ' ') && mapped === last) continue;
    out += mapped;
    last = mapped;
  }
  return out;
}

/** Counts a shape; false when the field now has too many distinct shapes (drop the table). */
export function addPattern(patterns: Map<string, number>, pattern: string): boolean {
  patterns.set(pattern, (patterns.get(pattern) ?? 0) + 1);
  return patterns.size <= PATTERN_CAP;
}

/**
 * Sum of two tables, or undefined when either was given up or the union is too big. Exact, so
 * the report is the same whatever the chunk size; neither input changes.
 */
export function mergePatterns(
  a: ReadonlyMap<string, number> | undefined,
  b: ReadonlyMap<string, number> | undefined,
): Map<string, number> | undefined {
  if (!a || !b) return undefined;
  const sum = new Map(a);
  for (const [pattern, count] of b) sum.set(pattern, (sum.get(pattern) ?? 0) + count);
  return sum.size <= PATTERN_CAP ? sum : undefined;
}

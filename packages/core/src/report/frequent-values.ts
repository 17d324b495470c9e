/**
 * Frequent values, counted exactly while a field has at most TOP_DISTINCT_CAP distinct values
 * and given up beyond: a field with more (identifiers, free text) has no "top values" worth
 * showing once rare values are suppressed, and exact counting keeps the report the same
 * whatever the chunk size (an approximate summary would merge differently).
 */
export const TOP_DISTINCT_CAP = 512;
/** Longer values are cut to this many characters before counting (they are rarely frequent). */
export const TOP_VALUE_MAX_CHARS = 64;

/** Counts one value; false when the field now has too many distinct values (drop the table). */
export function addFrequent(counts: Map<string, number>, raw: string): boolean {
  const value = raw.length > TOP_VALUE_MAX_CHARS ? `${raw.slice(0, TOP_VALUE_MAX_CHARS)}…` : raw;
  counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts.size <= TOP_DISTINCT_CAP;
}

/** Sum of two tables, or undefined when either was given up or the union is too big; neither input changes. */
export function mergeFrequent(
  a: ReadonlyMap<string, number> | undefined,
  b: ReadonlyMap<string, number> | undefined,
): Map<string, number> | undefined {
  return a && b ? mergeFrequentInto(new Map(a), b) : undefined;
}

/** mergeFrequent written into `into` (returned, or undefined past the cap); b does not change. */
export function mergeFrequentInto(into: Map<string, number>, b: ReadonlyMap<string, number>): Map<string, number> | undefined {
  for (const [value, count] of b) into.set(value, (into.get(value) ?? 0) + count);
  return into.size <= TOP_DISTINCT_CAP ? into : undefined;
}

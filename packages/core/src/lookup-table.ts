/**
 * A frozen lookup table without a prototype. Tables here are indexed by values from the file
 * (a sex code, a state name, a header word, a resourceType), and on a plain object literal
 * `table['constructor']` or `table['toString']` is a function, not undefined.
 */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

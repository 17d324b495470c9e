import type { Placeholder } from 'drizzle-orm';

/**
 * Builds a value on first use and keeps it: the repositories prepare their hot statements
 * (job get, markRunning, updateProgress, markCompleted, appendLog, api key by hash) once, so a
 * call binds values instead of building the query with drizzle and preparing it again.
 */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * One placeholder per property of a row, named as the property: a prepared insert of `T` then
 * runs with the row object itself as its values. The type lists every property, so a column
 * added to the row cannot be left out of the statement.
 */
export type PlaceholdersOf<T> = { [K in keyof T]-?: Placeholder<K & string> };

/** A JSON column's value as its driver value (what drizzle's json/jsonb columns write); null stays SQL NULL. */
export const jsonValue = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

import type { DatasetDefinition } from '../datasets/dataset-definition.js';
import { InputError } from '../input-error.js';
import type { ColumnMapping } from '../types.js';
import { normalizeHeader } from './normalize-header.js';

/**
 * Applies options.mapping (source column -> canonical field) before any automatic matching and
 * returns the fields it took. A source is found by its exact header, else case-insensitively,
 * else by normalized form, so users need not copy stray spaces from the file.
 */
export function applyOverrides(
  columns: ColumnMapping[],
  def: DatasetDefinition,
  overrides: Record<string, string>,
): Set<string> {
  const taken = new Set<string>();
  const fieldNames = def.fields.map((f) => f.name);
  for (const [source, target] of Object.entries(overrides)) {
    if (!fieldNames.includes(target)) {
      throw new InputError(
        'input.invalid_mapping',
        `options.mapping maps column "${source}" to "${target}", which is not a ${def.name} field; ` +
          `use one of: ${fieldNames.join(', ')}.`,
      );
    }
    const column = findColumn(columns, source);
    if (!column) {
      throw new InputError(
        'input.invalid_mapping',
        `options.mapping names column "${source}", which is not in the header; columns found: ` +
          `${columns.map((c) => `"${c.source}"`).join(', ')}.`,
      );
    }
    if (taken.has(target) || column.field !== null) {
      throw new InputError(
        'input.invalid_mapping',
        `options.mapping maps more than one column to "${target}" or one column twice ("${source}"): ` +
          'each field takes one column.',
      );
    }
    column.field = target;
    column.confidence = 1;
    column.method = 'override';
    taken.add(target);
  }
  return taken;
}

function findColumn(columns: ColumnMapping[], source: string): ColumnMapping | undefined {
  const lower = source.trim().toLowerCase();
  const normalized = normalizeHeader(source);
  return (
    columns.find((c) => c.source === source) ??
    columns.find((c) => c.source.trim().toLowerCase() === lower) ??
    (normalized === '' ? undefined : columns.find((c) => normalizeHeader(c.source) === normalized))
  );
}

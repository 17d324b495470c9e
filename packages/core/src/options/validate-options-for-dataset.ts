import { getDataset } from '../datasets/registry.js';
import { InputError } from '../input-error.js';
import type { DatasetName, HarmonizeOptions } from '../types.js';

/**
 * Checks the options that depend on the dataset, known only once it is given or detected:
 * dedup_keys must be canonical fields of it, and per-field two_digit_year_base keys its date fields.
 */
export function validateOptionsForDataset(options: HarmonizeOptions, dataset: DatasetName): void {
  const def = getDataset(dataset);
  const names = def.fields.map((f) => f.name);
  const unknown = (options.dedup_keys ?? []).filter((key) => !names.includes(key));
  if (unknown.length > 0) {
    throw new InputError(
      'input.invalid_options',
      `options.dedup_keys names ${unknown.map((k) => `"${k}"`).join(', ')}, not ${dataset} fields; ` +
        `use some of: ${names.join(', ')}.`,
    );
  }
  const base = options.two_digit_year_base;
  if (base !== undefined && typeof base !== 'number') {
    const dateFields = def.fields.filter((f) => f.type === 'date' || f.type === 'datetime').map((f) => f.name);
    const notDates = Object.keys(base).filter((key) => !dateFields.includes(key));
    if (notDates.length > 0) {
      throw new InputError(
        'input.invalid_options',
        `options.two_digit_year_base names ${notDates.map((k) => `"${k}"`).join(', ')}, not ${dataset} date fields; ` +
          `use some of: ${dateFields.join(', ')}.`,
      );
    }
  }
}

import {
  DATASET_NAMES,
  InputError,
  OptionsError,
  isDatasetName,
  parseOptions,
  validateOptionsForDataset,
  type DatasetName,
  type HarmonizeOptions,
} from '@harmonizer/core';
import { ApiError } from './errors.js';

/** The `dataset` part: a known dataset name, or empty / absent to let the worker detect it. */
export function parseDatasetField(value: unknown): DatasetName | null {
  const name = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  if (name === '') return null;
  if (isDatasetName(name)) return name;
  throw new ApiError(
    400,
    'invalid_dataset',
    `dataset "${name.slice(0, 100)}" is not known; use one of: ${DATASET_NAMES.join(', ')} (or leave it out to detect it)`,
  );
}

const invalidOptions = (detail: string) => new ApiError(400, 'invalid_options', `options must be a JSON object: ${detail}`);

/**
 * The `options` part: a JSON object, checked field by field by the engine. It arrives as text,
 * or already parsed when the client declared the part as application/json.
 */
export function parseOptionsField(value: unknown): HarmonizeOptions {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      throw invalidOptions((err as Error).message);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidOptions(`got ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  try {
    return parseOptions(parsed);
  } catch (err) {
    if (err instanceof OptionsError) {
      throw new ApiError(400, 'invalid_options', err.message); // names the field, e.g. options.dedup_keys
    }
    throw err;
  }
}

/** Options that depend on the dataset (dedup_keys must be its fields), checked when it was given. */
export function checkOptionsForDataset(options: HarmonizeOptions, dataset: DatasetName | null): void {
  if (dataset === null) return;
  try {
    validateOptionsForDataset(options, dataset);
  } catch (err) {
    if (err instanceof InputError) throw new ApiError(400, 'invalid_options', err.message);
    throw err;
  }
}

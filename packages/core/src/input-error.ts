/** Stable codes for file-level bad input. The worker fails the job with the code, without retry. */
export const INPUT_ERROR_CODES = [
  'input.empty',
  'input.no_header',
  'input.no_records',
  'input.binary',
  'input.unknown_dataset',
  'input.required_columns_missing',
  'input.invalid_mapping',
  'input.invalid_options',
  'input.decompressed_too_large',
  'quality.error_rate_exceeded',
  'input.unsupported_format',
  'input.truncated_gzip',
  'input.corrupt_gzip',
  'input.invalid_json',
  'input.json_not_records',
  'input.too_large_for_json',
] as const;
export type InputErrorCode = (typeof INPUT_ERROR_CODES)[number];

/**
 * The whole file cannot be harmonized as given. Messages say what to fix; they may name column
 * headers (not PHI) but never cell values.
 */
export class InputError extends Error {
  readonly code: InputErrorCode;

  constructor(code: InputErrorCode, message: string) {
    super(message);
    this.name = 'InputError';
    this.code = code;
  }
}

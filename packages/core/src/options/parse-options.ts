import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { DEIDENTIFY_DATE_MODES, OUTPUT_FORMATS, type HarmonizeOptions } from '../types.js';

/** The options part of an upload is unreadable; `field` is the dotted path of the first bad field. */
export class OptionsError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'OptionsError';
    this.field = field;
  }
}

/** A year between 1000 and 9900: YY is read as the year in base..base+99 ending in YY. */
const twoDigitYearBase = z.number().int('must be a whole year').min(1000, 'must be a year from 1000').max(9900, 'must be a year up to 9900');

const optionsSchema = z
  .object({
    dedup_keys: z.array(z.string().min(1, 'must not be empty')).min(1, 'must name at least one field').max(32).optional(),
    mapping: z.record(z.string().min(1, 'column names must not be empty'), z.string().min(1, 'must not be empty')).optional(),
    code_map: z
      .record(
        z.string().min(1, 'field names must not be empty'),
        z.record(z.string().min(1, 'local codes must not be empty'), z.string().min(1, 'must not be empty')),
      )
      .optional(),
    mapping_profile: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'must be a lower-case name of 1-64 characters a-z, 0-9, _ or -').optional(),
    default_country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code such as US')
      .transform((code) => code.toUpperCase())
      .refine((code) => isSupportedCountry(code), 'is not a country with known phone numbering')
      .optional(),
    include_values: z.boolean().optional(),
    fail_if_error_rate_above: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
    outputs: z
      .array(z.enum(OUTPUT_FORMATS, { message: `must each be one of ${OUTPUT_FORMATS.join(', ')}` }))
      .min(1, 'must name at least one output')
      .refine((list) => new Set(list).size === list.length, 'must not repeat an output')
      .optional(),
    two_digit_year_base: z
      .union([twoDigitYearBase, z.record(z.string().min(1, 'field names must not be empty'), twoDigitYearBase)], {
        message: 'must be a year such as 2100, or an object of field -> year',
      })
      .optional(),
    deidentify: z.boolean().optional(),
    deidentify_dates: z.enum(DEIDENTIFY_DATE_MODES, { message: `must be ${DEIDENTIFY_DATE_MODES.join(' or ')}` }).optional(),
  })
  .strict();

/**
 * Validates the user's options (an object, a JSON string, or nothing). Unknown keys are errors,
 * so a typo is reported instead of silently ignored.
 */
export function parseOptions(raw: unknown): HarmonizeOptions {
  let value = raw;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new OptionsError('options', 'options is not valid JSON');
    }
  }
  const result = optionsSchema.safeParse(value);
  if (result.success) {
    const { deidentify, deidentify_dates, include_values } = result.data;
    if (deidentify_dates && !deidentify) throw new OptionsError('deidentify_dates', 'options.deidentify_dates needs options.deidentify: true');
    if (deidentify && include_values) {
      throw new OptionsError('include_values', 'options.include_values cannot be combined with options.deidentify: de-identified jobs never output raw values');
    }
    return result.data;
  }
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const field = path ? `${path}.${key}` : key;
    throw new OptionsError(field, `options.${field} is not a known option; use ${Object.keys(optionsSchema.shape).join(', ')}`);
  }
  const field = path || 'options';
  const where = path ? `options.${path}` : 'options';
  const reason = issue?.code === 'invalid_type' ? `must be ${describe(issue.expected)}` : (issue?.message ?? 'is invalid');
  throw new OptionsError(field, `${where} ${reason}`);
}

function describe(expected: string): string {
  return expected === 'object' ? 'an object' : expected === 'array' ? 'an array' : `a ${expected}`;
}

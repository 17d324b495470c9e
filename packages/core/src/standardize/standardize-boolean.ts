import { finding } from '../validate/rules.js';
import type { Standardizer } from './standardize-context.js';

const TRUE = new Set(['true', 't', 'yes', 'y', '1', 'on', 'x', 'checked']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', 'off', 'unchecked']);

/** true/false from TRUE/false, Y/N, Yes/No, 1/0 (CMS, Kaggle, USAID spell them all). */
export const standardizeBoolean: Standardizer = (raw, ctx) => {
  const key = raw.toLowerCase();
  if (TRUE.has(key)) return { value: 'true' };
  if (FALSE.has(key)) return { value: 'false' };
  return {
    value: null,
    keepRaw: true,
    findings: [finding(ctx.field, 'boolean.invalid', `${ctx.field} is not a yes/no value; the text is kept under extras`)],
  };
};

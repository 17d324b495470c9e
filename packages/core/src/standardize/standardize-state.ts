import type { Standardizer } from './standardize-context.js';
import { US_STATE_CODES, US_STATES } from './us-states.js';

/** US state names and codes -> the 2-letter code ("Massachusetts", "ma" -> "MA"); others kept trimmed. */
export const standardizeState: Standardizer = (raw) => {
  const text = raw.trim().replace(/\s+/g, ' ');
  const code = text.replace(/\./g, '').toUpperCase();
  if (code.length === 2 && US_STATE_CODES.has(code)) return { value: code };
  return { value: US_STATES[text.toLowerCase()] ?? text };
};

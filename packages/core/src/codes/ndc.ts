import type { CodeMatch } from './code-match.js';

/**
 * NDC to the 11-digit 5-4-2 form (the HIPAA billing form, as MIMIC stores it: `00006494300`).
 * Hyphenated 10-digit labels say which segment is short (4-4-2, 5-3-2, 5-4-1), so the zero goes
 * there. A bare 10-digit NDC does not, so it is kept with ndc.ambiguous. Fewer than 10 digits
 * in a column known to hold NDCs lost leading zeros to a spreadsheet: padded, with a warning.
 * `0` means "no NDC" in MIMIC and is read as empty before this is called.
 */
export function matchNdc(raw: string, known: boolean): CodeMatch | null {
  const text = raw.replace(/\s+/g, '');
  const hyphenated = /^(\d{4,5})-(\d{3,4})-(\d{1,2})$/.exec(text);
  if (hyphenated) {
    const [, labeler = '', product = '', pack = ''] = hyphenated;
    if (labeler.length + product.length + pack.length > 11) return null;
    if (labeler.length + product.length + pack.length < 10) return null;
    return { code: `${labeler.padStart(5, '0')}${product.padStart(4, '0')}${pack.padStart(2, '0')}` };
  }
  if (/^\d{11}$/.test(text)) return { code: text };
  if (/^\d{10}$/.test(text)) return { code: text, repair: 'ndc.ambiguous' };
  if (known && /^\d{6,9}$/.test(text)) return { code: text.padStart(11, '0'), repair: 'ndc.leading_zero_restored' };
  return null;
}

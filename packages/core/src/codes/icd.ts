import type { CodeMatch } from './code-match.js';

/**
 * ICD codes to their dotted form. Files drop the dot (MIMIC `99591`, `V090`, `E8791`) or keep
 * it (UCI `250.83`); spreadsheets also drop leading zeros (UCI `8` for 008). Where the dot goes:
 * ICD-9-CM diagnoses after 3 characters, E codes after 4 (E879.1); ICD-9-CM procedures (volume
 * 3) after 2 (36.05); ICD-10-CM after 3; ICD-10-PCS has no dot (7 characters).
 */

const ICD9_V = /^V(\d{2})\.?(\d{1,2})?$/;
const ICD9_E = /^E(\d{3})\.?(\d)?$/;

/**
 * ICD-9-CM diagnosis. `restoreZeros`: the column is known to hold ICD-9 (header or the whole
 * column), so a numeric code with fewer than 3 digits before the dot lost its leading zeros.
 */
export function matchIcd9Diagnosis(raw: string, restoreZeros: boolean): CodeMatch | null {
  const text = raw.toUpperCase();
  const v = ICD9_V.exec(text);
  if (v) return { code: v[2] ? `V${v[1]}.${v[2]}` : `V${v[1]}` };
  const e = ICD9_E.exec(text);
  if (e) return { code: e[2] ? `E${e[1]}.${e[2]}` : `E${e[1]}` };
  const dotted = /^(\d{1,3})\.(\d{1,2})$/.exec(text);
  let parts: [string, string] | null = null;
  if (dotted) parts = [dotted[1] ?? '', dotted[2] ?? ''];
  else if (/^\d{3,5}$/.test(text)) parts = [text.slice(0, 3), text.slice(3)];
  else if (/^\d{1,2}$/.test(text)) parts = [text, ''];
  if (!parts) return null;
  const [category = '', sub = ''] = parts;
  if (category.length < 3) {
    if (!restoreZeros) return null;
    const padded = category.padStart(3, '0');
    return { code: sub ? `${padded}.${sub}` : padded, repair: 'icd.leading_zero_restored' };
  }
  return { code: sub ? `${category}.${sub}` : category };
}

/** ICD-9-CM procedure (volume 3): two digits, then up to two after the dot. */
export function matchIcd9Procedure(raw: string): CodeMatch | null {
  const m = /^(\d{2})\.?(\d{1,2})?$/.exec(raw);
  if (!m) return null;
  return { code: m[2] ? `${m[1]}.${m[2]}` : (m[1] ?? '') };
}

/** ICD-10-CM: a letter, two more characters, then up to four after the dot. */
export function matchIcd10Cm(raw: string): CodeMatch | null {
  const m = /^([A-Z]\d[0-9A-Z])\.?([0-9A-Z]{1,4})?$/.exec(raw.toUpperCase());
  if (!m) return null;
  return { code: m[2] ? `${m[1]}.${m[2]}` : (m[1] ?? '') };
}

/** ICD-10-PCS: seven characters, digits and letters other than I and O, no dot. */
export function matchIcd10Pcs(raw: string): CodeMatch | null {
  const text = raw.toUpperCase();
  return /^[0-9A-HJ-NP-Z]{7}$/.test(text) && /\d/.test(text) ? { code: text } : null;
}

import { normalizeUnit } from './ucum.js';

/**
 * The unit a header names for its column ("Weight (lbs)", "Temp_F", "height in", "Weight
 * (kilograms)"): the text in trailing parentheses or brackets, else the last word. Only read for
 * fields with a canonical unit, and only units that convert there count, so "Temp C" or "BP
 * Systolic" never yield nonsense.
 */
export function unitFromHeader(header: string): string | null {
  const bracketed = /[([]\s*([^()[\]]+?)\s*[)\]]\s*$/.exec(header);
  const words = header
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .split(/[\s_\-./]+/u)
    .filter((w) => w !== '');
  const candidate = bracketed?.[1] ?? (words.length > 1 ? words[words.length - 1] : undefined);
  if (!candidate) return null;
  const unit = normalizeUnit(candidate);
  return unit.known ? unit.ucum : null;
}

import type { DeidentifyDateMode } from '../types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** YYYY-MM-DD, optionally followed by a time part (kept as is when shifting). */
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;

/**
 * One date value, de-identified: 'year' keeps only its year (YYYY); 'shift' moves a full date by
 * `shiftDays`, keeping any time of day. A value with no full date (YYYY-MM, YYYY) cannot be
 * shifted and is reduced to its year; a value with no year at all is removed (null).
 */
export function deidentifyDate(value: string, mode: DeidentifyDateMode, shiftDays: number): string | null {
  const year = /^\d{4}/.exec(value)?.[0] ?? null;
  if (mode === 'year') return year;
  const full = FULL_DATE.exec(value);
  if (!full) return year;
  const shifted = new Date(Date.UTC(Number(full[1]), Number(full[2]) - 1, Number(full[3])) + shiftDays * DAY_MS);
  if (Number.isNaN(shifted.getTime())) return null;
  return `${shifted.toISOString().slice(0, 10)}${full[4] ?? ''}`;
}

/** Whole years from an ISO birth date to an ISO date (YYYY-MM-DD...), or null when either has no full date. */
export function ageOn(birth: string, on: string): number | null {
  const b = FULL_DATE.exec(birth);
  const d = FULL_DATE.exec(on);
  if (!b || !d) return null;
  const years = Number(d[1]) - Number(b[1]);
  const hadBirthday = `${d[2]}-${d[3]}` >= `${b[2]}-${b[3]}`;
  return hadBirthday ? years : years - 1;
}

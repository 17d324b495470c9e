import { lookupTable } from '../lookup-table.js';

const MONTHS: Readonly<Record<string, number>> = lookupTable({
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6,
  june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
});

/** Time of day after a date: H:MM[:SS[.fff]] [AM|PM] [Z|+hh[:mm]]. Groups: hour, minute, second, fraction, meridiem, offset. */
const TIME = String.raw`(?:(?:[T ]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp]\.?[Mm]\.?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?`;
const YEAR = String.raw`(\d{4}|\d{2})`;
const SEP = String.raw`[\s\-/.]*`;

export type DayOrder = 'mdy' | 'dmy';
type Form = 'iso' | 'compact' | 'numeric' | 'dot' | 'd-mon-y' | 'mon-d-y';

/** Compiled once; each has three date groups, then the TIME groups. */
const PATTERNS: readonly (readonly [RegExp, Form])[] = [
  [new RegExp(String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})${TIME}$`), 'iso'],
  [/^(\d{4})(\d{2})(\d{2})$/, 'compact'],
  // Dashes between day, month and year are left out on purpose: 05-03-2020 is read both ways.
  [new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/${YEAR}${TIME}$`), 'numeric'],
  [new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.${YEAR}${TIME}$`), 'dot'],
  [new RegExp(String.raw`^(\d{1,2})${SEP}(\p{L}{3,9})\.?,?${SEP}${YEAR}${TIME}$`, 'u'), 'd-mon-y'],
  [new RegExp(String.raw`^(\p{L}{3,9})\.?${SEP}(\d{1,2})(?:st|nd|rd|th)?,?${SEP}${YEAR}${TIME}$`, 'u'), 'mon-d-y'],
];

export interface DateParseOptions {
  /** How to read numeric day/month forms (03/04/1980); default month first (US). */
  order?: DayOrder;
  /** ISO "today": a two-digit year becomes the latest such year not after it. */
  referenceDate?: string | undefined;
  /** A year B: a two-digit year YY becomes the year in B..B+99 ending in YY (2100: 64 -> 2164). Wins over referenceDate. */
  twoDigitYearBase?: number | undefined;
}

export interface ParsedDateTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM:SS[.fff], or null when only a date was written. */
  time: string | null;
  /** 'Z' or ±HH:MM, or null when none was written. */
  offset: string | null;
  /** The year had two digits; `century` says what resolved it. */
  twoDigitYear: boolean;
  century: 'base' | 'reference' | null;
  /** The shape as written, for the report: 'M/D/YY H:MM', 'YYYY-MM-DDTHH:MM:SSZ'... */
  pattern: string;
  /** A numeric form whose first two parts could be read either way (both <= 12 and different). */
  ambiguousOrder: boolean;
}

/**
 * Reads a date with an optional time: ISO 8601 (also with a space, a slash, fractions and an
 * offset), YYYYMMDD, M/D/Y (or D/M/Y with `order: 'dmy'`), D.M.Y, D-Mon-Y and Mon D, Y. Returns null when the text is
 * no date, not a calendar date (Feb 30), not a time of day, or has a two-digit year and nothing
 * to resolve it with.
 */
export function parseDateTime(text: string, options: DateParseOptions = {}): ParsedDateTime | null {
  const trimmed = text.trim();
  for (const [pattern, form] of PATTERNS) {
    const m = pattern.exec(trimmed);
    if (!m) continue;
    const [a = '', b = '', c = '', hh, mi, ss, frac, meridiem, offset] = m.slice(1);
    const parts = dateParts(form, a, b, c, options.order ?? 'mdy');
    if (!parts) return null;
    const year = resolveYear(parts.year, parts.month, parts.day, options);
    if (year === null || year < 1000 || parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.day > daysInMonth(year, parts.month)) {
      return null;
    }
    const time = hh === undefined ? null : timeOfDay(hh, mi ?? '00', ss, frac, meridiem);
    if (time === false) return null;
    return {
      date: ymd(year, parts.month, parts.day),
      time,
      offset: offset === undefined ? null : normalizeOffset(offset),
      twoDigitYear: parts.year.length === 2,
      century: parts.year.length !== 2 ? null : options.twoDigitYearBase !== undefined ? 'base' : 'reference',
      pattern: describe(form, parts, trimmed, { hasSeconds: ss !== undefined, frac, meridiem, offset }),
      ambiguousOrder: form === 'numeric' && Number(a) <= 12 && Number(b) <= 12 && a !== b,
    };
  }
  return null;
}

function dateParts(form: Form, a: string, b: string, c: string, order: DayOrder) {
  switch (form) {
    case 'iso':
    case 'compact':
      return { year: a, month: Number(b), day: Number(c), order: null };
    case 'numeric':
      // The order is the column's (inferColumnFormats), never guessed per value: a US column's
      // 13/05/2020 is a bad date, not the 13th of May.
      return order === 'dmy'
        ? { year: c, month: Number(b), day: Number(a), order }
        : { year: c, month: Number(a), day: Number(b), order };
    case 'dot':
      return { year: c, month: Number(b), day: Number(a), order: 'dmy' as const };
    case 'd-mon-y': {
      const month = MONTHS[b.toLowerCase()];
      return month ? { year: c, month, day: Number(a), order: null } : null;
    }
    case 'mon-d-y': {
      const month = MONTHS[a.toLowerCase()];
      return month ? { year: c, month, day: Number(b), order: null } : null;
    }
  }
}

function resolveYear(text: string, month: number, day: number, options: DateParseOptions): number | null {
  const yy = Number(text);
  if (text.length !== 2) return yy;
  const base = options.twoDigitYearBase;
  if (base !== undefined) return base + ((yy - (base % 100) + 100) % 100);
  const ref = options.referenceDate;
  if (!ref) return null;
  let year = Math.floor(Number(ref.slice(0, 4)) / 100) * 100 + yy;
  if (ymd(year, month, day) > ref) year -= 100;
  return year;
}

function timeOfDay(hh: string, mi: string, ss: string | undefined, frac: string | undefined, meridiem: string | undefined): string | false {
  let hour = Number(hh);
  if (meridiem) {
    if (hour < 1 || hour > 12) return false;
    const pm = /^p/i.test(meridiem);
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  const minute = Number(mi);
  const second = ss === undefined ? 0 : Number(ss);
  if (hour > 23 || minute > 59 || second > 60) return false;
  const base = `${pad(hour)}:${pad(minute)}:${pad(second)}`;
  return frac ? `${base}.${frac}` : base;
}

function normalizeOffset(offset: string): string {
  if (offset === 'Z') return 'Z';
  const digits = offset.replace(':', '');
  return `${digits.slice(0, 3)}:${digits.slice(3, 5) || '00'}`;
}

function describe(
  form: Form,
  parts: { year: string; order: DayOrder | null },
  text: string,
  time: { hasSeconds: boolean; frac: string | undefined; meridiem: string | undefined; offset: string | undefined },
): string {
  const y = parts.year.length === 2 ? 'YY' : 'YYYY';
  let date: string;
  if (form === 'iso') date = text.charAt(4) === '/' ? 'YYYY/MM/DD' : 'YYYY-MM-DD';
  else if (form === 'compact') date = 'YYYYMMDD';
  else if (form === 'numeric') date = parts.order === 'dmy' ? `D/M/${y}` : `M/D/${y}`;
  else if (form === 'dot') date = `D.M.${y}`;
  else if (form === 'd-mon-y') date = `D-Mon-${y}`;
  else date = `Mon D, ${y}`;
  const timeMatch = /\d(T|\s+)\d{1,2}:/.exec(text);
  if (!timeMatch) return date;
  const iso = form === 'iso' || form === 'compact';
  let clock = iso ? 'HH:MM' : 'H:MM';
  if (time.hasSeconds) clock += ':SS';
  if (time.frac) clock += '.S';
  if (time.meridiem) clock += ' AM';
  const zone = time.offset === undefined ? '' : time.offset === 'Z' ? 'Z' : '±HH:MM';
  return `${date}${timeMatch[1] === 'T' ? 'T' : ' '}${clock}${zone}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number) => String(n).padStart(2, '0');

function ymd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

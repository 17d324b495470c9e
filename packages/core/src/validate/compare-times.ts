/**
 * Orders two standardized dates or date-times (YYYY-MM-DD[THH:MM:SS[.f]][Z|±HH:MM]). When both
 * carry an offset they are compared as instants; otherwise as written, on the precision both
 * have (a date against a date-time compares the dates only), so "2164-10-23" is not before
 * "2164-10-23T21:09:00". Negative: a before b; 0: equal or incomparable; positive: a after b.
 */
export function compareTimes(a: string, b: string): number {
  const offsetA = /(Z|[+-]\d{2}:\d{2})$/.test(a);
  const offsetB = /(Z|[+-]\d{2}:\d{2})$/.test(b);
  if (offsetA && offsetB && a.length > 10 && b.length > 10) {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    if (Number.isFinite(ta) && Number.isFinite(tb)) return ta - tb;
  }
  const local = (s: string) => s.replace(/(Z|[+-]\d{2}:\d{2})$/, '');
  const la = local(a);
  const lb = local(b);
  const n = Math.min(la.length, lb.length);
  const pa = la.slice(0, n);
  const pb = lb.slice(0, n);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/** Dates systems write for "no date" (flagged date.sentinel): never compared, so they reject nothing. */
const isSentinel = (value: string) => value.startsWith('1970-01-01') || value.startsWith('1900-01-01');

/**
 * True when both are present and `end` is strictly before `start`. A sentinel date on either
 * side compares as unknown: Synthea's TODATE 1970-01-01 means "no end", not "ended in 1970".
 */
export function endsBeforeStart(start: string | null | undefined, end: string | null | undefined): boolean {
  return !!start && !!end && !isSentinel(start) && !isSentinel(end) && compareTimes(end, start) < 0;
}

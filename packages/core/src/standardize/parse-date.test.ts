import { describe, expect, it } from 'vitest';
import { parseDate } from './parse-date.js';
import { standardizeDate } from './standardize-date.js';

const REF = '2025-06-15';

describe('parseDate', () => {
  it.each([
    ['ISO date', '2014-10-06', '2014-10-06'],
    ['ISO with one-digit month and day', '2014-1-6', '2014-01-06'],
    ['ISO with slashes', '2014/10/06', '2014-10-06'],
    ['ISO datetime in UTC (Synthea)', '2016-04-29T18:38:08Z', '2016-04-29'],
    ['ISO datetime with an offset keeps the written date', '1989-10-04T23:25:16-04:00', '1989-10-04'],
    ['ISO datetime with fraction and space', '2020-03-05 00:00:00.000', '2020-03-05'],
    ['MM/DD/YYYY', '03/05/2020', '2020-03-05'],
    ['M/D/YYYY', '3/5/2020', '2020-03-05'],
    ['M/D/YYYY with a time', '9/11/2014 0:00', '2014-09-11'],
    ['M/D/YYYY with a 12-hour time', '9/11/2014 10:30 PM', '2014-09-11'],
    ['DD Mon YYYY', '05 Mar 2020', '2020-03-05'],
    ['D Month YYYY', '5 March 2020', '2020-03-05'],
    ['DD-MON-YYYY (Oracle)', '05-MAR-2020', '2020-03-05'],
    ['DDMONYYYY (SAS)', '05MAR2020', '2020-03-05'],
    ['Mon DD YYYY', 'Mar 05 2020', '2020-03-05'],
    ['Mon DD, YYYY', 'Mar 5, 2020', '2020-03-05'],
    ['Month DDth, YYYY', 'September 21st, 1999', '1999-09-21'],
    ['Sept abbreviation', 'Sept 3 2001', '2001-09-03'],
    ['YYYYMMDD', '20200305', '2020-03-05'],
    ['DD.MM.YYYY', '05.03.2020', '2020-03-05'],
    ['D.M.YYYY', '5.3.2020', '2020-03-05'],
    ['a leap day', '02/29/2024', '2024-02-29'],
    ['surrounding spaces', '  2014-10-06 ', '2014-10-06'],
  ])('reads %s', (_name, text, iso) => {
    expect(parseDate(text, REF)).toEqual({ iso, twoDigitYear: false });
  });

  it.each([
    ['M/D/YY in the past century', '3/5/94', '1994-03-05'],
    ['M/D/YY in this century', '3/5/24', '2024-03-05'],
    ['a date later this year goes back a century', '12/31/25', '1925-12-31'],
    ['the reference date itself stays', '6/15/25', '2025-06-15'],
    ['D-Mon-YY (USAID)', '2-Jun-06', '2006-06-02'],
    ['DD.MM.YY', '29.08.14', '2014-08-29'],
    ['MIMIC-style M/D/YY H:MM', '8/12/65 0:00', '1965-08-12'],
  ])('resolves a two-digit year: %s', (_name, text, iso) => {
    expect(parseDate(text, REF)).toEqual({ iso, twoDigitYear: true });
  });

  it.each([
    ['text', 'yesterday'],
    ['Feb 30', '2020-02-30'],
    ['Feb 29 in a common year', '02/29/2023'],
    ['month 13', '13/05/2020'],
    ['day 0', '2020-01-00'],
    ['an unknown month name', '05 Foo 2020'],
    ['dashes between day, month and year are ambiguous', '05-03-2020'],
    ['a year before 1000', '0999-01-01'],
    ['a bare number', '12345'],
    ['a sentence with a date in it', 'born 2020-01-01'],
  ])('rejects %s', (_name, text) => {
    expect(parseDate(text, REF)).toBeNull();
  });

  it('cannot resolve a two-digit year without a reference date', () => {
    expect(parseDate('3/5/94')).toBeNull();
    expect(parseDate('1994-03-05')).toEqual({ iso: '1994-03-05', twoDigitYear: false });
  });
});

describe('standardizeDate', () => {
  const ctx = { field: 'birth_date', referenceDate: REF, defaultCountry: 'US' as const, country: null };

  it('flags a two-digit year as a warning and keeps the date', () => {
    const result = standardizeDate('3/5/94', ctx);
    expect(result.value).toBe('1994-03-05');
    expect(result.findings?.map((f) => [f.rule, f.severity])).toEqual([['date.two_digit_year', 'warning']]);
  });

  it('reports an unparseable date as an error without the value in the message', () => {
    const result = standardizeDate('31/31/1999', ctx);
    expect(result.value).toBeNull();
    expect(result.findings?.map((f) => [f.field, f.rule, f.severity])).toEqual([['birth_date', 'date.unparseable', 'error']]);
    expect(result.findings?.[0]?.message).not.toContain('31/31/1999');
  });

  it('explains a two-digit year it cannot resolve without a reference date', () => {
    const result = standardizeDate('3/5/94', { ...ctx, referenceDate: undefined });
    expect(result.findings?.[0]?.rule).toBe('date.unparseable');
    expect(result.findings?.[0]?.message).toContain('four digits');
  });
});

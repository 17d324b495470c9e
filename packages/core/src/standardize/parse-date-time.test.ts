import { describe, expect, it } from 'vitest';
import { parseDateTime, type DateParseOptions } from './parse-date-time.js';

const REF = '2025-06-15';

describe('parseDateTime', () => {
  it.each<[string, string, DateParseOptions, string, string | null, string | null, string]>([
    ['Synthea UTC timestamp', '2016-04-29T18:38:08Z', {}, '2016-04-29', '18:38:08', 'Z', 'YYYY-MM-DDTHH:MM:SSZ'],
    ['a local offset (SMART bulk)', '1989-10-04T02:25:16-04:00', {}, '1989-10-04', '02:25:16', '-04:00', 'YYYY-MM-DDTHH:MM:SS±HH:MM'],
    ['a compact offset', '2020-03-05T10:00:00+0200', {}, '2020-03-05', '10:00:00', '+02:00', 'YYYY-MM-DDTHH:MM:SS±HH:MM'],
    ['MIMIC ISO with a space', '2164-10-23 21:10:15', {}, '2164-10-23', '21:10:15', null, 'YYYY-MM-DD HH:MM:SS'],
    ['fractional seconds', '2020-03-05 00:00:00.125', {}, '2020-03-05', '00:00:00.125', null, 'YYYY-MM-DD HH:MM:SS.S'],
    ['a date alone', '2014-10-06', {}, '2014-10-06', null, null, 'YYYY-MM-DD'],
    ['MIMIC M/D/YY H:MM, latest past century', '10/23/64 21:09', { referenceDate: REF }, '1964-10-23', '21:09:00', null, 'M/D/YY H:MM'],
    ['MIMIC M/D/YY H:MM with base 2100', '10/23/64 21:09', { twoDigitYearBase: 2100 }, '2164-10-23', '21:09:00', null, 'M/D/YY H:MM'],
    ['a base window across centuries', '3/5/49 0:00', { twoDigitYearBase: 1950 }, '2049-03-05', '00:00:00', null, 'M/D/YY H:MM'],
    ['CMS MM/DD/YYYY', '07/01/2014', {}, '2014-07-01', null, null, 'M/D/YYYY'],
    ['day first when the column says so', '25/04/1980', { order: 'dmy' }, '1980-04-25', null, null, 'D/M/YYYY'],
    ['03/04/1980 in a day-first column', '03/04/1980', { order: 'dmy' }, '1980-04-03', null, null, 'D/M/YYYY'],
    ['USAID d-Mon-yy', '2-Jun-06', { referenceDate: REF }, '2006-06-02', null, null, 'D-Mon-YY'],
    ['a 12-hour clock', '9/11/2014 10:30 PM', {}, '2014-09-11', '22:30:00', null, 'M/D/YYYY H:MM AM'],
    ['12 AM is midnight', '9/11/2014 12:05 AM', {}, '2014-09-11', '00:05:00', null, 'M/D/YYYY H:MM AM'],
  ])('reads %s', (_name, text, options, date, time, offset, pattern) => {
    expect(parseDateTime(text, options)).toMatchObject({ date, time, offset, pattern });
  });

  it.each<[string, string, DateParseOptions]>([
    ['a two-digit year with nothing to resolve it', '3/5/94 0:00', {}],
    ['hour 25', '2020-01-01 25:00:00', {}],
    ['minute 61', '2020-01-01 10:61', {}],
    ['13 PM', '1/1/2020 13:00 PM', {}],
    ['month 13 in a month-first column', '13/05/2020', {}],
    ['month 13 in a day-first column', '05/13/2020', { order: 'dmy' }],
    ['a text placeholder', 'Pre-PQ Process', {}],
  ])('rejects %s', (_name, text, options) => expect(parseDateTime(text, options)).toBeNull());

  it('says which two-digit years were resolved, and how', () => {
    expect(parseDateTime('8/12/65 0:00', { referenceDate: REF })).toMatchObject({ twoDigitYear: true, century: 'reference' });
    expect(parseDateTime('8/12/65 0:00', { twoDigitYearBase: 2100 })).toMatchObject({ date: '2165-08-12', century: 'base' });
    expect(parseDateTime('1844-07-18 00:00:00', { twoDigitYearBase: 2100 })).toMatchObject({ date: '1844-07-18', twoDigitYear: false, century: null });
  });

  it('marks a numeric date that reads both ways as ambiguous', () => {
    expect(parseDateTime('03/04/1980')?.ambiguousOrder).toBe(true);
    expect(parseDateTime('04/25/1980')?.ambiguousOrder).toBe(false);
    expect(parseDateTime('04/04/1980')?.ambiguousOrder).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkExceptions,
  checkWeeklyHours,
  formatExceptions,
  formatWeeklyHours,
  isOpenAt,
  localClock,
  normalizeExceptions,
  normalizeWeeklyHours,
  parseExceptions,
  parseWeeklyHours,
  type HoursException,
  type WeeklyOpening,
} from './opening-hours.ts';

function parsed(text: string): WeeklyOpening[] {
  const result = parseWeeklyHours(text);
  if (!result.ok) throw new Error(`not parsed: ${result.message.en}`);
  return result.value;
}

function refusal(text: string) {
  const result = parseWeeklyHours(text);
  if (result.ok) throw new Error(`parsed: ${text}`);
  return result.message;
}

describe('the weekly schedule in its text form', () => {
  it('reads days then times, and writes the same text back in code form', () => {
    const text = 'Mo-Fr 09:00-12:00,13:30-17:30; Sa 09:00-12:00';
    const hours = parsed(text);
    expect(hours).toHaveLength(11);
    expect(hours[0]).toEqual({ weekday: 1, opens: '09:00', closes: '12:00' });
    expect(hours.at(-1)).toEqual({ weekday: 6, opens: '09:00', closes: '12:00' });
    expect(formatWeeklyHours(hours, 'code')).toBe(text);
    expect(parsed(formatWeeklyHours(hours, 'code'))).toEqual(hours);
  });

  it('joins only days in a row with the same intervals, and writes every day apart otherwise', () => {
    const hours = parsed('Tu,Th 14:00-17:00');
    expect(formatWeeklyHours(hours, 'code')).toBe('Tu 14:00-17:00; Th 14:00-17:00');
    expect(formatWeeklyHours(parsed('Mo-Su 9:00-18:00'), 'code')).toBe('Mo-Su 09:00-18:00');
  });

  it('reads Chinese day names, and writes the schedule for a reader in either language', () => {
    const hours = parsed('周一至周五 09:00-12:00，13:30-17:30；星期六 09:00-12:00');
    expect(hours).toEqual(parsed('Mo-Fr 09:00-12:00,13:30-17:30; Sa 09:00-12:00'));
    expect(formatWeeklyHours(hours, 'zh')).toBe('周一至周五 09:00-12:00、13:30-17:30；周六 09:00-12:00');
    expect(formatWeeklyHours(hours, 'en')).toBe('Mon–Fri 09:00–12:00, 13:30–17:30; Sat 09:00–12:00');
    expect(parsed('周六、周日 10:00-16:00')).toEqual(parsed('Sa,Su 10:00-16:00'));
  });

  it('takes an empty text as no regular hours', () => {
    expect(parsed('')).toEqual([]);
    expect(formatWeeklyHours([], 'code')).toBe('');
  });

  it('refuses an interval that ends before it starts, saying which, in both languages', () => {
    expect(refusal('Mo 17:00-09:00')).toEqual({ zh: '周一 17:00-09:00：结束时间须晚于开始时间。', en: 'Mon 17:00-09:00: the end must be after the start.' });
    expect(refusal('Mo 09:00-09:00').en).toBe('Mon 09:00-09:00: the end must be after the start.');
  });

  it('refuses overlapping intervals on a day, however the rules are split', () => {
    expect(refusal('Mo-Fr 09:00-12:00,11:00-13:00')).toEqual({ zh: '周一 的 09:00-12:00 与 11:00-13:00 时间重叠。', en: 'On Mon, 09:00-12:00 and 11:00-13:00 overlap.' });
    expect(refusal('Mo-Fr 09:00-17:00; We 12:00-14:00').en).toBe('On Wed, 09:00-17:00 and 12:00-14:00 overlap.');
    // Touching intervals do not overlap.
    expect(parsed('Mo 09:00-12:00,12:00-13:00')).toHaveLength(2);
  });

  it('refuses what it does not understand, and times that are not times', () => {
    expect(refusal('Monday 09:00-12:00').en).toContain('is not understood');
    expect(refusal('Mo 9-12').en).toBe('"9" is not a time of day (00:00 to 24:00).');
    expect(refusal('Mo 09:00-25:00').zh).toBe('“25:00”不是有效时间（00:00 至 24:00）。');
  });

  it('checks schedules given as data the same way', () => {
    expect(checkWeeklyHours([{ weekday: 2, opens: '10:00', closes: '09:00' }])?.en).toBe('Tue 10:00-09:00: the end must be after the start.');
    const normalized = normalizeWeeklyHours([{ weekday: 3, opens: '9:00', closes: '12:00:00' }]);
    expect(normalized).toEqual({ ok: true, value: [{ weekday: 3, opens: '09:00', closes: '12:00' }] });
  });
});

describe('dated exceptions', () => {
  const springFestival: HoursException = { onDate: '2027-02-06', opens: null, closes: null, noteZh: '春节闭馆', noteEn: 'Closed for the Spring Festival' };

  it('reads a line per day and writes it back', () => {
    const text = '2027-02-06 closed 春节闭馆 / Closed for the Spring Festival\n2027-02-07 09:00-12:00,14:00-16:00 Short day';
    const result = parseExceptions(text);
    expect(result).toEqual({
      ok: true,
      value: [
        springFestival,
        { onDate: '2027-02-07', opens: '09:00', closes: '12:00', noteZh: 'Short day', noteEn: 'Short day' },
        { onDate: '2027-02-07', opens: '14:00', closes: '16:00', noteZh: 'Short day', noteEn: 'Short day' },
      ],
    });
    expect(result.ok && formatExceptions(result.value)).toBe(text);
    expect(parseExceptions('2027-10-01 闭馆 国庆节')).toMatchObject({ ok: true, value: [{ opens: null, noteZh: '国庆节', noteEn: '国庆节' }] });
  });

  it('refuses a day both closed and open, intervals out of order or overlapping, and dates that do not exist', () => {
    expect(checkExceptions([springFestival, { ...springFestival, opens: '09:00', closes: '12:00' }])).toEqual({
      zh: '2027-02-06 不能既全天闭馆又有开放时间。',
      en: '2027-02-06 cannot be both closed all day and open at some hours.',
    });
    expect(checkExceptions([{ ...springFestival, opens: '12:00', closes: '09:00' }])?.en).toBe('2027-02-06 12:00-09:00: the end must be after the start.');
    const overlap = parseExceptions('2027-02-07 09:00-12:00,11:00-13:00');
    expect(overlap.ok ? null : overlap.message.en).toBe('On 2027-02-07, 09:00-12:00 and 11:00-13:00 overlap.');
    const badDate = parseExceptions('2027-02-30 closed');
    expect(badDate.ok ? null : badDate.message.en).toBe('"2027-02-30" is not a date (YYYY-MM-DD, e.g. 2027-02-06).');
    expect(normalizeExceptions([{ ...springFestival, opens: '09:00', closes: null }]).ok).toBe(false);
    expect(checkExceptions([springFestival])).toBeNull();
  });
});

describe('open at a moment', () => {
  const hours = parsed('Mo-Fr 09:00-12:00,13:30-17:30');
  const exceptions: HoursException[] = [
    { onDate: '2027-02-08', opens: null, closes: null, noteZh: '春节', noteEn: 'Spring Festival' },
    { onDate: '2027-02-09', opens: '10:00', closes: '11:00', noteZh: '', noteEn: '' },
  ];

  it('reads the moment on the clock of Asia/Shanghai, not of the server', () => {
    // 01:30 UTC on Monday 2027-02-01 is 09:30 in Beijing.
    expect(localClock(new Date('2027-02-01T01:30:00Z'))).toEqual({ date: '2027-02-01', weekday: 1, time: '09:30' });
    expect(isOpenAt(hours, exceptions, new Date('2027-02-01T01:30:00Z'))).toBe(true);
    // 12:30 in Beijing: the lunch break.
    expect(isOpenAt(hours, exceptions, new Date('2027-02-01T04:30:00Z'))).toBe(false);
    // 17:30 ends the day: closed at the closing minute.
    expect(isOpenAt(hours, exceptions, new Date('2027-02-01T09:30:00Z'))).toBe(false);
    // 01:00 UTC is 09:00 in Beijing: open from the opening minute.
    expect(isOpenAt(hours, exceptions, new Date('2027-02-01T01:00:00Z'))).toBe(true);
  });

  it('lets an exception day replace the week: closed all day, or open only at its hours', () => {
    // Monday 2027-02-08 10:00 in Beijing would be open; the exception closes the day.
    expect(isOpenAt(hours, exceptions, new Date('2027-02-08T02:00:00Z'))).toBe(false);
    // Tuesday 2027-02-09: open 10:00-11:00 only.
    expect(isOpenAt(hours, exceptions, new Date('2027-02-09T02:30:00Z'))).toBe(true);
    expect(isOpenAt(hours, exceptions, new Date('2027-02-09T06:00:00Z'))).toBe(false);
    // The exception's date is Beijing's: 2027-02-07 23:00 UTC is already 07:00 on the 8th there.
    expect(localClock(new Date('2027-02-07T23:00:00Z')).date).toBe('2027-02-08');
  });
});

import type { Locale } from '../../platform/i18n.ts';
import type { Bilingual } from './place.rules.ts';

/**
 * Opening hours: a weekly schedule of intervals and dated exceptions, their text form (as forms and
 * CSV files write them), their checks and "open at this moment". Times are local to the facility's
 * zone; an interval ends the same day it starts.
 *
 * The text form follows the days-then-times shape of OpenStreetMap's opening_hours, as people already
 * write it: "Mo-Fr 09:00-12:00,13:30-17:30; Sa 09:00-12:00". Chinese day names work too:
 * "周一至周五 09:00-17:00". A day that is not named is closed.
 */

/** An interval of the weekly schedule; ISO weekday (1 = Monday … 7 = Sunday), "HH:MM" local times. */
export interface WeeklyOpening {
  weekday: number;
  opens: string;
  closes: string;
}

/** A day that differs from the week: closed (no times), or open during this interval (one per interval). */
export interface HoursException {
  /** "YYYY-MM-DD". */
  onDate: string;
  opens: string | null;
  closes: string | null;
  noteZh: string;
  noteEn: string;
}

/** The facilities' zone: the deployment serves one country and one clock. */
export const facilityTimeZone = 'Asia/Shanghai';

const dayCodes = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
const dayNames: Record<Locale, readonly string[]> = {
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  zh: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
};
const chineseDays: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };

/** The longest note an exception may carry in each language (the column allows no more). */
const noteMaxLength = 200;

const hoursMessages = {
  syntax: (part: string): Bilingual => ({
    zh: `无法识别“${part}”：请按“周一至周五 09:00-12:00,13:30-17:30; 周六 09:00-12:00”或“Mo-Fr 09:00-17:00”的格式填写。`,
    en: `"${part}" is not understood: write days then times, as in "Mo-Fr 09:00-12:00,13:30-17:30; Sa 09:00-12:00".`,
  }),
  time: (time: string): Bilingual => ({
    zh: `“${time}”不是有效时间（00:00 至 24:00）。`,
    en: `"${time}" is not a time of day (00:00 to 24:00).`,
  }),
  order: (day: Bilingual, opens: string, closes: string): Bilingual => ({
    zh: `${day.zh} ${opens}-${closes}：结束时间须晚于开始时间。`,
    en: `${day.en} ${opens}-${closes}: the end must be after the start.`,
  }),
  overlap: (day: Bilingual, first: string, second: string): Bilingual => ({
    zh: `${day.zh} 的 ${first} 与 ${second} 时间重叠。`,
    en: `On ${day.en}, ${first} and ${second} overlap.`,
  }),
  closedAndOpen: (date: string): Bilingual => ({
    zh: `${date} 不能既全天闭馆又有开放时间。`,
    en: `${date} cannot be both closed all day and open at some hours.`,
  }),
  exceptionSyntax: (line: string): Bilingual => ({
    zh: `无法识别“${line}”：每行写一个日期，再写“闭馆”或时间，最后可写说明，如“2027-02-06 闭馆 春节 / Spring Festival”或“2027-02-07 09:00-12:00”。`,
    en: `"${line}" is not understood: write one day a line, then "closed" or times, then a note if any, as in "2027-02-06 closed 春节 / Spring Festival" or "2027-02-07 09:00-12:00".`,
  }),
  date: (text: string): Bilingual => ({
    zh: `“${text}”不是有效日期（年-月-日，如 2027-02-06）。`,
    en: `"${text}" is not a date (YYYY-MM-DD, e.g. 2027-02-06).`,
  }),
  noteLength: (line: string): Bilingual => ({
    zh: `“${line}”的说明过长：每种语言最多 ${noteMaxLength} 个字符。`,
    en: `The note of "${line}" is too long: at most ${noteMaxLength} characters in each language.`,
  }),
};


function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** "9:00", "09:00" or "09:00:00" → "09:00"; null when not a time of day. "24:00" is the end of the day. */
export function normalizeTime(text: string): string | null {
  const match = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return null;
  return `${pad(hours)}:${pad(minutes)}`;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

function dayOf(token: string): number | null {
  const code = dayCodes.findIndex((day) => day.toLowerCase() === token.toLowerCase());
  if (code >= 0) return code + 1;
  const chinese = /^(?:周|星期|礼拜)([一二三四五六日天])$/.exec(token);
  return chinese ? (chineseDays[chinese[1] ?? ''] ?? null) : null;
}

/** "Mo-Fr", "Mo,We", "周一至周五", "周六、周日" → weekdays; null when not days. */
function parseDays(text: string): number[] | null {
  const days: number[] = [];
  for (const part of text.split(/[,，、]/)) {
    const range = part.trim().split(/\s*(?:-|–|至|到)\s*/);
    if (range.length === 1) {
      const day = dayOf(range[0] ?? '');
      if (day === null) return null;
      days.push(day);
    } else if (range.length === 2) {
      const from = dayOf(range[0] ?? '');
      const to = dayOf(range[1] ?? '');
      if (from === null || to === null || to < from) return null;
      for (let day = from; day <= to; day += 1) days.push(day);
    } else return null;
  }
  return days;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: Bilingual };

/** "09:00-12:00,13:30-17:30" → intervals; `syntax` is the message when the text is not intervals. */
function readIntervals(text: string, syntax: Bilingual): Parsed<{ opens: string; closes: string }[]> {
  const intervals: { opens: string; closes: string }[] = [];
  for (const interval of text.split(/[,，、]/)) {
    const [opensText, closesText, extra] = interval.trim().split(/\s*(?:-|–|~|至)\s*/);
    if (opensText === undefined || closesText === undefined || extra !== undefined) return { ok: false, message: syntax };
    const opens = normalizeTime(opensText);
    const closes = normalizeTime(closesText);
    if (opens === null) return { ok: false, message: hoursMessages.time(opensText) };
    if (closes === null) return { ok: false, message: hoursMessages.time(closesText) };
    intervals.push({ opens, closes });
  }
  return { ok: true, value: intervals };
}

/** Reads the text form of a weekly schedule; an empty text is "no regular hours". Checks order and overlaps. */
export function parseWeeklyHours(text: string): Parsed<WeeklyOpening[]> {
  const hours: WeeklyOpening[] = [];
  for (const rule of text.split(/[;；\n]/).map((part) => part.trim()).filter(Boolean)) {
    const match = /^(\S+(?:\s*(?:-|–|至|到|,|，|、)\s*\S+)*)\s+(.+)$/u.exec(rule);
    const days = match ? parseDays(match[1] ?? '') : null;
    if (!match || !days) return { ok: false, message: hoursMessages.syntax(rule) };
    const intervals = readIntervals(match[2] ?? '', hoursMessages.syntax(rule));
    if (!intervals.ok) return intervals;
    for (const { opens, closes } of intervals.value) for (const weekday of days) hours.push({ weekday, opens, closes });
  }
  const problem = checkWeeklyHours(hours);
  return problem ? { ok: false, message: problem } : { ok: true, value: sortHours(hours) };
}

/** Checks a weekly schedule given as data (the JSON API's form): times made "HH:MM", then order and overlaps. */
export function normalizeWeeklyHours(hours: readonly { weekday: number; opens: string; closes: string }[]): Parsed<WeeklyOpening[]> {
  const normalized: WeeklyOpening[] = [];
  for (const opening of hours) {
    const times = readIntervals(`${opening.opens}-${opening.closes}`, hoursMessages.time(`${opening.opens}-${opening.closes}`));
    if (!times.ok) return times;
    for (const { opens, closes } of times.value) normalized.push({ weekday: opening.weekday, opens, closes });
  }
  const problem = checkWeeklyHours(normalized);
  return problem ? { ok: false, message: problem } : { ok: true, value: sortHours(normalized) };
}

function sortHours(hours: WeeklyOpening[]): WeeklyOpening[] {
  return [...hours].sort((a, b) => a.weekday - b.weekday || minutesOf(a.opens) - minutesOf(b.opens));
}

function firstProblem(intervals: { opens: string; closes: string }[], label: Bilingual): Bilingual | null {
  const sorted = [...intervals].sort((a, b) => minutesOf(a.opens) - minutesOf(b.opens));
  for (const [index, interval] of sorted.entries()) {
    if (minutesOf(interval.closes) <= minutesOf(interval.opens)) return hoursMessages.order(label, interval.opens, interval.closes);
    const next = sorted[index + 1];
    if (next && minutesOf(next.opens) < minutesOf(interval.closes)) {
      return hoursMessages.overlap(label, `${interval.opens}-${interval.closes}`, `${next.opens}-${next.closes}`);
    }
  }
  return null;
}

/** The first thing wrong with a weekly schedule (an interval ending before it starts, two overlapping), or null. */
export function checkWeeklyHours(hours: readonly WeeklyOpening[]): Bilingual | null {
  for (let weekday = 1; weekday <= 7; weekday += 1) {
    const label = { zh: dayNames.zh[weekday - 1] ?? '', en: dayNames.en[weekday - 1] ?? '' };
    const problem = firstProblem(
      hours.filter((opening) => opening.weekday === weekday),
      label,
    );
    if (problem) return problem;
  }
  return null;
}

/** The first thing wrong with a facility's exceptions (a day both closed and open, intervals out of order or overlapping), or null. */
export function checkExceptions(exceptions: readonly HoursException[]): Bilingual | null {
  const byDate = new Map<string, HoursException[]>();
  for (const exception of exceptions) byDate.set(exception.onDate, [...(byDate.get(exception.onDate) ?? []), exception]);
  for (const [date, rows] of byDate) {
    const open = rows.filter((row): row is HoursException & { opens: string; closes: string } => row.opens !== null && row.closes !== null);
    if (open.length > 0 && open.length < rows.length) return hoursMessages.closedAndOpen(date);
    const problem = firstProblem(open, { zh: date, en: date });
    if (problem) return problem;
  }
  return null;
}

// "Closed" as people write it on a notice, in either language.
const closedWords = new Set(['closed', '闭馆', '休息', '关闭', '不开放', '休馆']);

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** "春节 / Spring Festival" → both notes; a note without " / " is the same in both languages. */
function splitNote(text: string): { noteZh: string; noteEn: string } {
  const slash = text.indexOf('/');
  if (slash < 0) return { noteZh: text, noteEn: text };
  return { noteZh: text.slice(0, slash).trim(), noteEn: text.slice(slash + 1).trim() };
}

/**
 * Reads exceptions written one day a line: the date, then "closed" (or 闭馆, 休息) or the day's
 * intervals, then a note, "中文 / English" or one text for both: "2027-02-06 closed 春节 / Spring
 * Festival", "2027-02-07 09:00-12:00,14:00-16:00 Short day". Checks them with checkExceptions().
 */
export function parseExceptions(text: string): Parsed<HoursException[]> {
  const exceptions: HoursException[] = [];
  for (const line of text.split(/\r?\n/).map((part) => part.trim()).filter(Boolean)) {
    const match = /^(\S+)\s+(\S+)(?:\s+(.*))?$/u.exec(line);
    if (!match) return { ok: false, message: hoursMessages.exceptionSyntax(line) };
    const [, date = '', when = '', rest = ''] = match;
    if (!isCalendarDate(date)) return { ok: false, message: hoursMessages.date(date) };
    const notes = splitNote(rest.trim());
    if (notes.noteZh.length > noteMaxLength || notes.noteEn.length > noteMaxLength) return { ok: false, message: hoursMessages.noteLength(line) };
    if (closedWords.has(when.toLowerCase())) {
      exceptions.push({ onDate: date, opens: null, closes: null, ...notes });
      continue;
    }
    const intervals = readIntervals(when, hoursMessages.exceptionSyntax(line));
    if (!intervals.ok) return intervals;
    for (const { opens, closes } of intervals.value) exceptions.push({ onDate: date, opens, closes, ...notes });
  }
  const problem = checkExceptions(exceptions);
  return problem ? { ok: false, message: problem } : { ok: true, value: sortExceptions(exceptions) };
}

/** Checks exceptions given as data (the JSON API's form): times made "HH:MM", both or neither, then checkExceptions(). */
export function normalizeExceptions(exceptions: readonly HoursException[]): Parsed<HoursException[]> {
  const normalized: HoursException[] = [];
  for (const exception of exceptions) {
    if (!isCalendarDate(exception.onDate)) return { ok: false, message: hoursMessages.date(exception.onDate) };
    if (exception.noteZh.length > noteMaxLength || exception.noteEn.length > noteMaxLength) return { ok: false, message: hoursMessages.noteLength(exception.onDate) };
    if (exception.opens === null && exception.closes === null) {
      normalized.push({ ...exception, opens: null, closes: null });
      continue;
    }
    const text = `${exception.opens ?? ''}-${exception.closes ?? ''}`;
    const times = readIntervals(text, hoursMessages.time(text));
    if (!times.ok) return times;
    for (const { opens, closes } of times.value) normalized.push({ ...exception, opens, closes });
  }
  const problem = checkExceptions(normalized);
  return problem ? { ok: false, message: problem } : { ok: true, value: sortExceptions(normalized) };
}

function sortExceptions(exceptions: readonly HoursException[]): HoursException[] {
  return [...exceptions].sort((a, b) => a.onDate.localeCompare(b.onDate) || minutesOf(a.opens ?? '00:00') - minutesOf(b.opens ?? '00:00'));
}

/** Exceptions in the text form parseExceptions() reads back: a line per day (and note), earliest first. */
export function formatExceptions(exceptions: readonly HoursException[]): string {
  const lines: { date: string; note: string; times: string[] }[] = [];
  for (const exception of sortExceptions(exceptions)) {
    const note = exception.noteZh === exception.noteEn ? exception.noteZh : `${exception.noteZh} / ${exception.noteEn}`;
    const times = exception.opens !== null && exception.closes !== null ? `${exception.opens}-${exception.closes}` : 'closed';
    const last = lines.at(-1);
    if (last && last.date === exception.onDate && last.note === note && times !== 'closed' && !last.times.includes('closed')) last.times.push(times);
    else lines.push({ date: exception.onDate, note, times: [times] });
  }
  return lines.map((line) => [line.date, line.times.join(','), line.note].filter(Boolean).join(' ')).join('\n');
}

function intervalsText(intervals: readonly WeeklyOpening[], separator: string, dash: string): string {
  return intervals.map((interval) => `${interval.opens}${dash}${interval.closes}`).join(separator);
}

/**
 * A weekly schedule as text: `code` is the form that parseWeeklyHours() reads back ("Mo-Fr 09:00-17:00;
 * Sa 09:00-12:00"); `zh` and `en` are for reading. Days with the same intervals in a row are joined.
 */
export function formatWeeklyHours(hours: readonly WeeklyOpening[], form: Locale | 'code'): string {
  const names = form === 'code' ? dayCodes : dayNames[form];
  const groups: { from: number; to: number; intervals: WeeklyOpening[] }[] = [];
  for (let weekday = 1; weekday <= 7; weekday += 1) {
    const intervals = sortHours(hours.filter((opening) => opening.weekday === weekday));
    if (intervals.length === 0) continue;
    const last = groups.at(-1);
    const key = intervalsText(intervals, ',', '-');
    if (last && last.to === weekday - 1 && intervalsText(last.intervals, ',', '-') === key) last.to = weekday;
    else groups.push({ from: weekday, to: weekday, intervals });
  }
  const rangeJoin = form === 'zh' ? '至' : form === 'en' ? '–' : '-';
  const separator = form === 'zh' ? '、' : form === 'en' ? ', ' : ',';
  return groups
    .map((group) => {
      const days = group.from === group.to ? names[group.from - 1] : `${names[group.from - 1]}${rangeJoin}${names[group.to - 1]}`;
      return `${days} ${intervalsText(group.intervals, separator, form === 'en' ? '–' : '-')}`;
    })
    .join(form === 'zh' ? '；' : '; ');
}

/** The wall clock of an instant in a zone: its calendar day, ISO weekday and "HH:MM". */
export function localClock(instant: Date, timeZone: string = facilityTimeZone): { date: string; weekday: number; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday ?? '') + 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, time: `${parts.hour}:${parts.minute}` };
}

/** Whether the schedule, with its exceptions, has the facility open at `instant` (a dated exception replaces the week's day). */
export function isOpenAt(
  hours: readonly WeeklyOpening[],
  exceptions: readonly HoursException[],
  instant: Date,
  timeZone: string = facilityTimeZone,
): boolean {
  const clock = localClock(instant, timeZone);
  const now = minutesOf(clock.time);
  const contains = (interval: { opens: string | null; closes: string | null }): boolean =>
    interval.opens !== null && interval.closes !== null && minutesOf(interval.opens) <= now && now < minutesOf(interval.closes);
  const today = exceptions.filter((exception) => exception.onDate === clock.date);
  if (today.length > 0) return today.some(contains);
  return hours.some((opening) => opening.weekday === clock.weekday && contains(opening));
}

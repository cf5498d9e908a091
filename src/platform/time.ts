const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(timeZone: string, instant: Date): Record<string, string> {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
}

/** "2024-3-25 14:33:38": the portal's date-time, as federation portals print it, in the site's zone. */
export function formatDateTime(instant: Date, timeZone: string): string {
  const p = partsIn(timeZone, instant);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "2024-03-25": a list entry's date in the site's zone. */
export function formatDate(instant: Date, timeZone: string): string {
  const p = partsIn(timeZone, instant);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The UTC instant of a wall-clock "YYYY-MM-DD HH:mm:ss" in `timeZone`. */
export function instantFromWallClock(wallClock: string, timeZone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(wallClock);
  if (!match) throw new Error(`not a date-time: ${wallClock}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // The zone's offset at that moment: format the UTC guess in the zone and compare.
  const p = partsIn(timeZone, new Date(asUtc));
  const shown = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return new Date(asUtc - (shown - asUtc));
}

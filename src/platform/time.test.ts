import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, instantFromWallClock } from './time.ts';

describe('portal time', () => {
  it('shows a UTC instant in Beijing time the way the seed page does', () => {
    const instant = new Date('2024-03-25T06:33:38Z');
    expect(formatDateTime(instant, 'Asia/Shanghai')).toBe('2024-3-25 14:33:38');
    expect(formatDate(instant, 'Asia/Shanghai')).toBe('2024-03-25');
  });

  it('crosses midnight into the next day in Beijing', () => {
    expect(formatDate(new Date('2024-12-31T17:00:00Z'), 'Asia/Shanghai')).toBe('2025-01-01');
  });

  it('turns a Beijing wall-clock time into the right instant, also in a zone with daylight saving', () => {
    expect(instantFromWallClock('2024-03-25 14:33:38', 'Asia/Shanghai').toISOString()).toBe('2024-03-25T06:33:38.000Z');
    expect(instantFromWallClock('2024-07-01 12:00:00', 'Europe/Berlin').toISOString()).toBe('2024-07-01T10:00:00.000Z');
  });
});

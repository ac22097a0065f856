import { describe, expect, it } from 'vitest';
import { formatIsoInZone, formatLettaTime, zoneOffsetMinutes } from './time-format.js';

describe('time rendering', () => {
  const instants = [new Date('2026-01-02T00:00:00.400Z'), new Date('2026-07-15T12:34:56Z'), new Date('2026-11-25T23:59:59.999Z')];

  it('renders UTC without Intl exactly as the Intl path does (Etc/UTC goes through Intl)', () => {
    for (const d of instants) {
      expect(formatLettaTime(d, 'UTC')).toBe(formatLettaTime(d, 'Etc/UTC'));
      expect(formatIsoInZone(d, 'UTC')).toBe(formatIsoInZone(d, 'Etc/UTC'));
    }
    expect(formatLettaTime(instants[1]!, 'UTC')).toBe('2026-07-15 12:34:56 PM UTC+0000');
    expect(formatLettaTime(instants[0]!, 'UTC')).toBe('2026-01-02 12:00:00 AM UTC+0000');
    expect(formatIsoInZone(instants[2]!, 'UTC')).toBe('2026-11-25T23:59:59+00:00');
  });

  it('renders other zones with their offset, across daylight saving', () => {
    expect(formatLettaTime(instants[1]!, 'America/New_York')).toBe('2026-07-15 08:34:56 AM EDT-0400');
    expect(formatLettaTime(instants[0]!, 'America/New_York')).toBe('2026-01-01 07:00:00 PM EST-0500');
    expect(formatIsoInZone(instants[1]!, 'Asia/Kolkata')).toBe('2026-07-15T18:04:56+05:30');
    expect(zoneOffsetMinutes(instants[1]!, 'Asia/Kolkata')).toBe(330);
    expect(zoneOffsetMinutes(instants[1]!, 'UTC')).toBe(0);
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(formatLettaTime(instants[1]!, 'Not/AZone')).toBe('2026-07-15 12:34:56 PM UTC+0000');
  });
});

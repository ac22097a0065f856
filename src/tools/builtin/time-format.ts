// Time rendering in an agent's IANA timezone, shared by tool returns, search results and the system message.

import { LRUCache } from 'lru-cache';

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

// Keyed by the agent's timezone as written (zone names match case-insensitively, so the key space is unbounded).
export const FORMATTER_CACHE_MAX = 512;
const formatterCache = new LRUCache<string, Intl.DateTimeFormat>({ max: FORMATTER_CACHE_MAX });

export const formatterCacheSize = () => formatterCache.size;

function zoneFormatter(timezone: string): Intl.DateTimeFormat {
  let f = formatterCache.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    });
    formatterCache.set(timezone, f);
  }
  return f;
}

/** Falls back to UTC for unknown zone names so a bad agent setting never breaks a turn. */
export function safeTimezone(timezone: string | null | undefined): string {
  if (!timezone) return 'UTC';
  try {
    zoneFormatter(timezone);
    return timezone;
  } catch {
    return 'UTC';
  }
}

function zoneParts(date: Date, timezone: string): Parts & { abbrev: string } {
  // The default zone needs no Intl call (formatToParts is the costly part of rendering a time).
  if (timezone === 'UTC') {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      abbrev: 'UTC',
    };
  }
  const raw = Object.fromEntries(
    zoneFormatter(timezone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(raw.year),
    month: Number(raw.month),
    day: Number(raw.day),
    hour: Number(raw.hour),
    minute: Number(raw.minute),
    second: Number(raw.second),
    abbrev: raw.timeZoneName ?? timezone,
  };
}

/** Offset of the zone from UTC at `date`, in minutes (east positive). */
export function zoneOffsetMinutes(date: Date, timezone: string): number {
  return offsetOf(date, zoneParts(date, timezone));
}

function offsetOf(date: Date, p: Parts): number {
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

function offsetText(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}${colon ? ':' : ''}${pad(Math.abs(minutes) % 60)}`;
}

/** Letta's `%Y-%m-%d %I:%M:%S %p %Z%z`, e.g. `2026-11-25 12:34:56 PM UTC+0000`. */
export function formatLettaTime(date: Date, timezone: string): string {
  const tz = safeTimezone(timezone);
  const p = zoneParts(date, tz);
  const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const ampm = p.hour < 12 ? 'AM' : 'PM';
  // Intl has no short names for many zones ("GMT+1"); "UTC" plus the numeric offset reads the same and parses.
  const abbrev = p.abbrev.startsWith('GMT') ? 'UTC' : p.abbrev;
  const offset = offsetText(offsetOf(date, p), false);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(hour12)}:${pad(p.minute)}:${pad(p.second)} ${ampm} ${abbrev}${offset}`;
}

/** ISO 8601 with the zone's offset, e.g. `2026-01-02T09:30:00-05:00`. */
export function formatIsoInZone(date: Date, timezone: string): string {
  const tz = safeTimezone(timezone);
  const p = zoneParts(date, tz);
  const offset = offsetText(offsetOf(date, p), true);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${offset}`;
}

/** Converts a wall-clock time in `timezone` to the UTC instant (two passes handle DST edges well enough). */
function zonedTimeToUtc(p: Parts & { ms?: number }, timezone: string): Date {
  const guess = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms ?? 0);
  const first = guess - zoneOffsetMinutes(new Date(guess), timezone) * 60000;
  return new Date(guess - zoneOffsetMinutes(new Date(first), timezone) * 60000);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a search bound. A bare date means the whole day (start → 00:00, end → 23:59:59.999);
 * times without an offset are read in the agent's timezone. Returns null when the text is not ISO 8601.
 */
export function parseDateBound(text: string, timezone: string, edge: 'start' | 'end'): Date | null {
  const tz = safeTimezone(timezone);
  const d = DATE_ONLY.exec(text.trim());
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    if (!validDay(y, m, day)) return null;
    return edge === 'start'
      ? zonedTimeToUtc({ year: y, month: m, day, hour: 0, minute: 0, second: 0 }, tz)
      : zonedTimeToUtc({ year: y, month: m, day, hour: 23, minute: 59, second: 59, ms: 999 }, tz);
  }
  const t = DATE_TIME.exec(text.trim());
  if (!t) return null;
  if (t[7]) {
    const parsed = new Date(text.trim());
    return Number.isNaN(parsed.getTime()) ? null : parsed;
  }
  const [y, m, day] = [Number(t[1]), Number(t[2]), Number(t[3])];
  if (!validDay(y, m, day) || Number(t[4]) > 23 || Number(t[5]) > 59) return null;
  return zonedTimeToUtc({ year: y, month: m, day, hour: Number(t[4]), minute: Number(t[5]), second: Number(t[6] ?? 0) }, tz);
}

function validDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

// Date-bound parsing for the search tools, with Letta's error wording.
import { ToolInputError } from '../tool.js';
import { parseDateBound } from './time-format.js';

export const DEFAULT_SEARCH_LIMIT = 5;

export function searchBound(field: string, text: string | null | undefined, timezone: string, edge: 'start' | 'end'): Date | undefined {
  if (text === null || text === undefined || text.trim() === '') return undefined;
  const date = parseDateBound(text, timezone, edge);
  if (!date) {
    throw new ToolInputError(`Invalid ${field} format: ${text}. Use ISO 8601 format (YYYY-MM-DD or YYYY-MM-DDTHH:MM)`);
  }
  return date;
}

/** Compact age like "45s ago", "12m ago", "3h ago", "2d ago". */
export function timeAgo(then: Date, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - then.getTime()) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

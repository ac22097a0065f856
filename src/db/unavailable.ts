// Tells a database outage (server down, restarting, connections killed, pool exhausted) from a query's own error, so
// the HTTP layer answers 503 + Retry-After and the caller retries, instead of a 500 that says "our bug".

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections.
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES = [
  /connection terminated/i,
  /terminating connection due to administrator command/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error and is not queryable/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /is not currently accepting connections/i,
  /client was closed and is not queryable/i,
];

type ErrorLike = { code?: unknown; syscall?: unknown; message?: unknown; cause?: unknown };

/** True when `err` (or an error it wraps, such as drizzle's "Failed query" error) means the database is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e !== null && typeof e === 'object'; depth++) {
    if (isOutage(e as ErrorLike)) return true;
    e = (e as ErrorLike).cause;
  }
  return false;
}

function isOutage(e: ErrorLike): boolean {
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (code === 'ENOENT' && e.syscall === 'connect') return true; // a Unix socket that is gone while the server restarts
  const message = typeof e.message === 'string' ? e.message : '';
  // Only the message's head: a query's own error message ends with parameter values, which never classify it.
  const head = message.startsWith('Failed query:') ? '' : message.slice(0, 200);
  return MESSAGES.some((re) => re.test(head));
}

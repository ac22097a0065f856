// What an error may say on the wire: never SQL text or the values bound to it, never more than a screenful.

export const MAX_DETAIL_CHARS = 2000;

// drizzle's DrizzleQueryError message is "Failed query: <sql>\nparams: <values>"; anything from there on is internal.
const SQL_MARKER = /Failed query:/;

/** A string detail without SQL text, cut to MAX_DETAIL_CHARS. */
export function safeDetailText(text: string): string {
  const at = text.search(SQL_MARKER);
  const clean = at < 0 ? text : `${text.slice(0, at)}a database query failed`.trimStart();
  return clean.length > MAX_DETAIL_CHARS ? `${clean.slice(0, MAX_DETAIL_CHARS - 1)}…` : clean;
}

/** A structured detail passes when it is small and free of SQL; otherwise the error's message stands in for it. */
export function safeDetail(detail: unknown, message: string): unknown {
  if (typeof detail === 'string') return safeDetailText(detail);
  if (detail === undefined || detail === null) return safeDetailText(message);
  let json = '';
  try {
    json = JSON.stringify(detail) ?? '';
  } catch {
    return safeDetailText(message);
  }
  if (json.length > MAX_DETAIL_CHARS || SQL_MARKER.test(json)) return safeDetailText(message);
  return detail;
}

/** An error's message as a client may read it (a run's `error`, an SSE error chunk): no SQL, bounded. */
export function clientErrorText(e: unknown): string {
  return safeDetailText(e instanceof Error ? e.message : String(e));
}

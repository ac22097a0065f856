// Import failures told at the agent-file level: short, and never the SQL text or parameter values a database
// error carries (drizzle's "Failed query: insert into … params: …" holds the whole file's content).
import type { Logger } from 'pino';
import { describeDatabaseRejection } from '../../db/rejection.js';
import { AppError, BadRequestError } from '../../errors.js';

/** Longest piece of outside text (an id, a database reason) quoted in a detail. */
const QUOTE_MAX = 120;
/** Longest detail an import failure leaves with. */
const DETAIL_MAX = 1_000;

/** A database error's SQLSTATE and message (pg's DatabaseError and PGlite's both have these). */
export type DbCause = { code: string; message: string };

export function short(text: string, max = QUOTE_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${(text.length - max).toLocaleString('en-US')} more characters)`;
}

/** `4312` → `4,312`: positions and counts as people read them. */
export const count = (n: number): string => n.toLocaleString('en-US');

/** The database error under drizzle's wrapper (its `cause`), if this is one. */
export function dbCauseOf(e: unknown): DbCause | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const c = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof c.code === 'string' && /^[0-9A-Z]{5}$/.test(c.code) && typeof c.message === 'string')
      return { code: c.code, message: c.message };
    cur = c.cause;
  }
  return undefined;
}

/**
 * Whether the file's content caused it: a data exception (22: bad value, NUL byte, out-of-range date), an integrity
 * violation (23) or a program limit (54: too deep, too long). Anything else is the server's trouble.
 */
export const isFileProblem = (c: DbCause): boolean => /^(22|23|54)/.test(c.code);

/** A database failure while storing `what` ("message #4,312 (id …) of agent …"): 400 when the file is at fault. */
export function storeFailure(what: string, cause: DbCause): AppError {
  if (isFileProblem(cause)) {
    // The database's own message quotes the refused value; the detail names the entry and the kind of refusal only.
    const why = describeDatabaseRejection(cause) ?? `the database refused it (SQLSTATE ${cause.code})`;
    return new BadRequestError(`Import failed: ${what} could not be stored: ${why}`);
  }
  return new AppError(`Could not import the agent file: database error ${cause.code} while storing ${what}`, 500);
}

/** Any failure of an import → the error the caller sees; our own bugs and server trouble are logged here. */
export function importError(e: unknown, log?: Logger): AppError {
  if (e instanceof AppError) {
    if (e.status >= 500) log?.error({ detail: e.message }, 'agent import failed');
    if (e.status >= 500 || ((e.status === 400 || e.status === 422) && e.message.length <= DETAIL_MAX)) return e;
    // Other refusals (an unknown model handle's 404, say) are the file's or the form's fault: 400, as Letta answers.
    // 422 stays 422: hostile text in the file is refused the same way as in any request body.
    const message = e.status === 400 || e.status === 422 ? e.message : `Import failed: ${e.message}`;
    return new AppError(short(message, DETAIL_MAX), e.status === 422 ? 422 : 400);
  }
  const cause = dbCauseOf(e);
  if (cause) {
    if (!isFileProblem(cause)) log?.error({ code: cause.code, reason: short(cause.message, 200) }, 'agent import: database error');
    return storeFailure('the agent file', cause);
  }
  if (e instanceof RangeError) return new BadRequestError('Import failed: the agent file is too deeply nested or too large to process');
  // The stack without its first line, which repeats the message (and a driver's message may hold the query).
  const err =
    e instanceof Error
      ? { name: e.name, message: short(e.message, 200), stack: e.stack?.split('\n').slice(1).join('\n') }
      : short(String(e), 200);
  log?.error({ err }, 'agent import: unexpected error');
  return new AppError('Could not import the agent file: internal error', 500);
}

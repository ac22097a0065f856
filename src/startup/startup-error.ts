// A start-up failure the operator can fix: one line naming the variable or folder and what to do. Printed without
// a stack trace; the process exits non-zero.
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

type ErrorLike = { code?: unknown; errno?: unknown; syscall?: unknown; message?: unknown; errors?: unknown; cause?: unknown };

/** The error's code (ECONNREFUSED, 28P01 …), looking into an AggregateError (one attempt per address) and causes. */
export function codeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e !== null && typeof e === 'object'; depth++) {
    const x = e as ErrorLike;
    if (typeof x.code === 'string' && x.code !== '') return x.code;
    const first = Array.isArray(x.errors) ? (x.errors as unknown[])[0] : undefined;
    e = first ?? x.cause;
  }
  return undefined;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

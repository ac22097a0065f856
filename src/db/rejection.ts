// Describes a value the database refused (SQLSTATE classes 22 data exception and 23 integrity constraint) without
// quoting SQL text or the values: safe to put in an error detail.

type PgErrorLike = { code?: unknown; constraint?: unknown; column?: unknown; cause?: unknown };

const PHRASES: Record<string, string> = {
  '23505': 'a value that must be unique already exists',
  '23503': 'a reference points to a row that does not exist',
  '23502': 'a required value is missing',
  '23514': 'a value breaks a check constraint',
  '22001': 'a value is too long for its column',
  '22003': 'a number is out of range',
};

/** "the database rejected a value: … (SQLSTATE 23505, constraint x)", or undefined when `err` is not such a refusal. */
export function describeDatabaseRejection(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e !== null && typeof e === 'object'; depth++) {
    const pg = e as PgErrorLike;
    const code = typeof pg.code === 'string' ? pg.code : '';
    if (/^2[23][0-9A-Z]{3}$/.test(code)) {
      const what =
        PHRASES[code] ?? (code.startsWith('22') ? 'a value has a form the database cannot store' : 'a value breaks a database constraint');
      const where = [nameOf('constraint', pg.constraint), nameOf('column', pg.column)].filter(Boolean).join(', ');
      return `the database rejected a value: ${what} (SQLSTATE ${code}${where ? `, ${where}` : ''})`;
    }
    e = pg.cause;
  }
  return undefined;
}

function nameOf(kind: string, v: unknown): string | undefined {
  return typeof v === 'string' && /^[A-Za-z0-9_]{1,63}$/.test(v) ? `${kind} ${v}` : undefined;
}

// Application errors. Services throw these; the HTTP layer maps them to status codes.

export class AppError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Optional structured detail; defaults to the message string. */
    readonly detail?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, detail?: unknown) {
    super(message, 400, detail);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, detail?: unknown) {
    super(message, 422, detail);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(message, 404);
  }
}

/** A conflict that retrying will not fix (the SDK would otherwise replay it). */
export class ConflictError extends AppError {
  constructor(message: string, detail?: unknown, retryable = false) {
    super(message, 409, detail, retryable ? { 'retry-after': '1' } : { 'x-should-retry': 'false' });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Unauthorized', headers: Record<string, string> = {}) {
    super(message, 401, undefined, headers);
  }
}

/** Not allowed for this caller, or not switched on by the operator (e.g. stdio MCP servers); the detail says which. */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(message, 403, undefined, { 'x-should-retry': 'false' });
  }
}

/**
 * A rate limit or quota reached. `retryAfterSeconds` becomes Retry-After; `retryable: false` also tells SDKs not to
 * retry on their own (a quota that resets at midnight is not worth an automatic retry).
 */
export class TooManyRequestsError extends AppError {
  constructor(message: string, o: { retryAfterSeconds?: number; retryable?: boolean } = {}) {
    const headers: Record<string, string> = {};
    if (o.retryAfterSeconds !== undefined) headers['retry-after'] = String(o.retryAfterSeconds);
    if (!(o.retryable ?? o.retryAfterSeconds !== undefined)) headers['x-should-retry'] = 'false';
    super(message, 429, undefined, headers);
  }
}

/** Trouble with an upstream LLM / embedding / MCP service. */
export class UpstreamError extends AppError {
  constructor(message: string, status: 502 | 503 | 504 = 502, detail?: unknown, headers?: Record<string, string>) {
    super(message, status, detail, headers);
  }
}

export function notFound(kind: string, id: string): NotFoundError {
  return new NotFoundError(`${kind} with ID ${id} not found`);
}

/** 413: a field larger than the server accepts; the message names the field and the limit. */
export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(message, 413);
  }
}

// Errors the MCP client layer throws; each names the server so logs and API replies say which one failed.
import { UpstreamError } from '../errors.js';

/** Could not reach or keep a session with an MCP server (bad command, refused, auth, transport closed). */
export class McpConnectionError extends UpstreamError {
  constructor(
    readonly serverName: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`MCP server '${serverName}': connection failed: ${reason}`, 502);
    this.cause = cause;
  }
}

/** The server did not answer in time, while connecting or while running a tool. */
export class McpTimeoutError extends UpstreamError {
  constructor(
    readonly serverName: string,
    readonly phase: 'connect' | 'call',
    readonly timeoutMs: number,
    what: string,
  ) {
    super(`MCP server '${serverName}': ${what} timed out after ${timeoutMs} ms`, 504);
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The SDK's request-timeout error code (checked without loading the SDK). */
export function isRequestTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === -32001;
}

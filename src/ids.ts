// Letta-style ids: '<prefix>-<uuid4>'.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

const ID_PREFIXES = [
  'agent',
  'message',
  'run',
  'block',
  'tool',
  'passage',
  'archive',
  'source',
  'file',
  'step',
  'identity',
  'conv',
  'mcp_server',
  'agent-env',
  'org',
  'user',
  'group',
  'job',
  'provider',
  'apikey',
] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export function newId(prefix: IdPrefix): string {
  return `${prefix}-${randomUUID()}`;
}

/** Zod validator for a path/body id of one kind; the message names the expected shape. */
export function idParam(prefix: IdPrefix) {
  const re = new RegExp(`^${prefix}-${UUID}$`);
  return z.string().regex(re, { message: `must look like '${prefix}-<uuid4>'` });
}

export const DEFAULT_ORG_ID = 'org-00000000-0000-4000-8000-000000000000';
export const DEFAULT_USER_ID = 'user-00000000-0000-4000-8000-000000000000';

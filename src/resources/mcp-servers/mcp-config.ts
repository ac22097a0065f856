// Turns a create/update `config` body into the stored columns, keeping masked secrets as they were.
import { BadRequestError } from '../../errors.js';
import { McpServerConfig, stdioForbidden } from '../../mcp/types.js';
import { checkOutboundUrl, OutboundRefusedError, type OutboundPolicy, type Resolver } from '../../net/outbound-policy.js';
import { SECRET_MASK, stdioConfigOf, toManagerConfig } from './mcp-servers.mapper.js';
import type { McpConfigInput } from './mcp-servers.schemas.js';
import type { McpServerInsert, McpServerRow } from '../../db/rows.js';

type Columns = Pick<McpServerInsert, 'serverType' | 'serverUrl' | 'stdioConfig' | 'authHeader' | 'authToken' | 'customHeaders'>;

function inferType(c: McpConfigInput, current?: McpServerRow): string {
  if (c.mcp_server_type) return c.mcp_server_type;
  if (c.command) return 'stdio';
  if (c.server_url) return current && current.serverType !== 'stdio' ? current.serverType : 'streamable_http';
  if (current) return current.serverType;
  throw new BadRequestError('config needs mcp_server_type, or a command (stdio) or a server_url (sse/streamable_http)');
}

/** A value equal to the mask means "unchanged": clients echo back what they were shown. */
function keepMasked(next: Record<string, string> | null | undefined, stored: Record<string, string> | null | undefined) {
  if (next == null) return next;
  return Object.fromEntries(Object.entries(next).map(([k, v]) => [k, v === SECRET_MASK ? (stored?.[k] ?? '') : v]));
}

export function configColumns(c: McpConfigInput, current?: McpServerRow): Columns {
  const type = inferType(c, current);
  const sameType = current?.serverType === type;
  if (type === 'stdio') {
    const old = sameType ? stdioConfigOf(current!) : undefined;
    const env = c.env === undefined ? old?.env : keepMasked(c.env, old?.env);
    const stdio = { command: c.command ?? old?.command ?? '', args: c.args ?? old?.args ?? [], env: env ?? null };
    return { serverType: type, serverUrl: null, stdioConfig: stdio, authHeader: null, authToken: null, customHeaders: null };
  }
  const token = c.auth_token === SECRET_MASK ? current?.authToken : c.auth_token;
  return {
    serverType: type,
    serverUrl: c.server_url ?? (sameType ? current!.serverUrl : null),
    stdioConfig: null,
    authHeader: c.auth_header !== undefined ? c.auth_header : sameType ? current!.authHeader : null,
    authToken: token !== undefined ? token : sameType ? current!.authToken : null,
    customHeaders:
      c.custom_headers !== undefined ? keepMasked(c.custom_headers, current?.customHeaders) : sameType ? current!.customHeaders : null,
  };
}

/** Checks the merged config with the MCP layer's own schema, so a bad URL or empty command is a 400 now. */
export function assertValidConfig(serverName: string, cols: Columns): void {
  const probe = { serverName, ...cols } as McpServerRow;
  const parsed = McpServerConfig.safeParse(toManagerConfig(probe));
  if (parsed.success) return;
  const issues = parsed.error.issues.map((i) => `config.${i.path.join('.') || 'config'}: ${i.message}`);
  throw new BadRequestError(`Invalid MCP server config: ${issues.join('; ')}`);
}

/** What the operator allows for servers callers configure. */
export type McpServerPolicy = { allowStdio: boolean; outbound: OutboundPolicy; resolve?: Resolver };

/**
 * stdio needs the operator's switch (403); a server_url must pass the outbound policy (400). A host that does not
 * resolve now is accepted: the same check runs again on every connection.
 */
export async function assertAllowedConfig(cols: Pick<Columns, 'serverType' | 'serverUrl'>, policy: McpServerPolicy): Promise<void> {
  if (cols.serverType === 'stdio') {
    if (!policy.allowStdio) throw stdioForbidden();
    return;
  }
  if (!cols.serverUrl) return;
  try {
    await checkOutboundUrl(cols.serverUrl, policy.outbound, policy.resolve);
  } catch (e) {
    if (e instanceof OutboundRefusedError && e.reason === 'unresolved') return;
    if (e instanceof OutboundRefusedError) throw new BadRequestError(`config.server_url: ${e.message}`);
    throw e;
  }
}

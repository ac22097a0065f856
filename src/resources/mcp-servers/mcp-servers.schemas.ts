// MCP server wire shapes (Letta's McpServer union) and the create/update bodies.
import { z } from 'zod';
import { idParam } from '../../ids.js';

const McpServerType = z.enum(['stdio', 'sse', 'streamable_http']);
const StringMap = z.record(z.string(), z.string());

/** One flat object covers the three variants; fields that do not apply to a type are left out. */
export const McpServer = z.object({
  id: z.string(),
  server_name: z.string(),
  mcp_server_type: McpServerType,
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  env: StringMap.nullable().optional(),
  server_url: z.string().optional(),
  auth_header: z.string().nullable().optional(),
  auth_token: z.string().nullable().optional(),
  custom_headers: StringMap.nullable().optional(),
  /** Mnemo: present (true) on a stdio server imported from an agent file; saving its config again enables it. */
  disabled: z.boolean().optional(),
});
export type McpServer = z.infer<typeof McpServer>;

/** The SDK makes `mcp_server_type` optional; it is inferred from `command` vs `server_url` when missing. */
export const McpConfigInput = z.object({
  mcp_server_type: McpServerType.nullish(),
  command: z.string().trim().min(1, 'command must not be empty').nullish(),
  args: z.array(z.string()).nullish(),
  env: StringMap.nullish(),
  server_url: z.string().trim().min(1, 'server_url must not be empty').nullish(),
  auth_header: z.string().nullish(),
  auth_token: z.string().nullish(),
  custom_headers: StringMap.nullish(),
});
export type McpConfigInput = z.infer<typeof McpConfigInput>;

export const CreateMcpServer = z.object({
  server_name: z.string().trim().min(1, 'server_name must not be empty'),
  config: McpConfigInput,
});
export type CreateMcpServer = z.infer<typeof CreateMcpServer>;

export const UpdateMcpServer = z.object({
  server_name: z.string().trim().min(1).nullish(),
  config: McpConfigInput.nullish(),
});
export type UpdateMcpServer = z.infer<typeof UpdateMcpServer>;

export const McpServerIdParams = z.object({ mcp_server_id: idParam('mcp_server') });
export const McpToolParams = z.object({ mcp_server_id: idParam('mcp_server'), tool_id: idParam('tool') });
export const RefreshQuery = z.object({ agent_id: idParam('agent').optional() });

export const RefreshResult = z.object({
  message: z.string(),
  added: z.array(z.string()),
  updated: z.array(z.string()),
  removed: z.array(z.string()),
});
export type RefreshResult = z.infer<typeof RefreshResult>;

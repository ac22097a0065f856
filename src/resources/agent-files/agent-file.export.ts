// Builds an agent file (Letta's multi-entity .af format) for one agent, with file-local ids.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { BadRequestError, notFound } from '../../errors.js';
import type { AgentRow } from '../agents/agents.mapper.js';
import { findAgent, listToolsForAgents } from '../agents/agents.repo.js';
import { listAgentBlockRows } from '../blocks/blocks.repo.js';
import { findMessagesByIds, type MessageRow } from '../messages/messages.repo.js';
import type { ToolRow } from '../tools/tools.mapper.js';
import { exportAgent, exportBlock, exportMessage, exportTool } from './agent-file.export-map.js';
import { createFileIdMap, type FileIdMap } from './agent-file.ids.js';
import { findLiveConversation, findMcpServersByIds, recentMessages, type McpServerRow } from './agent-file.repo.js';
import type { ExportOptions } from './agent-file.schemas.js';

/** How many recent messages travel with the in-context window (Letta exports about this many). */
const RECENT_MESSAGES = 50;

export type ExportDeps = { db: Db; revisionId: string; now?: () => Date };

export async function buildAgentFile(deps: ExportDeps, actor: Actor, agentId: string, opts: ExportOptions): Promise<Record<string, unknown>> {
  const { db } = deps;
  const agent = await findAgent(db, actor.orgId, agentId);
  if (!agent) throw notFound('Agent', agentId);
  const [blocks, toolLinks] = await Promise.all([listAgentBlockRows(db, actor.orgId, agentId), listToolsForAgents(db, [agentId])]);
  const tools = toolLinks.map((l) => l.tool);
  const ids = createFileIdMap();
  ids.idFor('agent', agent.id);
  const servers = await mcpServersOf(db, actor, tools);
  const mcp = servers.map((s) => exportMcpServer(s, ids));
  const fileBlocks = blocks.map((b) => exportBlock(b, ids));
  const fileTools = tools.map((t) => exportTool(t, ids));
  const history = opts.scrubMessages ? { inContext: [], messages: [] } : await historyOf(db, actor, agent, opts.conversationId ?? null);
  const fileAgentId = ids.idFor('agent', agent.id);
  const messages = history.messages.map((m) => exportMessage(m, fileAgentId, ids));
  const fileAgent = exportAgent(agent, ids, {
    toolIds: fileTools.map((t) => t.id as string),
    blockIds: fileBlocks.map((b) => b.id as string),
    inContextIds: history.inContext.map((id) => ids.lookup('message', id)).filter((x): x is string => Boolean(x)),
    messages,
    includeSecrets: opts.includeSecrets ?? false,
  });
  return {
    agents: [fileAgent], groups: [], blocks: fileBlocks, files: [], sources: [], tools: fileTools, mcp_servers: mcp,
    skills: opts.skills ?? [], metadata: { revision_id: deps.revisionId }, created_at: (deps.now?.() ?? new Date()).toISOString(),
  };
}

/** The in-context window plus the most recent history of the agent's default thread or of one conversation. */
async function historyOf(db: Db, actor: Actor, agent: AgentRow, conversationId: string | null): Promise<{ inContext: string[]; messages: MessageRow[] }> {
  let inContext = agent.messageIds;
  if (conversationId) {
    const conv = await findLiveConversation(db, actor.orgId, conversationId);
    if (!conv || conv.agentId !== agent.id) throw notFound('Conversation', conversationId);
    inContext = conv.messageIds;
  }
  const [window, recent] = await Promise.all([
    findMessagesByIds(db, actor.orgId, inContext),
    recentMessages(db, actor.orgId, agent.id, conversationId, RECENT_MESSAGES),
  ]);
  const byId = new Map<string, MessageRow>([...recent, ...window].map((m) => [m.id, m]));
  const messages = [...byId.values()].sort((a, b) => a.seq - b.seq);
  return { inContext: window.map((m) => m.id), messages };
}

async function mcpServersOf(db: Db, actor: Actor, tools: ToolRow[]): Promise<McpServerRow[]> {
  const serverIds = tools
    .map((t) => (t.metadata as { mcp?: { server_id?: unknown } } | null)?.mcp?.server_id)
    .filter((id): id is string => typeof id === 'string');
  return findMcpServersByIds(db, actor.orgId, [...new Set(serverIds)]);
}

/** Credentials (auth token, headers, stdio env) never leave the server. */
function exportMcpServer(s: McpServerRow, ids: FileIdMap): Record<string, unknown> {
  const stdio = s.stdioConfig ? Object.fromEntries(Object.entries(s.stdioConfig).filter(([k]) => k !== 'env')) : null;
  return { id: ids.idFor('mcp_server', s.id), server_type: s.serverType, server_name: s.serverName, server_url: s.serverUrl, stdio_config: stdio, metadata_: s.metadata ?? {} };
}

export function rejectLegacyExport(useLegacy: boolean | undefined): void {
  if (useLegacy) throw new BadRequestError('Legacy format is not supported; export uses the multi-entity agent file format');
}

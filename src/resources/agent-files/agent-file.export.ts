// Builds an agent file (Letta's multi-entity .af format) for one agent — plus the members of groups it manages —
// with file-local ids.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { readAll, readEach } from '../../db/reads.js';
import { BadRequestError, notFound } from '../../errors.js';
import { findAgent, listToolsForAgents } from '../agents/agents.repo.js';
import { listAgentBlockRows } from '../../memory/block-rows.js';
import { findMessagesByIds } from '../../memory/message-rows.js';
import { exportAgent, exportBlock, exportGroup, exportMcpServer, exportMessage, exportTool } from './agent-file.export-map.js';
import { createFileIdMap } from './agent-file.ids.js';
import { findLiveConversation, findMcpServersByIds, groupsManagedBy, recentMessages } from './agent-file.repo.js';
import type { ExportOptions } from './agent-file.schemas.js';
import { exportFolderParts } from '../folders/folder-agent-file.js';
import type { ToolRow, MessageRow, AgentRow, McpServerRow } from '../../db/rows.js';

/** How many recent messages travel with the in-context window (Letta exports about this many). */
const RECENT_MESSAGES = 50;

export type ExportDeps = { db: Db; revisionId: string; now?: () => Date };

type Collected = {
  agent: AgentRow;
  blocks: Awaited<ReturnType<typeof listAgentBlockRows>>;
  tools: ToolRow[];
  history: { inContext: string[]; messages: MessageRow[] };
};

export async function buildAgentFile(
  deps: ExportDeps,
  actor: Actor,
  agentId: string,
  opts: ExportOptions,
): Promise<Record<string, unknown>> {
  const { db } = deps;
  const root = await findAgent(db, actor.orgId, agentId);
  if (!root) throw notFound('Agent', agentId);
  const managed = await groupsManagedBy(db, actor.orgId, agentId);
  const memberIds = [...new Set(managed.flatMap((g) => g.agentIds))].filter((id) => id !== agentId);
  const members = (await readEach(db, memberIds, (id) => findAgent(db, actor.orgId, id))).filter((a): a is AgentRow => Boolean(a));
  // Only the exported agent's thread can be a conversation; group members always export their own thread.
  const collected = await readEach(db, [root, ...members], (a) =>
    collect(db, actor, a, a === root ? (opts.conversationId ?? null) : null, opts.scrubMessages ?? false),
  );
  const ids = createFileIdMap();
  for (const c of collected) ids.idFor('agent', c.agent.id);
  const servers = await mcpServersOf(
    db,
    actor,
    collected.flatMap((c) => c.tools),
  );
  const mcp = servers.map((s) => exportMcpServer(s, ids));
  const blocks = new Map<string, Record<string, unknown>>();
  const tools = new Map<string, Record<string, unknown>>();
  const agents = collected.map((c) => {
    for (const b of c.blocks) if (!blocks.has(b.id)) blocks.set(b.id, exportBlock(b, ids));
    for (const t of c.tools) if (!tools.has(t.id)) tools.set(t.id, exportTool(t, ids));
    const fileAgentId = ids.idFor('agent', c.agent.id);
    return exportAgent(c.agent, ids, {
      toolIds: c.tools.map((t) => ids.idFor('tool', t.id)),
      blockIds: c.blocks.map((b) => ids.idFor('block', b.id)),
      messages: c.history.messages.map((m) => exportMessage(m, fileAgentId, ids)),
      inContextIds: c.history.inContext.map((id) => ids.lookup('message', id)).filter((x): x is string => Boolean(x)),
      includeSecrets: opts.includeSecrets ?? false,
    });
  });
  const folderParts = await exportFolderParts(
    db,
    actor.orgId,
    collected.map((c) => c.agent.id),
    ids,
  );
  collected.forEach((c, i) => {
    Object.assign(agents[i]!, folderParts.agentFields(c.agent.id));
  });
  const groups = managed.map((g) => exportGroup(g, ids));
  for (const a of agents)
    a.group_ids = groups
      .filter(
        (g) =>
          (g.agent_ids as string[]).includes(a.id as string) ||
          (g.manager_config as { manager_agent_id?: string }).manager_agent_id === a.id,
      )
      .map((g) => g.id);
  return {
    agents,
    groups,
    blocks: [...blocks.values()],
    files: folderParts.files,
    sources: folderParts.sources,
    tools: [...tools.values()],
    mcp_servers: mcp,
    skills: opts.skills ?? [],
    metadata: { revision_id: deps.revisionId },
    created_at: (deps.now?.() ?? new Date()).toISOString(),
  };
}

async function collect(db: Db, actor: Actor, agent: AgentRow, conversationId: string | null, scrub: boolean): Promise<Collected> {
  const [blocks, toolLinks, history] = await readAll(db, [
    () => listAgentBlockRows(db, actor.orgId, agent.id),
    () => listToolsForAgents(db, [agent.id]),
    () => (scrub ? { inContext: [], messages: [] } : historyOf(db, actor, agent, conversationId)),
  ]);
  return { agent, blocks, tools: toolLinks.map((l) => l.tool), history };
}

/** The in-context window plus the most recent history of the agent's default thread or of one conversation. */
async function historyOf(
  db: Db,
  actor: Actor,
  agent: AgentRow,
  conversationId: string | null,
): Promise<{ inContext: string[]; messages: MessageRow[] }> {
  let inContext = agent.messageIds;
  if (conversationId) {
    const conv = await findLiveConversation(db, actor.orgId, conversationId);
    if (!conv || conv.agentId !== agent.id) throw notFound('Conversation', conversationId);
    inContext = conv.messageIds;
  }
  const [window, recent] = await readAll(db, [
    () => findMessagesByIds(db, actor.orgId, inContext),
    () => recentMessages(db, actor.orgId, agent.id, conversationId, RECENT_MESSAGES),
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

export function rejectLegacyExport(useLegacy: boolean | undefined): void {
  if (useLegacy) throw new BadRequestError('Legacy format is not supported; export uses the multi-entity agent file format');
}

// Loads the relations an AgentState carries (blocks, tools) for many agents in two queries.
import type { Db } from '../../db/client.js';
import { listBlocksForAgents } from '../blocks/blocks.repo.js';
import type { AgentRelations } from './agents.mapper.js';
import { listToolsForAgents } from './agents.repo.js';

export async function loadRelations(db: Db, agentIds: string[]): Promise<Map<string, AgentRelations>> {
  const out = new Map<string, AgentRelations>(agentIds.map((id) => [id, { blocks: [], tools: [] }]));
  if (agentIds.length === 0) return out;
  const [blockLinks, toolLinks] = await Promise.all([listBlocksForAgents(db, agentIds), listToolsForAgents(db, agentIds)]);
  for (const { agentId, block } of blockLinks) out.get(agentId)?.blocks.push(block);
  for (const { agentId, tool } of toolLinks) out.get(agentId)?.tools.push(tool);
  return out;
}

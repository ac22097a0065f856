// Loads the relations an AgentState carries (blocks, tools, identities, managed group) for many agents in a few
// batched queries.
import type { Db } from '../../db/client.js';
import { readAll } from '../../db/reads.js';
import { listBlocksForAgents } from '../blocks/blocks.repo.js';
import { toGroup } from '../groups/groups.mapper.js';
import { loadGroupLinks, managedGroupsFor } from '../groups/groups.repo.js';
import { toIdentity } from '../identities/identities.mapper.js';
import { identitiesForAgents, loadLinks } from '../identities/identities.repo.js';
import type { AgentRelations } from './agents.mapper.js';
import { listToolsForAgents } from './agents.repo.js';
import { foldersOfAgents } from '../folders/folders.repo.js';

export async function loadRelations(db: Db, agentIds: string[]): Promise<Map<string, AgentRelations>> {
  const out = new Map<string, AgentRelations>(
    agentIds.map((id) => [id, { blocks: [], tools: [], folders: [], identities: [], managedGroup: null }]),
  );
  if (agentIds.length === 0) return out;
  const [blockLinks, toolLinks, identityLinks, managed, folderLinks] = await readAll(db, [
    () => listBlocksForAgents(db, agentIds),
    () => listToolsForAgents(db, agentIds),
    () => identitiesForAgents(db, agentIds),
    () => managedGroupsFor(db, agentIds),
    () => foldersOfAgents(db, agentIds),
  ]);
  for (const { agentId, folder } of folderLinks) out.get(agentId)?.folders?.push(folder);
  for (const { agentId, block } of blockLinks) out.get(agentId)?.blocks.push(block);
  for (const { agentId, tool } of toolLinks) out.get(agentId)?.tools.push(tool);
  const [idLinks, groupLinks] = await readAll(db, [
    () => loadLinks(db, [...new Set(identityLinks.map((l) => l.identity.id))]),
    () =>
      loadGroupLinks(
        db,
        managed.map((g) => g.id),
      ),
  ]);
  for (const { agentId, identity } of identityLinks) out.get(agentId)?.identities?.push(toIdentity(identity, idLinks.get(identity.id)!));
  // Sleep-time groups win over other managed groups, as an agent shows one managed_group.
  for (const g of [...managed].sort((a, b) => Number(a.managerType === 'sleeptime') - Number(b.managerType === 'sleeptime'))) {
    const rel = out.get(g.managerAgentId!);
    if (rel) rel.managedGroup = toGroup(g, groupLinks.get(g.id)!);
  }
  return out;
}

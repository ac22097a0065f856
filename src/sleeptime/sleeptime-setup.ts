// Turning sleep-time on and off for a primary agent: the companion agent (sharing the primary's blocks), its
// managed group, and their removal.
import { eq } from 'drizzle-orm';
import type { Actor } from '../actor.js';
import type { Db } from '../db/client.js';
import { agents } from '../db/schema/index.js';
import { findAgent } from '../resources/agents/agents.repo.js';
import type { AgentState, CreateAgent } from '../resources/agents/agents.schemas.js';
import { listAgentBlockRows } from '../memory/block-rows.js';
import { deleteBlockRow } from '../resources/blocks/blocks.repo.js';
import { findSleeptimeGroup, insertGroup, loadGroupLinks, setGroupAgents, deleteGroupRow } from '../resources/groups/groups.repo.js';
import { newId } from '../ids.js';
import { SLEEPTIME_PERSONA } from './sleeptime-text.js';

export type SleeptimeSetupDeps = {
  db: Db;
  /** The agents service's own create (not the wrapped one, which would recurse into sleep-time setup). */
  createAgent(actor: Actor, req: CreateAgent): Promise<AgentState>;
  defaultFrequency?: number;
};

export function createSleeptimeSetup(deps: SleeptimeSetupDeps) {
  async function enable(actor: Actor, primaryId: string): Promise<void> {
    if (await findSleeptimeGroup(deps.db, actor.orgId, primaryId)) return;
    const primary = await findAgent(deps.db, actor.orgId, primaryId);
    // A sleep-time agent does not get a companion of its own.
    if (!primary || primary.agentType === 'sleeptime_agent' || primary.agentType === 'voice_sleeptime_agent') return;
    const blocks = await listAgentBlockRows(deps.db, actor.orgId, primaryId);
    const companion = await deps.createAgent(actor, {
      name: `${primary.name}-sleeptime`.slice(0, 300),
      agent_type: 'sleeptime_agent',
      llm_config: primary.llmConfig,
      embedding_config: (primary.embeddingConfig ?? null) as CreateAgent['embedding_config'],
      block_ids: blocks.filter((b) => b.label !== 'memory_persona').map((b) => b.id),
      memory_blocks: [{ label: 'memory_persona', value: SLEEPTIME_PERSONA }],
      tools: ['archival_memory_insert', 'archival_memory_search'],
      project_id: primary.projectId,
      timezone: primary.timezone,
    });
    const group = await insertGroup(deps.db, {
      id: newId('group'),
      organizationId: actor.orgId,
      managerType: 'sleeptime',
      managerAgentId: primaryId,
      description: `Sleep-time memory group of ${primary.name}`,
      sleeptimeAgentFrequency: deps.defaultFrequency ?? 1,
      // -1 so that the first turn brings the counter to 0, which runs the companion.
      turnsCounter: -1,
      projectId: primary.projectId,
    });
    await setGroupAgents(deps.db, actor.orgId, group.id, [companion.id]);
  }

  /** Removes the sleep-time group and its companion agents (their runs and messages go with them). */
  async function disable(actor: Actor, primaryId: string): Promise<void> {
    const group = await findSleeptimeGroup(deps.db, actor.orgId, primaryId);
    if (!group) return;
    const members = (await loadGroupLinks(deps.db, [group.id])).get(group.id)!.agentIds;
    await deleteGroupRow(deps.db, actor.orgId, group.id);
    for (const id of members) {
      // The companion's own persona block goes with it; the blocks it shared with the primary stay.
      const own = (await listAgentBlockRows(deps.db, actor.orgId, id)).filter((b) => b.label === 'memory_persona');
      await deps.db.delete(agents).where(eq(agents.id, id));
      for (const b of own) await deleteBlockRow(deps.db, actor.orgId, b.id);
    }
  }

  return { enable, disable };
}

export type SleeptimeSetup = ReturnType<typeof createSleeptimeSetup>;

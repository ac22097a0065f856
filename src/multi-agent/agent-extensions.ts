// Agent create/update/delete with the parts this feature adds: identity_ids, enable_sleeptime (companion agent
// and group), deleting a primary's sleep-time companion with it, and block attach/detach (or a new block_ids set)
// on a primary reaching its companion. Wraps the agents service; the wrapped service stays unaware of identities
// and sleep-time.
import type { Actor } from '../actor.js';
import type { AgentState } from '../resources/agents/agents.schemas.js';
import type { AgentsService } from '../resources/agents/agents.service.js';
import type { IdentitiesService } from '../resources/identities/identities.service.js';
import type { SleeptimeSetup } from '../sleeptime/sleeptime-setup.js';

export type AgentExtensionDeps = {
  identities: IdentitiesService;
  sleeptime: SleeptimeSetup;
  /** Shares blocks added to a primary with its sleep-time companions and unshares removed ones. */
  propagateBlocks(actor: Actor, primaryId: string, change: { add?: string[]; remove?: string[] }): Promise<void>;
};

const blockIdsOf = (s: AgentState) => s.blocks.map((b) => b.id);

async function checkIdentities(x: AgentExtensionDeps, actor: Actor, ids?: string[] | null): Promise<void> {
  for (const id of new Set(ids ?? [])) await x.identities.mustGet(actor, id);
}

export function extendAgentsService(agents: AgentsService, x: AgentExtensionDeps): AgentsService {
  return {
    ...agents,
    async create(actor, req) {
      await checkIdentities(x, actor, req.identity_ids);
      const state = await agents.create(actor, req);
      if (!req.identity_ids?.length && !req.enable_sleeptime) return state;
      if (req.identity_ids?.length) await x.identities.setAgentIdentities(actor, state.id, req.identity_ids);
      if (req.enable_sleeptime) await x.sleeptime.enable(actor, state.id);
      return agents.get(actor, state.id);
    },
    async update(actor, id, u) {
      await checkIdentities(x, actor, u.identity_ids);
      const before = u.block_ids != null ? blockIdsOf(await agents.get(actor, id)) : null;
      const state = await agents.update(actor, id, u);
      if (before) {
        const after = blockIdsOf(state);
        await x.propagateBlocks(actor, id, {
          add: after.filter((b) => !before.includes(b)),
          remove: before.filter((b) => !after.includes(b)),
        });
      }
      if (u.identity_ids == null && u.enable_sleeptime == null) return state;
      if (u.identity_ids != null) await x.identities.setAgentIdentities(actor, id, u.identity_ids);
      if (u.enable_sleeptime === true) await x.sleeptime.enable(actor, id);
      if (u.enable_sleeptime === false) await x.sleeptime.disable(actor, id);
      return agents.get(actor, id);
    },
    async attachBlock(actor, agentId, blockId) {
      const state = await agents.attachBlock(actor, agentId, blockId);
      await x.propagateBlocks(actor, agentId, { add: [blockId] });
      return state;
    },
    async detachBlock(actor, agentId, blockId) {
      const state = await agents.detachBlock(actor, agentId, blockId);
      await x.propagateBlocks(actor, agentId, { remove: [blockId] });
      return state;
    },
    async delete(actor, id) {
      await agents.mustGet(actor, id);
      await x.sleeptime.disable(actor, id);
      return agents.delete(actor, id);
    },
  };
}

// POST /v1/groups/{id}/messages: runs the group's members by its manager's rules.
import type { Actor } from '../actor.js';
import type { InputMessage, LettaMessage } from '../agent/loop/types.js';
import type { Db } from '../db/client.js';
import { BadRequestError } from '../errors.js';
import { listAgentRows } from '../resources/agents/agents.repo.js';
import type { GroupRow } from '../resources/groups/groups.mapper.js';
import { loadGroupLinks } from '../resources/groups/groups.repo.js';
import type { GroupMessageRequest } from '../resources/groups/groups.schemas.js';
import type { GroupsService } from '../resources/groups/groups.service.js';
import { dynamic, roundRobin, supervisor } from './group-managers.js';
import { memberTurn, response, type GroupCtx, type GroupResponse, type Member } from './group-turns.js';
import type { RunAgentTurn } from './turn-runner.js';

export type GroupChatDeps = { db: Db; runTurn: RunAgentTurn; groups: GroupsService };

async function membersOf(db: Db, actor: Actor, ids: string[]): Promise<Map<string, Member>> {
  const rows = ids.length ? await listAgentRows(db, actor.orgId, { ids }, { limit: ids.length, order: 'asc' }) : [];
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name }]));
}

function toInput(req: GroupMessageRequest): InputMessage[] {
  return req.messages.map((m) => ({ role: m.role, content: m.content as InputMessage['content'], name: m.name ?? null, otid: m.otid ?? null, sender_id: m.sender_id ?? null }));
}

async function dispatch(g: GroupCtx, group: GroupRow, byId: Map<string, Member>, memberIds: string[], input: InputMessage[]): Promise<void> {
  const members = memberIds.map((id) => byId.get(id)).filter((m): m is Member => Boolean(m));
  const manager = group.managerAgentId ? byId.get(group.managerAgentId) : undefined;
  switch (group.managerType) {
    case 'round_robin':
      if (!members.length) throw new BadRequestError('The group has no agents');
      return roundRobin(g, members, input, group.maxTurns ?? members.length);
    case 'supervisor':
      if (!manager) throw new BadRequestError('The group has no manager agent');
      return supervisor(g, manager, members.filter((m) => m.id !== manager.id), input);
    case 'dynamic':
      if (!manager) throw new BadRequestError('The group has no manager agent');
      if (!members.length) throw new BadRequestError('The group has no agents');
      return dynamic(g, group, manager, members.filter((m) => m.id !== manager.id), input);
    case 'sleeptime':
    case 'voice_sleeptime':
      // The primary answers; its sleep-time companions run afterwards from the turn hook.
      if (!manager) throw new BadRequestError('The group has no manager agent');
      await memberTurn(g, manager, input);
      return;
    default:
      throw new BadRequestError(`manager_type '${group.managerType}' cannot receive messages`);
  }
}

export function createGroupChat(deps: GroupChatDeps) {
  return {
    async send(actor: Actor, groupId: string, req: GroupMessageRequest, onMessage?: (m: LettaMessage) => void | Promise<void>): Promise<GroupResponse> {
      const group = await deps.groups.mustGet(actor, groupId);
      const memberIds = (await loadGroupLinks(deps.db, [groupId])).get(groupId)!.agentIds;
      const byId = await membersOf(deps.db, actor, [...memberIds, ...(group.managerAgentId ? [group.managerAgentId] : [])]);
      const g: GroupCtx = {
        db: deps.db, runTurn: deps.runTurn, actor, groupId, maxSteps: req.max_steps ?? undefined, onMessage,
        out: [], runIds: [], usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, step_count: 0 }, stop: 'end_turn',
      };
      await dispatch(g, group, byId, memberIds, toInput(req));
      return response(g);
    },
  };
}

export type GroupChat = ReturnType<typeof createGroupChat>;

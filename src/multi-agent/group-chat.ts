// POST /v1/groups/{id}/messages: runs the group's members by its manager's rules (also the body of background
// group runs, src/multi-agent/group-async.ts).
import type { Actor } from '../actor.js';
import type { InputMessage, LettaMessage } from '../agent/loop/types.js';
import type { Db } from '../db/client.js';
import { BadRequestError } from '../errors.js';
import { listAgentRows } from '../resources/agents/agents.repo.js';
import { loadGroupLinks } from '../resources/groups/groups.repo.js';
import type { GroupMessageRequest } from '../resources/groups/groups.schemas.js';
import type { GroupsService } from '../resources/groups/groups.service.js';
import { dynamic, roundRobin, supervisor } from './group-managers.js';
import { memberTurn, response, type GroupCtx, type GroupResponse, type Member } from './group-turns.js';
import type { RunAgentTurn } from './turn-runner.js';
import type { GroupRow } from '../db/rows.js';

export type GroupChatDeps = { db: Db; runTurn: RunAgentTurn; groups: GroupsService };

async function membersOf(db: Db, actor: Actor, ids: string[]): Promise<Map<string, Member>> {
  const rows = ids.length ? await listAgentRows(db, actor.orgId, { ids }, { limit: ids.length, order: 'asc' }) : [];
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name }]));
}

function toInput(req: GroupMessageRequest): InputMessage[] {
  return req.messages.map((m) => ({
    role: m.role,
    content: m.content as InputMessage['content'],
    name: m.name ?? null,
    otid: m.otid ?? null,
    sender_id: m.sender_id ?? null,
  }));
}

/** Who takes part, checked before anything runs (so a background run can refuse at request time). */
export type GroupPlan = { group: GroupRow; memberIds: string[]; byId: Map<string, Member> };

function checkSendable(p: GroupPlan): void {
  const t = p.group.managerType;
  if (!['round_robin', 'supervisor', 'dynamic', 'sleeptime', 'voice_sleeptime'].includes(t))
    throw new BadRequestError(`manager_type '${t}' cannot receive messages`);
  const hasMembers = p.memberIds.some((id) => p.byId.has(id));
  if (t !== 'round_robin' && !(p.group.managerAgentId && p.byId.has(p.group.managerAgentId)))
    throw new BadRequestError('The group has no manager agent');
  if ((t === 'round_robin' || t === 'dynamic') && !hasMembers) throw new BadRequestError('The group has no agents');
}

async function dispatch(g: GroupCtx, p: GroupPlan, input: InputMessage[]): Promise<void> {
  const { group, byId } = p;
  const members = p.memberIds.map((id) => byId.get(id)).filter((m): m is Member => Boolean(m));
  const manager = byId.get(group.managerAgentId ?? '')!;
  switch (group.managerType) {
    case 'round_robin':
      return roundRobin(g, members, input, group.maxTurns ?? members.length);
    case 'supervisor':
      return supervisor(
        g,
        manager,
        members.filter((m) => m.id !== manager.id),
        input,
      );
    case 'dynamic':
      return dynamic(
        g,
        group,
        manager,
        members.filter((m) => m.id !== manager.id),
        input,
      );
    default:
      // sleeptime / voice_sleeptime: the primary answers; its companions run afterwards from the turn hook.
      await memberTurn(g, manager, input);
  }
}

/** Options of one group conversation: streaming callback, and for background runs the parent run's hooks. */
export type GroupSendOptions = Pick<GroupCtx, 'onMessage' | 'parentRunId' | 'cancelled' | 'onRun'>;

export function createGroupChat(deps: GroupChatDeps) {
  /** Loads the group and its members; 404 for an unknown group, 400 when it cannot take a message. */
  async function prepare(actor: Actor, groupId: string): Promise<GroupPlan> {
    const group = await deps.groups.mustGet(actor, groupId);
    const memberIds = (await loadGroupLinks(deps.db, [groupId])).get(groupId)!.agentIds;
    const byId = await membersOf(deps.db, actor, [...memberIds, ...(group.managerAgentId ? [group.managerAgentId] : [])]);
    const plan = { group, memberIds, byId };
    checkSendable(plan);
    return plan;
  }

  /** Runs the conversation; `g` collects messages, usage and member run ids even when it stops early. */
  async function run(
    actor: Actor,
    plan: GroupPlan,
    req: GroupMessageRequest,
    o: GroupSendOptions = {},
    g?: GroupCtx,
  ): Promise<GroupResponse> {
    const ctx: GroupCtx = g ?? newGroupCtx(deps, actor, plan.group.id, req, o);
    await dispatch(ctx, plan, toInput(req));
    return response(ctx);
  }

  return {
    prepare,
    run,
    newCtx: (actor: Actor, groupId: string, req: GroupMessageRequest, o: GroupSendOptions = {}) =>
      newGroupCtx(deps, actor, groupId, req, o),
    async send(
      actor: Actor,
      groupId: string,
      req: GroupMessageRequest,
      onMessage?: (m: LettaMessage) => void | Promise<void>,
    ): Promise<GroupResponse> {
      return run(actor, await prepare(actor, groupId), req, { onMessage });
    },
  };
}

function newGroupCtx(deps: GroupChatDeps, actor: Actor, groupId: string, req: GroupMessageRequest, o: GroupSendOptions): GroupCtx {
  return {
    db: deps.db,
    runTurn: deps.runTurn,
    actor,
    groupId,
    maxSteps: req.max_steps ?? undefined,
    ...o,
    out: [],
    runIds: [],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, step_count: 0 },
    stop: 'end_turn',
  };
}

export type GroupChatCore = ReturnType<typeof createGroupChat>;

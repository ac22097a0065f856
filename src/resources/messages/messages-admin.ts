// History maintenance: reset the in-context window, recompile the system message.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Actor } from '../../actor.js';
import { loadTurnState } from '../../agent/turn-store/load.js';
import type { RowBase } from '../../agent/loop/message-rows.js';
import { compileFresh, recompileIfChanged } from '../../agent/loop/recompile-system.js';
import { writeSystemMessage } from '../../agent/turn-store/turn-store.js';
import type { LoopDeps } from '../../agent/loop/types.js';
import { withTurnLock } from '../../agent/turn-store/lease.js';
import { HEARTBEAT_AGENT_TYPES } from '../../agent/types.js';
import type { Db } from '../../db/client.js';
import { agents } from '../../db/schema/index.js';
import { newId } from '../../ids.js';
import { pyJson } from '../../tools/tool.js';
import { formatLettaTime } from '../../tools/builtin/time-format.js';
import { insertMessages } from '../../memory/message-rows.js';
import type { MessageInsert } from '../../db/rows.js';

/** The boot sequence heartbeat-loop agents start with (a greeting via send_message, its return, a login event). */
function defaultInitialRows(base: Omit<RowBase, 'runId'>, now: Date, tz: string): MessageInsert[] {
  const callId = newId('message').slice(8, 44);
  const args = JSON.stringify({ message: 'Hello! I am here and ready to help.' });
  const ret = pyJson({ status: 'OK', message: null, time: formatLettaTime(now, tz) });
  const login = pyJson({ type: 'login', last_login: 'Never (first login)', time: formatLettaTime(now, tz) });
  const common = { organizationId: base.organizationId, agentId: base.agentId };
  return [
    {
      ...common,
      id: newId('message'),
      role: 'assistant',
      content: [{ type: 'text', text: 'Bootup sequence complete. Persona activated.' }],
      text: 'Bootup sequence complete. Persona activated.',
      toolCalls: [{ id: callId, type: 'function', function: { name: 'send_message', arguments: args } }],
    },
    {
      ...common,
      id: newId('message'),
      role: 'tool',
      content: [{ type: 'text', text: ret }],
      text: ret,
      name: 'send_message',
      toolCallId: callId,
      toolReturns: [{ tool_call_id: callId, name: 'send_message', status: 'success', func_response: ret, stdout: null, stderr: null }],
    },
    { ...common, id: newId('message'), role: 'user', content: [{ type: 'text', text: login }], text: login },
  ];
}

/** Both admin operations rewrite the in-context list or the system message, so they wait for the agent's turn. */
function locked<T>(deps: LoopDeps, agentId: string, fn: () => Promise<T>): Promise<T> {
  const o = { pollMs: deps.lockPollMs, leaseMs: deps.leaseMs };
  return withTurnLock(deps.db, { agentId }, `admin-${randomUUID()}`, fn, o) as Promise<T>;
}

export function resetMessages(deps: LoopDeps, actor: Actor, agentId: string, addDefault: boolean): Promise<void> {
  return locked(deps, agentId, () => resetUnlocked(deps, actor, agentId, addDefault));
}

async function resetUnlocked(deps: LoopDeps, actor: Actor, agentId: string, addDefault: boolean): Promise<void> {
  const now = (deps.now ?? (() => new Date()))();
  const state = await loadTurnState(deps.db, actor, agentId);
  state.context = state.context.slice(0, 1);
  const extra =
    addDefault && HEARTBEAT_AGENT_TYPES.has(state.agent.agentType)
      ? defaultInitialRows({ organizationId: actor.orgId, agentId }, now, state.agent.timezone)
      : [];
  await deps.db.transaction(async (tx) => {
    const stored = await insertMessages(tx as Db, extra);
    const sys = recompileIfChanged({ ...state, totalMessages: state.totalMessages + stored.length }, now, true);
    if (sys) await writeSystemMessage(tx as Db, sys);
    await (tx as Db)
      .update(agents)
      .set({ messageIds: [...state.context.map((m) => m.id), ...stored.map((m) => m.id)] })
      .where(eq(agents.id, agentId));
  });
}

export async function recompileSystem(deps: LoopDeps, actor: Actor, agentId: string, dryRun: boolean): Promise<string> {
  const now = (deps.now ?? (() => new Date()))();
  if (dryRun) return compileFresh(await loadTurnState(deps.db, actor, agentId), now).text;
  return locked(deps, agentId, () => recompileUnlocked(deps, actor, agentId, now));
}

async function recompileUnlocked(deps: LoopDeps, actor: Actor, agentId: string, now: Date): Promise<string> {
  const state = await loadTurnState(deps.db, actor, agentId);
  const sys = recompileIfChanged(state, now, true);
  if (sys) await writeSystemMessage(deps.db, sys);
  return sys?.text ?? state.context[0]?.text ?? '';
}

// Cancelling a thread's runs: flag them in the database (every process polls it) and abort the local ones at once.
import { and, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../actor.js';
import { cancelPendingApproval } from '../agent/loop/approval-cancel.js';
import type { LoopDeps } from '../agent/loop/types.js';
import { runs } from '../db/schema/index.js';
import { ConflictError } from '../errors.js';
import { assertAgentExists } from '../resources/agents/agents.repo.js';
import type { RunRegistry } from './run-registry.js';
import type { Thread } from './turn-start.js';

/**
 * The agent's own thread cancels every active run of the agent; a conversation only its own. "Nothing to cancel"
 * is a 409 on the agent route and an empty answer on the conversation route (`emptyOk`).
 */
export async function cancelRuns(
  loop: LoopDeps,
  registry: RunRegistry,
  actor: Actor,
  t: Thread,
  o: { runIds?: string[] | null; emptyOk: boolean },
): Promise<Record<string, string>> {
  const db = loop.db;
  await assertAgentExists(db, actor.orgId, t.agentId);
  const conds = [eq(runs.organizationId, actor.orgId), eq(runs.agentId, t.agentId), inArray(runs.status, ['created', 'running'])];
  if (o.runIds?.length) conds.push(inArray(runs.id, o.runIds));
  if (t.conversationId) conds.push(eq(runs.conversationId, t.conversationId));
  const active = await db
    .update(runs)
    .set({ cancelRequested: true })
    .where(and(...conds))
    .returning({ id: runs.id });
  if (active.length === 0) {
    // Nothing running but an approval left waiting (e.g. across a restart): deny it (src/agent/loop/approval-cancel.ts).
    const denied = o.runIds?.length ? null : await cancelPendingApproval(loop, actor, t.agentId, t.conversationId);
    if (denied) return { [denied.runId ?? denied.requestId]: 'cancelled' };
    if (o.emptyOk) return {};
    throw new ConflictError(`No active runs to cancel for agent ${t.agentId}`);
  }
  const out: Record<string, string> = {};
  for (const r of active) {
    registry.abort(r.id);
    out[r.id] = 'cancelled';
  }
  return out;
}

// Agent-to-agent messaging behind the multi-agent tools. The hop count and the chain of waiting agents travel in
// the receiving run's metadata, so loops stop after MAX_HOPS and an agent never waits on itself (which would
// deadlock on its own turn lock).
import type { Actor } from '../actor.js';
import type { InputMessage } from '../agent/loop/types.js';
import type { Db } from '../db/client.js';
import { findAgent, listAgentRows } from '../resources/agents/agents.repo.js';
import { resumeRun } from '../resources/runs/run-resume.js';
import { createRun, findRun } from '../resources/runs/runs.repo.js';
import { ToolInputError } from '../tools/tool.js';
import type { AgentMessenger, AgentReply, MessengerScope } from '../tools/builtin/multi-agent/messenger-types.js';
import { assistantTexts, type RunAgentTurn } from './turn-runner.js';

const MAX_HOPS = 3;
export const AGENT_MESSAGE_QUEUE = 'agent-message';

export type Chain = { hops: number; chain: string[] };
/** `runId`: the receiver's run, created with the job (absent in jobs queued by older versions). */
export type AsyncAgentMessage = { orgId: string; userId: string; targetId: string; input: InputMessage; chain: Chain; runId?: string };

export type MessengerDeps = {
  db: Db;
  runTurn: RunAgentTurn;
  /** Durable delivery for send_message_to_agent_async: inserts the job with `db` (a transaction). */
  enqueue(msg: AsyncAgentMessage, db: Db): Promise<void>;
  /** Wakes the job worker once the transaction that enqueued has committed. */
  kick?(): void;
  maxHops?: number;
};

async function chainOf(db: Db, s: MessengerScope): Promise<Chain> {
  const run = await findRun(db, s.actor.orgId, s.runId);
  const meta = (run?.metadata ?? {}) as { multi_agent_hops?: number; multi_agent_chain?: string[] };
  return { hops: meta.multi_agent_hops ?? 0, chain: [...(meta.multi_agent_chain ?? []), s.agentId] };
}

/** The system note the receiver sees: who wrote, and whether a reply travels back. */
function incomingText(senderId: string, senderName: string, message: string, waits: boolean): string {
  const tail = waits
    ? 'your reply will be returned to the sender'
    : 'a one-way notification; to answer, use an agent messaging tool if you have one';
  return `[message from agent ${senderId} (${senderName}) - ${tail}] ${message}`;
}

function metadataFor(senderId: string, c: Chain, kind: string): Record<string, unknown> {
  return { run_type: kind, sender_agent_id: senderId, multi_agent_hops: c.hops, multi_agent_chain: c.chain };
}

export function createMessengerFactory(deps: MessengerDeps) {
  const maxHops = deps.maxHops ?? MAX_HOPS;

  return (s: MessengerScope): AgentMessenger => {
    const sender = () => findAgent(deps.db, s.actor.orgId, s.agentId);

    async function prepare(message: string, targetId: string, waits: boolean): Promise<{ input: InputMessage; next: Chain }> {
      const c = await chainOf(deps.db, s);
      if (c.hops + 1 > maxHops)
        throw new ToolInputError(`Refused: this message would be hop ${c.hops + 1} of an agent-to-agent chain (limit ${maxHops}).`);
      if (targetId === s.agentId) throw new ToolInputError('Refused: an agent cannot message itself.');
      if (waits && c.chain.includes(targetId))
        throw new ToolInputError(`Refused: agent ${targetId} is already waiting earlier in this message chain.`);
      const target = await findAgent(deps.db, s.actor.orgId, targetId);
      if (!target) throw new ToolInputError(`Agent ${targetId} not found.`);
      const me = await sender();
      const input: InputMessage = {
        role: 'system',
        content: incomingText(s.agentId, me?.name ?? s.agentId, message, waits),
        name: me?.name ?? null,
        sender_id: s.agentId,
      };
      return { input, next: { hops: c.hops + 1, chain: c.chain } };
    }

    async function sendAndWait(message: string, otherAgentId: string): Promise<AgentReply> {
      const { input, next } = await prepare(message, otherAgentId, true);
      const r = await deps.runTurn({
        actor: s.actor,
        agentId: otherAgentId,
        input: [input],
        metadata: metadataFor(s.agentId, next, 'agent_message'),
      });
      if (r.error && r.stopReason !== 'end_turn')
        throw new ToolInputError(`Agent ${otherAgentId} failed to answer (${r.stopReason}): ${r.error}`);
      const texts = assistantTexts(r.messages);
      return { agent_id: otherAgentId, response: texts.length ? texts : ['<no response>'] };
    }

    return {
      sendAndWait,
      async sendAsync(message, otherAgentId) {
        const { input, next } = await prepare(message, otherAgentId, false);
        // Nobody waits on an async delivery, so the chain of waiting agents starts afresh; the hop count goes on.
        const chain: Chain = { hops: next.hops, chain: [] };
        // The receiver's run is created with the job, in one transaction: a job that runs twice finds the run and
        // delivers once (deliverAsyncMessage), and the run is visible from the moment the message is accepted.
        await deps.db.transaction(async (t) => {
          const tx: Db = t;
          const run = await createRun(tx, {
            orgId: s.actor.orgId,
            agentId: otherAgentId,
            background: true,
            metadata: metadataFor(s.agentId, chain, 'agent_message_async'),
          });
          await deps.enqueue({ orgId: s.actor.orgId, userId: s.actor.userId, targetId: otherAgentId, input, chain, runId: run.id }, tx);
        });
        deps.kick?.();
        return 'Successfully sent message';
      },
      async sendToTags(message, matchAll, matchSome) {
        if (matchAll.length === 0 && matchSome.length === 0) throw new ToolInputError('Give at least one tag in match_all or match_some.');
        const rows = await listAgentRows(
          deps.db,
          s.actor.orgId,
          { tags: matchAll.length ? matchAll : undefined, matchAllTags: true },
          { limit: 1000, order: 'asc' },
        );
        const targets = rows.filter((a) => a.id !== s.agentId && (matchSome.length === 0 || a.tags.some((t) => matchSome.includes(t))));
        const out: AgentReply[] = [];
        for (const t of targets) {
          try {
            out.push(await sendAndWait(message, t.id));
          } catch (e) {
            out.push({ agent_id: t.id, response: [`<error: ${(e as Error).message}>`] });
          }
        }
        return out;
      },
    };
  };
}

/** Job handler body for durable async agent messages: delivers once, however often the job runs. */
export async function deliverAsyncMessage(d: { db: Db; runTurn: RunAgentTurn }, m: AsyncAgentMessage): Promise<void> {
  const actor: Actor = { orgId: m.orgId, userId: m.userId };
  if (m.runId && (await resumeRun(d.db, m.runId)) === 'skip') return;
  await d.runTurn({
    actor,
    agentId: m.targetId,
    input: [m.input],
    runId: m.runId,
    metadata: metadataFor(m.input.sender_id ?? '', m.chain, 'agent_message_async'),
  });
}

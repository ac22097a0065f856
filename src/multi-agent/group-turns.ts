// Shared pieces of group conversations: one member's turn tagged with the group, the transcript the members share,
// and the response envelope.
import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../actor.js';
import type { InputMessage, LettaMessage, TurnResult } from '../agent/loop/types.js';
import type { StopReason } from '../agent/turn-types.js';
import type { Db } from '../db/client.js';
import { messages } from '../db/schema/index.js';
import { assistantTexts, type RunAgentTurn } from './turn-runner.js';

export type Member = { id: string; name: string };
export type Entry = { from: Member | null; text: string; input?: InputMessage };
export type GroupCtx = {
  db: Db;
  runTurn: RunAgentTurn;
  actor: Actor;
  groupId: string;
  maxSteps?: number;
  onMessage?: (m: LettaMessage) => void | Promise<void>;
  out: LettaMessage[];
  runIds: string[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; step_count: number };
  stop: StopReason;
  /** Set for a background group run: its id goes into each member run's metadata. */
  parentRunId?: string;
  /** Checked before each member turn; true stops the conversation (GroupCancelled). */
  cancelled?: () => boolean;
  /** Told each member run's id as it starts. */
  onRun?: (runId: string) => void;
};

/** Thrown between member turns once the group run was cancelled. */
export class GroupCancelled extends Error {
  constructor() {
    super('group run cancelled');
  }
}

/** How another member's words reach an agent: a system note naming the speaker. */
export function relayed(e: Entry): InputMessage {
  if (!e.from) return e.input!;
  return {
    role: 'system',
    content: `[group message from agent ${e.from.id} (${e.from.name})] ${e.text}`,
    name: e.from.name,
    sender_id: e.from.id,
  };
}

/** Runs one member's turn, tags its stored messages with the group and collects its output. */
export async function memberTurn(g: GroupCtx, m: Member, input: InputMessage[], collect = true): Promise<TurnResult> {
  if (g.cancelled?.()) throw new GroupCancelled();
  const metadata = { run_type: 'group_message', group_id: g.groupId, ...(g.parentRunId ? { parent_run_id: g.parentRunId } : {}) };
  const r = await g.runTurn({ actor: g.actor, agentId: m.id, input, maxSteps: g.maxSteps, metadata, onRun: g.onRun });
  await g.db
    .update(messages)
    .set({
      groupId: g.groupId,
      senderId: sql`coalesce(${messages.senderId}, case when ${messages.role} in ('assistant', 'tool', 'approval') then ${m.id} end)`,
    })
    .where(eq(messages.runId, r.runId));
  g.runIds.push(r.runId);
  g.usage.prompt_tokens += r.usage.promptTokens;
  g.usage.completion_tokens += r.usage.completionTokens;
  g.usage.total_tokens += r.usage.totalTokens;
  g.usage.step_count += r.usage.stepCount;
  g.stop = r.stopReason;
  if (collect) {
    for (const msg of r.messages) {
      const tagged = { ...msg, group_id: g.groupId, sender_id: m.id, name: msg.name ?? m.name };
      g.out.push(tagged);
      await g.onMessage?.(tagged);
    }
  }
  return r;
}

/** What a member said, as one transcript entry (empty when it said nothing). */
export function spoken(m: Member, r: TurnResult): Entry[] {
  const text = assistantTexts(r.messages).join('\n');
  return text ? [{ from: m, text }] : [];
}

export function inputText(m: InputMessage): string {
  return typeof m.content === 'string' ? m.content : m.content.map((p) => (typeof p.text === 'string' ? p.text : '')).join('\n');
}

export function transcript(entries: Entry[]): string {
  return entries.map((e) => `${e.from ? e.from.name : 'user'}: ${e.text}`).join('\n');
}

export function response(g: GroupCtx) {
  return {
    messages: g.out,
    stop_reason: { message_type: 'stop_reason', stop_reason: g.stop },
    usage: { message_type: 'usage_statistics', ...g.usage, run_ids: g.runIds },
  };
}
export type GroupResponse = ReturnType<typeof response>;

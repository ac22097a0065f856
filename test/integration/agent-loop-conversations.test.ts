// Conversation-scoped turns and block edits that must never be lost (compare-and-swap on blocks.version).
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '../../src/agent/run-turn.js';
import type { LoopDeps } from '../../src/agent/loop/types.js';
import { agents, conversations, messages } from '../../src/db/schema/index.js';
import { DEFAULT_ORG_ID, newId } from '../../src/ids.js';
import { createLlmRegistry } from '../../src/llm/registry.js';
import { createRun } from '../../src/resources/runs/runs.repo.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import type { RecordedRequest } from '../support/scripted-llm.js';

const t = useAgentHarness();
let deps: LoopDeps;
const actor = { orgId: DEFAULT_ORG_ID } as never;

beforeAll(() => {
  const c = t.ctx.config;
  deps = { db: t.ctx.dbh.db, registry: createLlmRegistry({ openai: c.openai, anthropic: c.anthropic, ollama: c.ollama }), lockPollMs: 10 };
});

const agent = (tools: string[], human = 'Name: unknown') =>
  t.createAgent({
    tools,
    memory_blocks: [
      { label: 'human', value: human },
      { label: 'persona', value: 'A helpful agent.' },
    ],
  });

/** A conversation as its owner creates it: its own system message (conversation_id set) as element 0. */
async function conversation(agentId: string): Promise<string> {
  const db = t.ctx.dbh.db;
  const id = `conv-${newId('message').slice(8)}`;
  const sysId = newId('message');
  await db.insert(messages).values({
    id: sysId,
    organizationId: DEFAULT_ORG_ID,
    agentId,
    conversationId: id,
    role: 'system',
    content: [{ type: 'text', text: 'sys' }],
    text: 'sys',
  });
  await db.insert(conversations).values({ id, organizationId: DEFAULT_ORG_ID, agentId, messageIds: [sysId] });
  return id;
}

async function turn(agentId: string, text: string, conversationId?: string) {
  const run = await createRun(deps.db, { orgId: DEFAULT_ORG_ID, agentId, conversationId });
  return runTurn(deps, { actor, agentId, runId: run.id, conversationId, input: [{ role: 'user', content: text }] });
}

const lastUser = (r: RecordedRequest) => String([...r.body.messages].reverse().find((m: any) => m.role === 'user')?.content ?? '');
const afterTool = (r: RecordedRequest) => r.body.messages.at(-1)?.role === 'tool';
const human = async (agentId: string) => (await call(t.app, 'GET', `/v1/agents/${agentId}/core-memory/blocks/human`)).body.value as string;

describe('conversation turns', () => {
  it('keeps the in-context window in the conversation, not the agent, and tags every row', async () => {
    const a = await agent([]);
    const conv = await conversation(a.id);
    t.llm.enqueue({ text: 'hello from the thread' });
    const r = await turn(a.id, 'hi thread', conv);
    expect(r.stopReason).toBe('end_turn');
    const db = t.ctx.dbh.db;
    const [c] = await db.select().from(conversations).where(eq(conversations.id, conv));
    expect(c!.messageIds).toHaveLength(3);
    expect(c!.lastMessageAt).not.toBeNull();
    const [ag] = await db.select({ ids: agents.messageIds }).from(agents).where(eq(agents.id, a.id));
    expect(ag!.ids).toEqual(a.message_ids);
    const rows = await db.select().from(messages).where(eq(messages.conversationId, conv));
    expect(rows.map((m) => m.role).sort()).toEqual(['assistant', 'system', 'user']);
    // The model saw the conversation's system message (recompiled in place, same id), not the agent's.
    const sys = rows.find((m) => m.role === 'system')!;
    expect(sys.id).toBe(c!.messageIds[0]);
    expect(sys.text).toContain('Name: unknown');
    expect(t.llm.requests[0]!.body.messages.map((m: any) => m.role)).toEqual(['system', 'user']);
  });

  it('runs two conversations of one agent in parallel, both block edits kept', async () => {
    const a = await agent(['core_memory_append']);
    const [c1, c2] = [await conversation(a.id), await conversation(a.id)];
    const firstCalls: number[] = [];
    t.llm.setHandler((r) => {
      if (afterTool(r)) return { text: 'saved' };
      firstCalls.push(Date.now());
      return { toolCalls: [{ name: 'core_memory_append', arguments: { label: 'human', content: `likes ${lastUser(r)}` } }], delayMs: 600 };
    });
    const [r1, r2] = await Promise.all([turn(a.id, 'tea', c1), turn(a.id, 'chess', c2)]);
    expect([r1.stopReason, r2.stopReason]).toEqual(['end_turn', 'end_turn']);
    const v = await human(a.id);
    expect(v).toContain('likes tea');
    expect(v).toContain('likes chess');
    // Serialised turns: the second model call could only start after the first (600 ms) answered.
    expect(Math.abs(firstCalls[1]! - firstCalls[0]!)).toBeLessThan(550);
    const returns = [...r1.messages, ...r2.messages].filter((m) => m.message_type === 'tool_return_message');
    expect(returns.map((m) => m.status)).toEqual(['success', 'success']);
  });

  it('rejects a conversation of another agent', async () => {
    const [a, b] = [await agent([]), await agent([])];
    const conv = await conversation(b.id);
    const r = await turn(a.id, 'x', conv);
    expect(r.stopReason).toBe('error');
    expect(r.error).toMatch(/Conversation .* not found/);
  });
});

describe('block edits against a concurrent user PATCH', () => {
  it('re-applies the edit on the fresh value when the block changed mid-turn', async () => {
    const a = await agent(['memory_replace'], 'Name: unknown\nCity: unknown');
    t.llm.enqueue(
      {
        toolCalls: [{ name: 'memory_replace', arguments: { label: 'human', old_string: 'Name: unknown', new_string: 'Name: Ada' } }],
        delayMs: 400,
      },
      { text: 'ok' },
    );
    const pending = turn(a.id, 'I am Ada');
    await new Promise((r) => setTimeout(r, 150));
    const patch = await call(t.app, 'PATCH', `/v1/agents/${a.id}/core-memory/blocks/human`, { value: 'Name: unknown\nCity: Paris' });
    expect(patch.status).toBe(200);
    const r = await pending;
    expect(r.stopReason).toBe('end_turn');
    expect(await human(a.id)).toBe('Name: Ada\nCity: Paris');
    // The next model call saw the merged value.
    expect(t.llm.requests[1]!.body.messages[0].content).toContain('City: Paris');
  });

  it('returns a failed tool result when the edit no longer applies, keeping the user value', async () => {
    const a = await agent(['memory_replace']);
    t.llm.enqueue(
      {
        toolCalls: [{ name: 'memory_replace', arguments: { label: 'human', old_string: 'Name: unknown', new_string: 'Name: Ada' } }],
        delayMs: 400,
      },
      { text: 'ok' },
    );
    const pending = turn(a.id, 'I am Ada');
    await new Promise((r) => setTimeout(r, 150));
    await call(t.app, 'PATCH', `/v1/agents/${a.id}/core-memory/blocks/human`, { value: 'Name: Bob' });
    const r = await pending;
    expect(await human(a.id)).toBe('Name: Bob');
    const ret = r.messages.find((m) => m.message_type === 'tool_return_message')!;
    expect(ret.status).toBe('error');
    expect(JSON.parse(String(ret.tool_return)).message).toMatch(/changed at the same time.*no longer applies/s);
    // The model was told, and it answered in the next step.
    expect(r.stopReason).toBe('end_turn');
    expect(t.llm.requests).toHaveLength(2);
  });
});

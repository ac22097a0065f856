import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import type { ScriptedStep } from '../support/scripted-llm.js';

const t = useAgentHarness({ sdk: true, anthropic: true, resetLlm: false });

const script = (): ScriptedStep[] => [
  { reasoning: 'I should look this up.', toolCalls: [{ name: 'conversation_search', arguments: { query: 'cats' } }] },
  { text: 'You told me you like cats, a lot.' },
];

type Msg = Record<string, any>;

/** Reassembles token deltas by (id, message_type) the way a client would. */
function reassemble(chunks: Msg[]): Msg[] {
  const out: Msg[] = [];
  for (const c of chunks) {
    const prev = out.find((m) => m.id === c.id && m.message_type === c.message_type);
    if (!prev) {
      out.push(structuredClone(c));
      continue;
    }
    if (c.message_type === 'assistant_message') prev.content += c.content;
    if (c.message_type === 'reasoning_message') prev.reasoning += c.reasoning;
    if (c.message_type === 'tool_call_message') prev.tool_call.arguments = (prev.tool_call.arguments ?? '') + (c.tool_call.arguments ?? '');
  }
  return out;
}

const view = (m: Msg) => ({
  type: m.message_type,
  text: m.content ?? m.reasoning ?? (m.tool_call ? `${m.tool_call.name}(${m.tool_call.arguments})` : m.tool_return?.slice(0, 10)),
});

for (const provider of ['openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5']) {
  describe(`streamed turns (${provider})`, () => {
    it('yields in step mode and token mode the same messages a non-streamed turn returns', async () => {
      const agent = await t.client.agents.create({
        name: `s-${provider.split('/')[0]}`,
        model: provider,
        embedding: 'openai/text-embedding-3-small',
      });
      t.llm.enqueue(...script());
      const plain = await t.client.agents.messages.create(agent.id, { messages: [{ role: 'user', content: 'what do I like?' }] });
      expect(plain.stop_reason.stop_reason).toBe('end_turn');

      t.llm.enqueue(...script());
      const stepChunks: Msg[] = [];
      const stream = await t.client.agents.messages.stream(agent.id, { messages: [{ role: 'user', content: 'what do I like?' }] });
      for await (const c of stream) stepChunks.push(c as Msg);
      expect(stepChunks[0]).toMatchObject({ message_type: 'ping' });
      expect(stepChunks[0]!.run_id).toMatch(/^run-/);
      expect(stepChunks.at(-2)).toMatchObject({ message_type: 'stop_reason', stop_reason: 'end_turn' });
      expect(stepChunks.at(-1)).toMatchObject({ message_type: 'usage_statistics', step_count: 2 });
      const stepMsgs = stepChunks.filter((c) => !['ping', 'stop_reason', 'usage_statistics'].includes(c.message_type));
      expect(stepMsgs.map(view)).toEqual((plain.messages as Msg[]).map(view));

      t.llm.enqueue(...script());
      const tokenChunks: Msg[] = [];
      const ts = await t.client.agents.messages.create(agent.id, {
        messages: [{ role: 'user', content: 'what do I like?' }],
        streaming: true,
        stream_tokens: true,
        include_pings: false,
      } as never);
      for await (const c of ts as unknown as AsyncIterable<Msg>) tokenChunks.push(c);
      expect(tokenChunks.some((c) => c.message_type === 'ping')).toBe(false);
      const deltas = tokenChunks.filter((c) => c.message_type === 'assistant_message');
      expect(deltas.length).toBeGreaterThan(1);
      expect(new Set(deltas.map((d) => d.id)).size).toBe(1);
      expect(new Set(deltas.map((d) => d.otid)).size).toBe(1);
      const tokenMsgs = reassemble(tokenChunks.filter((c) => !['stop_reason', 'usage_statistics'].includes(c.message_type)));
      expect(tokenMsgs.map(view)).toEqual((plain.messages as Msg[]).map(view));
      expect(tokenChunks.at(-2)).toMatchObject({ message_type: 'stop_reason', stop_reason: 'end_turn' });
    });
  });
}

describe('stream errors', () => {
  it('ends a failing stream with stop_reason, an error event the SDK throws on, and [DONE]', async () => {
    const agent = await t.client.agents.create({ name: 'err', model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' });
    t.llm.enqueue({ error: { status: 400, message: 'bad things' } });
    const seen: Msg[] = [];
    const stream = await t.client.agents.messages.stream(agent.id, { messages: [{ role: 'user', content: 'hi' }] });
    await expect(
      (async () => {
        for await (const c of stream) seen.push(c as Msg);
      })(),
    ).rejects.toThrow(/error occurred/i);
    expect(seen.at(-1)).toMatchObject({ message_type: 'stop_reason', stop_reason: 'llm_api_error' });
  });

  it('answers JSON 404 before any SSE for an unknown agent', async () => {
    await expect(
      t.client.agents.messages.stream('agent-00000000-0000-4000-8000-000000000000', { messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

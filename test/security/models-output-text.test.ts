// Model output PostgreSQL cannot store as is (NUL; lone surrogates in jsonb) must not fail the turn: the provider
// adapters clean text, reasoning and tool-call arguments (streamed or not, OpenAI or Anthropic), and tool returns are
// cleaned before they are stored.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ anthropic: true, listen: true });

const NUL = '\u0000';
const LONE = '\uD83D'; // the first half of 👋 without its second half

async function streamTurn(agentId: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${t.url}/v1/agents/${agentId}/messages/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  expect(res.status).toBe(200);
  return res.text();
}

const stopReasonOf = (sse: string) => /"message_type":"stop_reason","stop_reason":"([a-z_]+)"/.exec(sse)?.[1];

async function storedTurn(agentId: string) {
  const msgs = (await call(t.app, 'GET', `/v1/agents/${agentId}/messages?limit=50&order=asc`)).body as any[];
  return {
    assistant: msgs.filter((m) => m.message_type === 'assistant_message').map((m) => m.content),
    reasoning: msgs.filter((m) => m.message_type === 'reasoning_message').map((m) => m.reasoning),
    toolArgs: msgs.filter((m) => m.message_type === 'tool_call_message').map((m) => JSON.parse(m.tool_call.arguments)),
    toolReturns: msgs.filter((m) => m.message_type === 'tool_return_message').map((m) => m.tool_return as string),
  };
}

for (const model of ['openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5']) {
  for (const streamed of [false, true]) {
    describe(`${model}, ${streamed ? 'streamed' : 'not streamed'}`, () => {
      it('completes a turn whose text, reasoning and tool arguments hold NUL and lone surrogates, storing the cleaned text', async () => {
        const agent = await t.createAgent({ model });
        t.llm.enqueue(
          { reasoning: `look it up${NUL}`, toolCalls: [{ name: 'conversation_search', arguments: { query: `plu${NUL}ms ${LONE}` } }] },
          { text: `Hello${NUL} world ${LONE}!`, reasoning: `done${LONE}` },
        );
        const input = { messages: [{ role: 'user', content: 'what about plums?' }] };
        if (streamed) {
          const sse = await streamTurn(agent.id, { ...input, stream_tokens: true });
          expect(stopReasonOf(sse)).toBe('end_turn');
          expect(sse).not.toMatch(/\\u0000/);
        } else {
          const res = await t.send(agent.id, input);
          expect(res.status).toBe(200);
          expect(res.body.stop_reason.stop_reason).toBe('end_turn');
          expect(res.body.messages.find((m: any) => m.message_type === 'assistant_message').content).toBe('Hello world \uFFFD!');
        }
        const stored = await storedTurn(agent.id);
        expect(stored.assistant).toEqual(['Hello world \uFFFD!']);
        expect(stored.reasoning).toEqual(['look it up', 'done\uFFFD']);
        expect(stored.toolArgs).toEqual([{ query: 'plums \uFFFD' }]);
        expect(stored.toolReturns).toHaveLength(1);
      });
    });
  }
}

describe('tool returns', () => {
  it('stores a custom tool return holding NUL and a lone surrogate, cleaned, and the turn completes', async () => {
    const src = 'export function dirty(s: string): string { return s + String.fromCharCode(0) + "end" + String.fromCharCode(0xd800); }';
    const params = { type: 'object', properties: { s: { type: 'string', description: 's' } }, required: ['s'] };
    const tool = await call(t.app, 'POST', '/v1/tools/', {
      source_code: src,
      source_type: 'typescript',
      json_schema: { name: 'dirty', description: 'dirty output', parameters: params },
    });
    expect(tool.status).toBe(200);
    const agent = await t.createAgent({ include_base_tools: false, tool_ids: [tool.body.id] });
    t.llm.enqueue({ toolCalls: [{ name: 'dirty', arguments: { s: 'start' } }] }, { text: 'all done' });
    const res = await t.send(agent.id, { messages: [{ role: 'user', content: 'go' }] });
    expect(res.status).toBe(200);
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    const stored = await storedTurn(agent.id);
    expect(stored.toolReturns).toHaveLength(1);
    expect(stored.toolReturns[0]).toContain('startend\uFFFD');
    expect(stored.toolReturns[0]).not.toContain(NUL);
    expect(stored.assistant).toEqual(['all done']);
  });
});

// Bounded work per request: a huge text without whitespace, accepted as input or returned by the model, never holds
// the event loop (token counting is linear, estimated past a size), and a huge reply is stored cut with a marker so
// the agent's next turn is normal.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { clipLines, clipReply, clipText } from '../../src/agent/clip-text.js';
import { countTokens } from '../../src/agent/token-budget.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import { probeHealth } from '../support/loop-latency.js';

const t = useAgentHarness({ listen: true });
// The event loop may be held this long at most while a large text is processed. Generous on purpose: on PGlite the
// database itself runs on the event loop (a 100,000-character row costs it tens of ms, more on a loaded machine);
// before the bound on token counting, the same texts held it for 10 s (100,000 characters) to hours (5 MB).
const MAX_HOLD_MS = 2_000;

const send = (agentId: string, body: unknown) =>
  fetch(`${t.url}/v1/agents/${agentId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
  });

describe('token counting', () => {
  it('counts 160,000 characters without whitespace in milliseconds, not seconds', () => {
    const started = performance.now();
    const n = countTokens('a'.repeat(160_000));
    expect(performance.now() - started).toBeLessThan(500);
    expect(n).toBeGreaterThanOrEqual(160_000 / 8);
    expect(n).toBeLessThanOrEqual(160_000 / 2);
  });

  it('stays exact for ordinary text and estimates at no less than one token per 4 characters past the threshold', () => {
    expect(countTokens('hello world')).toBe(2);
    const prose = 'The agent remembers what you told it last week. '.repeat(2_000);
    expect(countTokens(prose)).toBeGreaterThanOrEqual(Math.ceil(prose.length / 4));
    expect(countTokens(prose)).toBeLessThan(prose.length / 2);
  });
});

describe('a message of 100,000 characters without whitespace (the default limit)', () => {
  it('is processed while /v1/health/ keeps answering, and the next turn is normal', async () => {
    const a = await t.createAgent();
    t.llm.enqueue({ text: 'warm' });
    expect((await send(a.id, { input: 'warm up' })).status).toBe(200);
    const probe = await probeHealth(t.url);
    t.llm.enqueue({ text: 'that is a long one' });
    const res = await send(a.id, { input: 'q'.repeat(100_000) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).stop_reason.stop_reason).toBe('end_turn');
    t.llm.enqueue({ text: 'still here' });
    const next = await send(a.id, { input: 'and now?' });
    const { maxMs } = await probe.stop();
    expect(next.status).toBe(200);
    expect(maxMs).toBeLessThan(MAX_HOLD_MS);
  });
});

describe('a 5 MB model reply', () => {
  it('is stored cut with a visible marker, and the agent’s next turn completes normally and quickly', async () => {
    const a = await t.createAgent();
    t.llm.enqueue({ text: 'r'.repeat(5_000_000) });
    const first = await t.send(a.id, { input: 'write a lot' });
    expect(first.status).toBe(200);
    const reply = first.body.messages.find((m: any) => m.message_type === 'assistant_message');
    expect(reply.content.length).toBeLessThan(100_100);
    expect(reply.content).toMatch(/…\[truncated: 5,000,000 characters, limit 100,000\]$/);
    const stored = await call(t.app, 'GET', `/v1/agents/${a.id}/messages?limit=10`);
    const storedReply = stored.body.find((m: any) => m.message_type === 'assistant_message');
    expect(storedReply.content).toBe(reply.content);

    const probe = await probeHealth(t.url);
    const started = performance.now();
    t.llm.enqueue({ text: 'short now' });
    const second = await send(a.id, { input: 'thanks' });
    const elapsed = performance.now() - started;
    const { maxMs } = await probe.stop();
    expect(second.status).toBe(200);
    expect(((await second.json()) as any).stop_reason.stop_reason).toBe('end_turn');
    expect(elapsed).toBeLessThan(5_000);
    expect(maxMs).toBeLessThan(MAX_HOLD_MS);
    // The model saw the stored, cut reply, not 5 MB.
    const sent = JSON.stringify(t.llm.requests.at(-1)!.body);
    expect(sent.length).toBeLessThan(300_000);
    expect(sent).toContain('[truncated: 5,000,000 characters, limit 100,000]');
  });
});

describe('a tool return over the server ceiling', () => {
  it('is cut at MNEMO_MAX_TOOL_RETURN_CHARS even when the tool’s own return_char_limit is higher', async () => {
    const source = `export function flood(n: number): string { return 'f'.repeat(n); }`;
    const params = { type: 'object', properties: { n: { type: 'number', description: 'length' } }, required: ['n'] };
    const tool = await call(t.app, 'POST', '/v1/tools/', {
      source_code: source,
      source_type: 'typescript',
      return_char_limit: 1_000_000,
      json_schema: { name: 'flood', description: 'floods', parameters: params },
    });
    expect(tool.status).toBe(200);
    const a = await t.createAgent({ include_base_tools: false, tool_ids: [tool.body.id] });
    t.llm.enqueue({ toolCalls: [{ name: 'flood', arguments: { n: 300_000 } }] }, { text: 'done' });
    const res = await t.send(a.id, { input: 'flood it' });
    expect(res.status).toBe(200);
    const ret = res.body.messages.find((m: any) => m.message_type === 'tool_return_message');
    expect(ret.status).toBe('success');
    expect(ret.tool_return.length).toBeLessThan(100_200);
    expect(ret.tool_return).toContain('[NOTE: output cut off at 100000 characters; the full output had 300000]');
  });
});

describe('a huge row stored before the bounds existed', () => {
  it('does not hang the agent’s next turn: token counting estimates it', async () => {
    const a = await t.createAgent();
    t.llm.enqueue({ text: 'noted' });
    expect((await t.send(a.id, { input: 'remember this' })).status).toBe(200);
    const big = 'p'.repeat(5_000_000);
    await t.ctx.dbh.db.execute(
      sql`update messages set text = ${big}, content = ${JSON.stringify([{ type: 'text', text: big }])}::jsonb where agent_id = ${a.id} and role = 'user' and text = 'remember this'`,
    );
    const started = performance.now();
    t.llm.enqueue({ text: 'still fine' });
    const res = await t.send(a.id, { input: 'and now?' });
    expect(res.status).toBe(200);
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    // Reading the 5 MB row back costs PGlite seconds on a loaded machine; counting its tokens took hours.
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 60_000);
});

describe('clipping helpers', () => {
  it('cuts text, replies and output lines at their limit with a marker', () => {
    expect(clipText('abcdef', 6)).toBe('abcdef');
    expect(clipText('abcdefgh', 4)).toBe('abcd…[truncated: 8 characters, limit 4]');
    expect(clipText('ab😀cd', 3)).toBe('ab…[truncated: 6 characters, limit 3]');
    const res = clipReply(
      {
        text: 'x',
        reasoning: [
          { text: 'y'.repeat(20), signature: 'sig' },
          { text: 'z'.repeat(20), redacted: true },
        ],
        toolCalls: [{ id: 'c1', name: 'f', arguments: `{"a":"${'v'.repeat(30)}"}` }],
        usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
        finishReason: 'stop',
        model: 'm',
      },
      10,
    );
    expect(res.reasoning).toEqual([{ text: 'yyyyyyyyyy…[truncated: 20 characters, limit 10]' }]);
    expect(res.toolCalls[0]!.arguments).toBe('{"a":"vvvv…[truncated: 38 characters, limit 10]');
    expect(clipLines(['aaaa', 'bbbb', 'cccc'], 6)).toEqual(['aaaa', 'bb', '…[truncated: 12 characters, limit 6]']);
    expect(clipLines(['aa', 'bb'], 6)).toEqual(['aa', 'bb']);
  });
});

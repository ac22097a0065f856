// Bounded work, message input: a send route refuses a message longer than MNEMO_MAX_MESSAGE_CHARS with 413 (naming
// the field and the limit) before any work, and the server keeps answering meanwhile.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import { probeHealth } from '../support/loop-latency.js';

const t = useAgentHarness({ listen: true });
const MB = Buffer.from(JSON.stringify({ input: 'x'.repeat(1_000_000) }));

const post = (path: string, body: Buffer) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('maximum message size', () => {
  it('rejects a 1 MB input without whitespace with 413 while /v1/health/ keeps answering in milliseconds', async () => {
    const a = await t.createAgent();
    // One small refusal first: the first request through a route pays one-off compile costs unrelated to its size.
    expect((await post(`/v1/agents/${a.id}/messages`, Buffer.from(JSON.stringify({ input: 'x'.repeat(100_001) })))).status).toBe(413);
    const probe = await probeHealth(t.url);
    await new Promise((r) => setTimeout(r, 30));
    const res = await post(`/v1/agents/${a.id}/messages`, MB);
    const { maxMs, probes } = await probe.stop();
    expect(res.status).toBe(413);
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toContain('input');
    expect(body.detail).toContain('100,000');
    expect(body.detail).toContain('MNEMO_MAX_MESSAGE_CHARS');
    expect(probes).toBeGreaterThan(0);
    // Generous: a refusal holds the loop ~15 ms on a quiet machine, up to ~260 ms on this shared 2-core one; before the
    // limit, the same request held it for minutes (token counting of 1 MB without whitespace).
    expect(maxMs).toBeLessThan(500);
    expect(t.llm.requests).toHaveLength(0);
  });

  it('names the message and part on every send route: agent, stream, async, conversation and group', async () => {
    const a = await t.createAgent();
    const big = 'y'.repeat(100_001);
    const parts = {
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: big },
          ],
        },
      ],
    };
    const conv = await call(t.app, 'POST', `/v1/conversations/?agent_id=${a.id}`, {});
    expect(conv.status).toBe(200);
    const group = await call(t.app, 'POST', '/v1/groups/', { agent_ids: [a.id], manager_config: { manager_type: 'round_robin' } });
    expect(group.status).toBe(200);
    const routes = [
      `/v1/agents/${a.id}/messages`,
      `/v1/agents/${a.id}/messages/stream`,
      `/v1/agents/${a.id}/messages/async`,
      `/v1/conversations/${conv.body.id}/messages`,
      `/v1/groups/${group.body.id}/messages`,
      `/v1/groups/${group.body.id}/messages/stream`,
      `/v1/groups/${group.body.id}/messages/async`,
    ];
    for (const route of routes) {
      const res = await call(t.app, 'POST', route, parts);
      expect(res.status, route).toBe(413);
      expect(res.body.detail, route).toMatch(/^messages\[1\]\.content: 100,002 characters is over the limit of 100,000/);
    }
    const input = await call(t.app, 'POST', `/v1/agents/${a.id}/messages`, { input: [{ type: 'text', text: big }] });
    expect(input.status).toBe(413);
    expect(input.body.detail).toMatch(/^input: 100,001 characters/);
    expect(t.llm.requests).toHaveLength(0);
  });

  it('refuses an oversized client-side tool result in an approval message', async () => {
    const a = await t.createAgent();
    const res = await call(t.app, 'POST', `/v1/agents/${a.id}/messages`, {
      messages: [
        { type: 'approval', approvals: [{ type: 'tool', tool_call_id: 'call-1', tool_return: 'z'.repeat(100_001), status: 'success' }] },
      ],
    });
    expect(res.status).toBe(413);
    expect(res.body.detail).toMatch(/^messages\[0\]\.approvals\[0\]\.tool_return: 100,001 characters/);
  });

  it('accepts a message at the limit', async () => {
    const a = await t.createAgent();
    t.llm.enqueue({ text: 'fine' });
    const res = await t.send(a.id, { messages: [{ role: 'user', content: 'w '.repeat(50_000) }] });
    expect(res.status).toBe(200);
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
  });
});

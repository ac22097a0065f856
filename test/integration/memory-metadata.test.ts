// The memory metadata the model sees counts what is out of view (recall) and what is archived.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { at } from '../support/at.js';
import { call } from '../support/http.js';

const t = useAgentHarness();

describe('memory metadata in the system prompt', () => {
  it('counts evicted messages and archival passages', async () => {
    const agent = (await call(t.app, 'POST', '/v1/agents/', { model: 'openai/gpt-4o-mini' })).body;
    for (const text of ['first fact', 'second fact']) {
      expect((await call(t.app, 'POST', `/v1/agents/${agent.id}/archival-memory`, { text })).status).toBe(200);
    }
    t.llm.enqueue({ text: 'hello' }, { text: 'again' });
    await call(t.app, 'POST', `/v1/agents/${agent.id}/messages`, { input: 'hi' });
    const ids: string[] = (await call(t.app, 'GET', `/v1/agents/${agent.id}`)).body.message_ids;
    expect(ids).toHaveLength(3);
    // Evict the first exchange: 2 stored messages go out of view.
    await call(t.app, 'PATCH', `/v1/agents/${agent.id}`, { message_ids: [ids[0]] });
    // The system message keeps its compiled text (stable prompt prefix) until memory changes or a recompile.
    expect((await call(t.app, 'POST', `/v1/agents/${agent.id}/recompile`)).status).toBe(200);
    await call(t.app, 'POST', `/v1/agents/${agent.id}/messages`, { input: 'what now?' });
    const system = String(at((at(t.llm.requests, -1).body as { messages: { content: string }[] }).messages, 0).content);
    expect(system).toContain('Recall memory holds 2 earlier message(s)');
    expect(system).toContain('Archival memory holds 2 passage(s)');
  });
});

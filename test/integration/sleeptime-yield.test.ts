// The sleep-time companion yields to primary turns in progress in this process: it waits while one is running and
// still does its work afterwards, including the primary's system-message recompile.
import { describe, expect, it, vi } from 'vitest';
import { call } from '../support/http.js';
import type { RecordedRequest } from '../support/scripted-llm.js';
import { useAgentHarness } from '../support/agent-harness.js';

vi.setConfig({ testTimeout: 60_000 });

const t = useAgentHarness();

const isCompanion = (r: RecordedRequest) => String(r.body.messages[0].content).includes('background memory agent');
const speaker = (r: RecordedRequest) => /You are ([\w-]+)\./.exec(String(r.body.messages[0].content))?.[1] ?? '?';

describe('sleep-time companion yields to primaries', () => {
  it('waits while another primary turn is in progress, then refines memory', async () => {
    const p = (
      await call(t.app, 'POST', '/v1/agents/', {
        name: 'main',
        model: 'openai/gpt-4o-mini',
        system: 'You are main.',
        enable_sleeptime: true,
        memory_blocks: [{ label: 'human', value: 'Name: ?' }],
      })
    ).body;
    const other = (await call(t.app, 'POST', '/v1/agents/', { name: 'other', model: 'openai/gpt-4o-mini', system: 'You are other.' })).body;
    const companion = p.managed_group.agent_ids[0];
    let companionFirstCall = 0;
    t.llm.setHandler((r) => {
      if (isCompanion(r)) {
        companionFirstCall ||= Date.now();
        if (r.body.messages.at(-1).role === 'tool') return { toolCalls: [{ name: 'memory_finish_edits', arguments: {} }] };
        return { toolCalls: [{ name: 'memory_rethink', arguments: { label: 'human', new_memory: 'Name: Grace' } }] };
      }
      return speaker(r) === 'other' ? { text: 'thinking hard', delayMs: 800 } : { text: 'hi Grace' };
    });
    await call(t.app, 'POST', `/v1/agents/${p.id}/messages`, { messages: [{ role: 'user', content: 'I am Grace' }] });
    // Another primary turn starts right away and takes 800 ms: the companion must not start its model calls meanwhile.
    const res = await call(t.app, 'POST', `/v1/agents/${other.id}/messages`, { messages: [{ role: 'user', content: 'a hard question' }] });
    const otherDone = Date.now();
    expect(res.status).toBe(200);
    expect(t.ctx.services.primaryGate.active).toBe(0);
    for (let i = 0; i < 300; i++) {
      const runs = (await call(t.app, 'GET', `/v1/runs/?agent_id=${companion}`)).body as any[];
      if (runs.some((r) => r.status === 'completed')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(companionFirstCall).toBeGreaterThanOrEqual(otherDone);
    expect((await call(t.app, 'GET', `/v1/agents/${p.id}/core-memory/blocks/human`)).body.value).toBe('Name: Grace');
    // The primary's system message was recompiled in the background, so its next turn need not do it.
    let system = '';
    for (let i = 0; i < 100 && !system.includes('Name: Grace'); i++) {
      system = String((await call(t.app, 'GET', `/v1/agents/${p.id}/messages?order=asc&limit=1`)).body[0].content);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(system).toContain('Name: Grace');
  });
});

import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness();

describe('context compaction', () => {
  it('keeps a 200-turn conversation in an 8k window: answers every turn, recent turns verbatim, old facts in the summary', async () => {
    let summaries = 0;
    t.llm.setHandler((req) => {
      const sys = String(req.body.messages?.[0]?.content ?? '');
      if (sys.includes('long-term memory of a conversational agent')) {
        summaries++;
        const transcript = String(req.body.messages[1].content);
        const facts = [...new Set(transcript.match(/fact-\d+=[a-z]+/g) ?? [])].slice(0, 3);
        return {
          text: `Summary #${summaries}. Early facts: ${facts.join(', ') || 'see earlier summary'}. ${transcript.match(/fact-0=[a-z]+/)?.[0] ?? ''}`,
        };
      }
      const last = req.body.messages.at(-1)?.content;
      return { text: `ack ${typeof last === 'string' ? last.slice(0, 40) : 'x'}` };
    });
    const a = await call(t.app, 'POST', '/v1/agents/', {
      name: 'long',
      model: 'openai/gpt-4o-mini',
      embedding: 'openai/text-embedding-3-small',
      context_window_limit: 8000,
    });
    expect(a.status).toBe(200);
    const id = a.body.id;
    for (let i = 0; i < 200; i++) {
      const words = i === 0 ? 'fact-0=zebra' : `turn ${i} fact-${i}=word${'x'.repeat(i % 7)} ${'filler '.repeat(20)}`;
      const res = await call(t.app, 'POST', `/v1/agents/${id}/messages`, { messages: [{ role: 'user', content: words }] });
      expect(res.status, `turn ${i} ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.stop_reason.stop_reason, `turn ${i}`).toBe('end_turn');
    }
    expect(summaries).toBeGreaterThan(0);
    const hist = await call(t.app, 'GET', `/v1/agents/${id}/messages?limit=1000&order=asc`);
    expect(hist.body.length).toBeGreaterThan(400);
    const lastChat = t.llm.requests.filter((r) => !String(r.body.messages?.[0]?.content).includes('long-term memory')).at(-1)!;
    const sent = lastChat.body.messages.map((m: { content: unknown }) => String(m.content));
    expect(sent.some((s: string) => s.includes('turn 199 fact-199'))).toBe(true);
    expect(sent.some((s: string) => s.includes('turn 198 fact-198'))).toBe(true);
    expect(sent[1]).toContain('summary of the previous messages');
    expect(sent[1]).toContain('fact-0=zebra');
    expect(sent.some((s: string) => s.includes('turn 5 fact-5'))).toBe(false);
    const search = await call(t.app, 'GET', `/v1/agents/${id}/messages?limit=1000`);
    expect(JSON.stringify(search.body)).toContain('fact-0=zebra');
  }, 240_000);
});

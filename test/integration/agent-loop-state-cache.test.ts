// Every change made elsewhere between turns — blocks, tools, messages, by the API or straight in SQL — reaches the
// next prompt (the turn store loads the state afresh each turn).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness();

const lastRequest = () =>
  t.llm.requests.at(-1)!.body as {
    messages: { role: string; content: string }[];
    tools?: { function: { name: string; description: string } }[];
  };

describe('state load with row versions', () => {
  it('sees block, tool and message changes made between turns', async () => {
    const tool = await call(t.app, 'POST', '/v1/tools/', {
      source_code:
        'def shout(text: str) -> str:\n    """Shouts the text.\n\n    Args:\n        text: what to shout\n    """\n    return text.upper()\n',
    });
    expect(tool.status).toBe(200);
    const a = await t.createAgent({ memory_blocks: [{ label: 'human', value: 'Name: unknown' }], tool_ids: [tool.body.id] });
    for (const text of ['first', 'second']) {
      t.llm.enqueue({ text: `reply to ${text}` });
      expect((await t.send(a.id, { input: text })).body.stop_reason.stop_reason).toBe('end_turn');
    }
    expect(lastRequest().messages[0]!.content).toContain('Name: unknown');

    expect((await call(t.app, 'PATCH', `/v1/agents/${a.id}/core-memory/blocks/human`, { value: 'Name: Ada' })).status).toBe(200);
    const schema = { ...tool.body.json_schema, description: 'Shouts loudly.' };
    expect((await call(t.app, 'PATCH', `/v1/tools/${tool.body.id}`, { json_schema: schema })).status).toBe(200);
    await t.ctx.dbh.db.execute(sql`update messages set text = 'first (edited)', content = '[{"type":"text","text":"first (edited)"}]'::jsonb
      where agent_id = ${a.id} and role = 'user' and text like 'first%'`);

    t.llm.enqueue({ text: 'third reply' });
    expect((await t.send(a.id, { input: 'third' })).body.stop_reason.stop_reason).toBe('end_turn');
    const req = lastRequest();
    expect(req.messages[0]!.content).toContain('Name: Ada');
    expect(req.tools?.find((x) => x.function.name === 'shout')?.function.description).toContain('Shouts loudly.');
    const users = req.messages.filter((m) => m.role === 'user').map((m) => m.content);
    expect(users.some((c) => c.includes('first (edited)'))).toBe(true);
    expect(users.some((c) => c.includes('second'))).toBe(true);
    expect(req.messages.filter((m) => m.role === 'assistant').map((m) => m.content)).toEqual(['reply to first', 'reply to second']);
  });

  it('reloads in full when the rows it held were evicted', async () => {
    const a = await t.createAgent({ memory_blocks: [{ label: 'human', value: 'Name: Grace' }] });
    t.llm.enqueue({ text: 'one' }, { text: 'two' });
    await t.send(a.id, { input: 'first' });
    expect((await t.send(a.id, { input: 'second' })).body.stop_reason.stop_reason).toBe('end_turn');
    const req = lastRequest();
    expect(req.messages[0]!.content).toContain('Name: Grace');
    expect(req.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(req.messages[2]!.content).toBe('one');
  });
});

// The database keeps per-agent message counts (agents.message_count, migration 0007) and per-archive passage counts
// (migration 0004) so the memory metadata never scans an agent's history; every write path must keep them equal to a
// real count.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeAgentFile } from '../support/agent-file-factory.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ listen: true });

/** Agents and archives whose count differs from a real count. */
async function drift() {
  const r = await t.ctx.dbh.db.execute(sql`
    select (select count(*)::int from agents a where a.message_count <> (select count(*) from messages m where m.agent_id = a.id)) as messages,
           (select count(*)::int from (select archive_id, count(*) n from passages group by archive_id) p
              full join archive_passage_counts c using (archive_id) where coalesce(p.n, 0) <> coalesce(c.n, 0)) as passages,
           (select count(*)::int from messages m where not exists (select 1 from agents a where a.id = m.agent_id)) as orphans`);
  return (r as unknown as { rows: { messages: number; passages: number; orphans: number }[] }).rows[0]!;
}

async function counted(agentId: string) {
  const r = await t.ctx.dbh.db.execute(sql`select message_count::int as n from agents where id = ${agentId}`);
  return (r as unknown as { rows: { n: number }[] }).rows[0]!.n;
}

describe('recall and archival counters', () => {
  it('follow turns, archival inserts and deletes, imports, group resets and agent deletion', async () => {
    const a = (await call(t.app, 'POST', '/v1/agents/', { model: 'openai/gpt-4o-mini', tools: ['archival_memory_insert'] })).body;
    expect(await counted(a.id)).toBe(1); // the system message
    t.llm.enqueue(
      { toolCalls: [{ name: 'archival_memory_insert', arguments: { content: 'likes tea' } }] },
      { text: 'noted' },
      { text: 'hi again' },
    );
    expect((await t.send(a.id, { input: 'I like tea' })).status).toBe(200);
    expect((await t.send(a.id, { input: 'hello' })).status).toBe(200);
    expect(await counted(a.id)).toBe(7); // system, 2 × user, tool call, tool return, 2 × assistant
    expect(await drift()).toMatchObject({ messages: 0, passages: 0 });

    for (const text of ['one', 'two', 'three'])
      expect((await call(t.app, 'POST', `/v1/agents/${a.id}/archival-memory`, { text })).status).toBe(200);
    const passages = (await call(t.app, 'GET', `/v1/agents/${a.id}/archival-memory`)).body;
    expect(passages).toHaveLength(4);
    expect((await call(t.app, 'DELETE', `/v1/agents/${a.id}/archival-memory/${passages[0].id}`)).status).toBe(200);
    expect(await drift()).toMatchObject({ messages: 0, passages: 0 });
    const ctx = (await call(t.app, 'GET', `/v1/agents/${a.id}/context`)).body;
    expect(ctx.num_archival_memory).toBe(3);
    expect(ctx.num_recall_memory).toBe(7);

    // A conversation's turns count toward its agent: a 2-step turn (an intermediate step write, then the last one
    // with the run's finish) and a 1-step turn.
    const conv = (await call(t.app, 'POST', `/v1/conversations/?agent_id=${a.id}`, {})).body;
    const inConv = await counted(a.id);
    t.llm.enqueue(
      { toolCalls: [{ name: 'archival_memory_insert', arguments: { content: 'likes coffee too' } }] },
      { text: 'noted' },
      { text: 'hi' },
    );
    for (const text of ['I like coffee', 'hello']) {
      expect(
        (
          await call(t.app, 'POST', `/v1/conversations/${conv.id}/messages`, {
            messages: [{ role: 'user', content: text }],
            streaming: false,
          })
        ).status,
      ).toBe(200);
    }
    expect(await counted(a.id)).toBe(inConv + 6); // 2 × user, tool call, tool return, 2 × assistant
    expect(await drift()).toMatchObject({ messages: 0, passages: 0 });

    // An imported agent arrives with its history in one multi-row insert.
    const form = new FormData();
    form.append('file', new Blob([JSON.stringify(makeAgentFile())], { type: 'application/json' }), 'agent.af');
    const imported = await fetch(`${t.url}/v1/agents/import`, { method: 'POST', body: form });
    expect(imported.status).toBe(200);
    expect(await drift()).toMatchObject({ messages: 0, passages: 0 });

    // Group messages are deleted by a group reset.
    const b = (await call(t.app, 'POST', '/v1/agents/', { model: 'openai/gpt-4o-mini' })).body;
    const g = (
      await call(t.app, 'POST', '/v1/groups/', { agent_ids: [a.id, b.id], manager_config: { manager_type: 'round_robin', max_turns: 2 } })
    ).body;
    t.llm.enqueue({ text: 'a speaks' }, { text: 'b speaks' });
    expect((await call(t.app, 'POST', `/v1/groups/${g.id}/messages`, { messages: [{ role: 'user', content: 'go' }] })).status).toBe(200);
    const before = await counted(a.id);
    expect((await call(t.app, 'PATCH', `/v1/groups/${g.id}/reset-messages`)).status).toBe(200);
    expect(await counted(a.id)).toBeLessThan(before);
    expect(await drift()).toMatchObject({ messages: 0, passages: 0 });

    // Deleting an agent cascades to its messages (the delete trigger then finds no agent row to update), and through
    // its runs to their steps (a step has no key of its own on the agent, migration 0008).
    const left = async () =>
      (
        (await t.ctx.dbh.db.execute(sql`select (select count(*)::int from runs where agent_id = ${b.id}) as runs,
      (select count(*)::int from steps where agent_id = ${b.id}) as steps`)) as unknown as { rows: { runs: number; steps: number }[] }
      ).rows[0]!;
    expect((await left()).steps).toBeGreaterThan(0);
    expect((await call(t.app, 'DELETE', `/v1/agents/${b.id}`)).status).toBe(200);
    expect(await drift()).toEqual({ messages: 0, passages: 0, orphans: 0 });
    expect(await left()).toEqual({ runs: 0, steps: 0 });
  });
});

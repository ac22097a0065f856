// The database keeps per-agent message counts and per-archive passage counts (migration 0004) so the memory
// metadata never scans an agent's history; every write path must keep them equal to a real count.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeAgentFile } from '../support/agent-file-factory.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ listen: true });

/** Agents and archives whose counter differs from a real count (an absent counter row counts as 0). */
async function drift() {
  const r = await t.ctx.dbh.db.execute(sql`
    select (select count(*)::int from (select agent_id, count(*) n from messages group by agent_id) m
              full join message_counts c using (agent_id) where coalesce(m.n, 0) <> coalesce(c.n, 0)) as messages,
           (select count(*)::int from (select archive_id, count(*) n from passages group by archive_id) p
              full join archive_passage_counts c using (archive_id) where coalesce(p.n, 0) <> coalesce(c.n, 0)) as passages,
           (select count(*)::int from message_counts) as message_rows`);
  return (r as unknown as { rows: { messages: number; passages: number; message_rows: number }[] }).rows[0]!;
}

async function counted(agentId: string) {
  const r = await t.ctx.dbh.db.execute(sql`select coalesce((select n::int from message_counts where agent_id = ${agentId}), 0) as n`);
  return (r as unknown as { rows: { n: number }[] }).rows[0]!.n;
}

describe('recall and archival counters', () => {
  it('follow turns, archival inserts and deletes, imports, group resets and agent deletion', async () => {
    const a = (await call(t.app, 'POST', '/v1/agents/', { model: 'openai/gpt-4o-mini', tools: ['archival_memory_insert'] })).body;
    expect(await counted(a.id)).toBe(1); // the system message
    t.llm.enqueue({ toolCalls: [{ name: 'archival_memory_insert', arguments: { content: 'likes tea' } }] }, { text: 'noted' }, { text: 'hi again' });
    expect((await t.send(a.id, { input: 'I like tea' })).status).toBe(200);
    expect((await t.send(a.id, { input: 'hello' })).status).toBe(200);
    expect(await counted(a.id)).toBe(7); // system, 2 × user, tool call, tool return, 2 × assistant
    expect(await drift()).toMatchObject({ messages: 0, passages: 0 });

    for (const text of ['one', 'two', 'three']) expect((await call(t.app, 'POST', `/v1/agents/${a.id}/archival-memory`, { text })).status).toBe(200);
    const passages = (await call(t.app, 'GET', `/v1/agents/${a.id}/archival-memory`)).body;
    expect(passages).toHaveLength(4);
    expect((await call(t.app, 'DELETE', `/v1/agents/${a.id}/archival-memory/${passages[0].id}`)).status).toBe(200);
    expect(await drift()).toMatchObject({ messages: 0, passages: 0 });
    const ctx = (await call(t.app, 'GET', `/v1/agents/${a.id}/context`)).body;
    expect(ctx.num_archival_memory).toBe(3);
    expect(ctx.num_recall_memory).toBe(7);

    // An imported agent arrives with its history in one multi-row insert.
    const form = new FormData();
    form.append('file', new Blob([JSON.stringify(makeAgentFile())], { type: 'application/json' }), 'agent.af');
    const imported = await fetch(`${t.url}/v1/agents/import`, { method: 'POST', body: form });
    expect(imported.status).toBe(200);
    expect(await drift()).toMatchObject({ messages: 0, passages: 0 });

    // Group messages are deleted by a group reset.
    const b = (await call(t.app, 'POST', '/v1/agents/', { model: 'openai/gpt-4o-mini' })).body;
    const g = (await call(t.app, 'POST', '/v1/groups/', { agent_ids: [a.id, b.id], manager_config: { manager_type: 'round_robin', max_turns: 2 } })).body;
    t.llm.enqueue({ text: 'a speaks' }, { text: 'b speaks' });
    expect((await call(t.app, 'POST', `/v1/groups/${g.id}/messages`, { messages: [{ role: 'user', content: 'go' }] })).status).toBe(200);
    const before = await counted(a.id);
    expect((await call(t.app, 'PATCH', `/v1/groups/${g.id}/reset-messages`)).status).toBe(200);
    expect(await counted(a.id)).toBeLessThan(before);
    expect(await drift()).toMatchObject({ messages: 0, passages: 0 });

    // Deleting an agent cascades to its messages and its counter row.
    const rowsBefore = (await drift()).message_rows;
    expect((await call(t.app, 'DELETE', `/v1/agents/${b.id}`)).status).toBe(200);
    expect(await drift()).toEqual({ messages: 0, passages: 0, message_rows: rowsBefore - 1 });
  });
});

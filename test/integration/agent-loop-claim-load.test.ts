// The turn claims its thread, then loads the state and stores its input (src/agent/turn-store/). When the previous
// holder of the thread releases its lease while the claim statement waits for that row, the turn must still work on
// (and write back) the window with the holder's last writes, never a stale one.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ORG_ID, newId } from '../../src/ids.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness();

type Exec = (text: string, values?: unknown[]) => Promise<unknown>;

/** What the previous holder wrote last: a message appended to the agent's window. */
async function holderWrites(exec: Exec, agentId: string, text: string): Promise<string> {
  const id = newId('message');
  await exec(`insert into messages (id, organization_id, agent_id, role, content, text) values ($1, $2, $3, 'assistant', $4::jsonb, $5)`, [
    id,
    DEFAULT_ORG_ID,
    agentId,
    JSON.stringify([{ type: 'text', text }]),
    text,
  ]);
  await exec(`update agents set message_ids = message_ids || $1::text, message_count = message_count + 1 where id = $2`, [id, agentId]);
  await exec(`delete from leases where key = $1`, [`agent-turn:${agentId}`]);
  return id;
}

const contextIds = async (agentId: string) =>
  (
    (await t.ctx.dbh.db.execute(sql`select message_ids from agents where id = ${agentId}`)) as unknown as {
      rows: { message_ids: string[] }[];
    }
  ).rows[0]!.message_ids;

describe('lock claim with the state load', () => {
  it('loads afresh when the previous holder released the lease during the claim', async () => {
    const a = await t.createAgent({});
    t.llm.enqueue({ text: 'one' }, { text: 'two' });
    await t.send(a.id, { input: 'first' });
    const dbh = t.ctx.dbh;
    await dbh.db.execute(
      sql`insert into leases (key, holder, expires_at) values (${`agent-turn:${a.id}`}, 'other-holder', now() + interval '30 seconds')`,
    );
    let injected: string;
    if (dbh.pool) {
      // Postgres: the holder's last writes and its release commit while the turn's claim waits on the lease row.
      const holder = await dbh.pool.connect();
      try {
        await holder.query('begin');
        injected = await holderWrites((q, v) => holder.query(q, v), a.id, 'written by the previous holder');
        const turn = t.send(a.id, { input: 'second' });
        let waiting = 0;
        for (let i = 0; i < 200 && waiting === 0; i++) {
          await new Promise((r) => setTimeout(r, 20));
          const r = await dbh.pool.query(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
          );
          waiting = r.rows[0].n;
        }
        expect(waiting).toBe(1);
        await holder.query('commit');
        expect((await turn).body.stop_reason.stop_reason).toBe('end_turn');
      } finally {
        holder.release();
      }
    } else {
      // PGlite runs one statement at a time, so the release always precedes the claim: the plain path.
      injected = await holderWrites((q, v) => dbh.pglite!.query(q, v), a.id, 'written by the previous holder');
      expect((await t.send(a.id, { input: 'second' })).body.stop_reason.stop_reason).toBe('end_turn');
    }
    const prompt = (t.llm.requests.at(-1)!.body as { messages: { role: string; content: string }[] }).messages;
    expect(prompt.map((m) => m.content).slice(1)).toEqual(['first', 'one', 'written by the previous holder', 'second']);
    const ids = await contextIds(a.id);
    expect(ids).toContain(injected!);
    expect(ids).toHaveLength(6); // system, first, one, injected, second, two
    // The input written after the fresh load (not by the claim) joined the agent's message count too.
    const counts =
      (await dbh.db.execute(sql`select message_count::int as kept, (select count(*)::int from messages where agent_id = ${a.id}) as real
      from agents where id = ${a.id}`)) as unknown as { rows: { kept: number; real: number }[] };
    expect(counts.rows[0]).toEqual({ kept: 6, real: 6 });
  });

  it('stores the input in the claim and keeps the window in order over several turns', async () => {
    const a = await t.createAgent({});
    for (const [i, text] of ['a', 'b', 'c'].entries()) {
      t.llm.enqueue({ text: `reply ${i}` });
      expect((await t.send(a.id, { input: text })).body.stop_reason.stop_reason).toBe('end_turn');
    }
    const prompt = (t.llm.requests.at(-1)!.body as { messages: { role: string; content: string }[] }).messages;
    expect(prompt.map((m) => m.content).slice(1)).toEqual(['a', 'reply 0', 'b', 'reply 1', 'c']);
    expect(await contextIds(a.id)).toHaveLength(7);
  });
});

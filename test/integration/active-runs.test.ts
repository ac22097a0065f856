// A turn's lock claim checks for earlier runs of its thread still waiting. That check must read only active runs
// (migration 0006): reading every run cost 1.0–1.7 ms a turn after 2,300 runs and kept growing. And only the active
// runs of its own agent (migration 0009): with many agents busy at once, reading every active run cost a heap fetch
// per run of every other agent.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Placeholder } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { claimQuery } from '../../src/agent/turn-store/lease.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ offline: true });

type PlanNode = {
  'Relation Name'?: string;
  Alias?: string;
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
};
function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

/** The generic plan (as the server's hot pool uses) of the claim statement, for a new run. */
async function claimPlan(conv: boolean): Promise<PlanNode> {
  const { sql: text, params } = new PgDialect().sqlToQuery(claimQuery(conv));
  const literal: Record<string, string> = { key: `'k'`, holder: `'run-new'`, leaseMs: '30000', thread: `'x'`, relaxed: 'false' };
  return t.ctx.dbh.db.transaction(async (tx) => {
    await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
    await tx.execute(sql.raw(`prepare mnemo_claim_plan as ${text}`));
    const args = params.map((p) => (p instanceof Placeholder ? literal[p.name] : undefined) ?? 'null');
    const r = await tx.execute(sql.raw(`explain (format json) execute mnemo_claim_plan(${args.join(', ')})`));
    await tx.execute(sql`deallocate mnemo_claim_plan`);
    const row = (r as unknown as { rows: Record<string, unknown>[] }).rows[0]!;
    const plan = Object.values(row)[0];
    return (typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan as PlanNode;
  });
}

describe('waiting-run check of the turn lock', () => {
  it("reads its own agent's active runs, not the thread history nor other agents' active runs, for agents and conversations", async () => {
    const agent = await t.createAgent();
    const other = await t.createAgent();
    // 2,000 runs of another agent still running: a busy server's other turns.
    await t.ctx.dbh.db.execute(sql`
      insert into runs (id, organization_id, agent_id, status)
      select 'run-busy-' || i, a.organization_id, a.id, 'running'
      from agents a, generate_series(1, 2000) i where a.id = ${other.id}`);
    // 3,000 finished runs of this agent, in and out of a conversation, then fresh statistics.
    await t.ctx.dbh.db.execute(sql`
      insert into runs (id, organization_id, agent_id, conversation_id, status)
      select 'run-old-' || i, a.organization_id, a.id,
             case when i % 2 = 0 then 'conv-x' end, 'completed'
      from agents a, generate_series(1, 3000) i where a.id = ${agent.id}`);
    await t.ctx.dbh.db.execute(sql`analyze runs`);
    for (const conv of [false, true]) {
      // An index scan of `r`, or a bitmap heap scan of `r` over a bitmap index scan (few agents, many rows each).
      const scans = nodes(await claimPlan(conv)).filter((n) => n['Relation Name'] === 'runs' && n.Alias === 'r');
      expect(scans, `conversation: ${conv}`).toHaveLength(1);
      const index = scans[0]!['Index Name'] ? scans[0]! : (scans[0]!.Plans ?? []).find((n) => n['Node Type'] === 'Bitmap Index Scan');
      expect(index?.['Index Name'], `conversation: ${conv}`).toBe('runs_active_idx');
      expect(index?.['Index Cond'], `conversation: ${conv}`).toMatch(/\(agent_id = /);
    }
  });
});

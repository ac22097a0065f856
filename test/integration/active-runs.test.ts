// A turn's lock claim checks for earlier runs of its thread still waiting. That check must read only active runs
// (migration 0006): reading every run cost 1.0–1.7 ms a turn after 2,300 runs and kept growing.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { claimText } from '../../src/agent/loop/turn-lock.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ offline: true });

type PlanNode = { 'Relation Name'?: string; Alias?: string; 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] };
function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

/** The generic plan (as the server's hot pool uses) of the claim statement, for a new run. */
async function claimPlan(conv: boolean): Promise<PlanNode> {
  const { text } = claimText(conv, false, true);
  return t.ctx.dbh.db.transaction(async (tx) => {
    await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
    await tx.execute(sql.raw(`prepare mnemo_claim_plan as ${text}`));
    const args = [`'k'`, `'run-new'`, `'30 seconds'`, `'x'`, `'60 seconds'`, `'org'`, `'agent'`, 'null', 'false', `'{}'`, `'{}'`, 'null'];
    const r = await tx.execute(sql.raw(`explain (format json) execute mnemo_claim_plan(${args.join(', ')})`));
    await tx.execute(sql`deallocate mnemo_claim_plan`);
    const row = (r as unknown as { rows: Record<string, unknown>[] }).rows[0]!;
    const plan = Object.values(row)[0];
    return (typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan as PlanNode;
  });
}

describe('waiting-run check of the turn lock', () => {
  it('reads the active-runs index, not the thread history, for agents and conversations', async () => {
    const agent = await t.createAgent();
    // 3,000 finished runs of this agent, in and out of a conversation, then fresh statistics.
    await t.ctx.dbh.db.execute(sql`
      insert into runs (id, organization_id, agent_id, conversation_id, status)
      select 'run-old-' || i, a.organization_id, a.id,
             case when i % 2 = 0 then 'conv-x' end, 'completed'
      from agents a, generate_series(1, 3000) i where a.id = ${agent.id}`);
    await t.ctx.dbh.db.execute(sql`analyze runs`);
    for (const conv of [false, true]) {
      const scans = nodes(await claimPlan(conv)).filter((n) => n['Relation Name'] === 'runs' && n.Alias === 'r');
      expect(scans, `conversation: ${conv}`).toHaveLength(1);
      expect(scans[0]!['Index Name'], `conversation: ${conv}`).toBe('runs_active_idx');
    }
  });
});

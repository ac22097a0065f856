// A thread's next load ships only the block, tool and message rows whose version it does not hold from its last load: held
// rows come back as the same (frozen) objects, and a row changed meanwhile, even straight in SQL, comes back anew.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { NO_ROWS } from '../../src/agent/turn-store/held-rows.js';
import { loadAndWriteInput } from '../../src/agent/turn-store/load.js';
import { DEFAULT_ORG_ID } from '../../src/ids.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness();
const actor = { orgId: DEFAULT_ORG_ID, userId: null } as never;

describe('turn store: held rows', () => {
  it('reuses the rows it holds and reads changed ones again', async () => {
    const a = await t.createAgent({ memory_blocks: [{ label: 'human', value: 'Name: Ada' }] });
    for (const text of ['first', 'second']) {
      t.llm.enqueue({ text: `reply to ${text}` });
      expect((await t.send(a.id, { input: text })).body.stop_reason.stop_reason).toBe('end_turn');
    }
    const db = t.ctx.dbh.db;
    const first = await loadAndWriteInput(db, actor, a.id, null, [], false, NO_ROWS);
    expect(first.state.context.length).toBeGreaterThan(2);
    expect(first.state.tools.length).toBeGreaterThan(0);
    expect(Object.isFrozen(first.state.context[1])).toBe(true);

    const second = await loadAndWriteInput(db, actor, a.id, null, [], false, first.rows);
    expect(second.state.context.length).toBe(first.state.context.length);
    second.state.context.forEach((m, i) => expect(m).toBe(first.state.context[i]));
    second.state.tools.forEach((x, i) => expect(x).toBe(first.state.tools[i]));
    expect(second.state.blocks.length).toBeGreaterThan(0);
    second.state.blocks.forEach((b, i) => expect(b).toBe(first.state.blocks[i]));

    const edited = first.state.context.find((m) => m.role === 'user' && m.text.includes('first'))!;
    await db.execute(sql`update messages set text = 'first (edited)' where id = ${edited.id}`);
    const third = await loadAndWriteInput(db, actor, a.id, null, [], false, second.rows);
    const again = third.state.context.find((m) => m.id === edited.id)!;
    expect(again).not.toBe(edited);
    expect(again.text).toBe('first (edited)');
    third.state.context.filter((m) => m.id !== edited.id).forEach((m) => expect(first.state.context).toContain(m));

    const human = first.state.blocks.find((b) => b.label === 'human')!;
    await db.execute(sql`update blocks set value = 'Name: Ada Lovelace' where id = ${human.id}`);
    const fourth = await loadAndWriteInput(db, actor, a.id, null, [], false, third.rows);
    const changed = fourth.state.blocks.find((b) => b.id === human.id)!;
    expect(changed).not.toBe(human);
    expect(changed.value).toBe('Name: Ada Lovelace');
    fourth.state.blocks.filter((b) => b.id !== human.id).forEach((b) => expect(first.state.blocks).toContain(b));
  });
});

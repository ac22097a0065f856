// Round trips of a turn, counted at the driver: the turn store folds the run's creation, the state load and the input
// into the claim, and the run's finish into the last step's write.
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '../../src/agent/run-turn.js';
import type { LoopDeps } from '../../src/agent/loop/types.js';
import { DEFAULT_ORG_ID, newId } from '../../src/ids.js';
import { createLlmRegistry } from '../../src/llm/registry.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness();
let deps: LoopDeps;
const actor = { orgId: DEFAULT_ORG_ID } as never;

beforeAll(() => {
  const c = t.ctx.config;
  deps = { db: t.ctx.dbh.db, registry: createLlmRegistry({ openai: c.openai, anthropic: c.anthropic, ollama: c.ollama }), lockPollMs: 10 };
});

/** The server's job queue polls meanwhile; its statements are not the turn's. */
const background = (text: unknown) => /\bjobs\b/i.test(typeof text === 'string' ? text : String((text as { text?: string })?.text ?? ''));

/** Statements sent to the database while `fn` runs (every pg client query, or every PGlite query and exec). */
async function statementsDuring(fn: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const lite = t.ctx.dbh.pglite;
  const proto = pg.Client.prototype;
  const origPg = proto.query;
  const origLite = lite ? { query: lite.query, exec: lite.exec } : undefined;
  proto.query = function (this: pg.Client, ...a: unknown[]) {
    if (!background(a[0])) n++;
    return (origPg as (...x: unknown[]) => unknown).apply(this, a);
  } as typeof origPg;
  if (lite && origLite) {
    lite.query = ((...a: Parameters<typeof lite.query>) => {
      if (!background(a[0])) n++;
      return origLite.query.apply(lite, a);
    }) as typeof lite.query;
    lite.exec = ((...a: Parameters<typeof lite.exec>) => {
      if (!background(a[0])) n++;
      return origLite.exec.apply(lite, a);
    }) as typeof lite.exec;
  }
  try {
    await fn();
  } finally {
    proto.query = origPg;
    if (lite && origLite) Object.assign(lite, origLite);
  }
  return n;
}

const turn = (agentId: string, text: string) =>
  runTurn(deps, {
    actor,
    agentId,
    runId: newId('run'),
    newRun: { orgId: DEFAULT_ORG_ID, agentId },
    input: [{ role: 'user', content: text }],
  });

describe('turn round trips', () => {
  it('stores a one-step text turn in 2 statements and a memory edit with its reply in 5', async () => {
    const a = await t.createAgent({ memory_blocks: [{ label: 'human', value: 'Name: unknown' }] });
    t.llm.enqueue({ text: 'warm' });
    expect((await turn(a.id, 'first')).stopReason).toBe('end_turn');

    t.llm.enqueue({ text: 'hello' });
    let stop = '';
    expect(
      await statementsDuring(async () => {
        stop = (await turn(a.id, 'hi')).stopReason;
      }),
    ).toBe(2); // claim (new run, lease, state load, input); step write with the run's finish
    expect(stop).toBe('end_turn');

    t.llm.enqueue(
      { toolCalls: [{ name: 'memory_replace', arguments: { label: 'human', old_string: 'Name: unknown', new_string: 'Name: Ada' } }] },
      { text: 'noted' },
    );
    expect(
      await statementsDuring(async () => {
        stop = (await turn(a.id, 'I am Ada')).stopReason;
      }),
    ).toBe(5); // claim; cancel check before the tool; step 1 write; cancel check; step 2 write with the finish
    expect(stop).toBe('end_turn');
  });
});

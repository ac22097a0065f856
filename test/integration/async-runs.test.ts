import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { recoverOrphanRuns, CRASH_REASON } from '../../src/resources/runs/recover-runs.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { startCallbackReceiver } from '../support/callback-receiver.js';
import { call, until } from '../support/http.js';

// The callback receiver listens on 127.0.0.1, which the outbound policy refuses unless the operator allows it.
const t = useAgentHarness({ sdk: true, resetLlm: false, env: { MNEMO_OUTBOUND_ALLOW: '127.0.0.1' } });

const newAgent = async (name: string) =>
  (await t.client.agents.create({ name, model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' })).id;

describe('async runs, background streams, cancellation', () => {
  it('returns a Run at once, finishes it in the background and posts the callback', async () => {
    const hook = await startCallbackReceiver();
    const got = hook.received;
    const url = hook.url;
    const id = await newAgent('async');
    t.llm.enqueue({ text: 'done thinking', delayMs: 200 });
    const run = await t.client.agents.messages.createAsync(id, { messages: [{ role: 'user', content: 'hi' }], callback_url: url });
    expect(['created', 'running']).toContain(run.status);
    expect(run.id).toMatch(/^run-/);
    await until(async () => got.length > 0);
    expect(got[0]).toMatchObject({ run_id: run.id, status: 'completed' });
    const final = await until(async () => {
      const r = (await call(t.app, 'GET', `/v1/runs/${run.id}`)).body;
      return r.callback_status_code ? r : undefined;
    });
    expect(final).toMatchObject({ status: 'completed', callback_status_code: 200 });
    const msgs = await call(t.app, 'GET', `/v1/runs/${run.id}/messages`);
    expect(msgs.body.map((m: any) => m.content).filter(Boolean)).toContain('done thinking');
    await hook.close();
  });

  it('keeps a background run going after the client aborts and replays it from the stored log', async () => {
    const id = await newAgent('bg');
    t.llm.enqueue(
      { toolCalls: [{ name: 'conversation_search', arguments: { query: 'x' } }], delayMs: 300 },
      { text: 'background answer', delayMs: 300 },
    );
    const ac = new AbortController();
    const stream = await t.client.agents.messages.stream(
      id,
      { messages: [{ role: 'user', content: 'go' }], background: true },
      { signal: ac.signal },
    );
    let runId = '';
    try {
      for await (const c of stream as AsyncIterable<any>) {
        if (c.message_type === 'ping') {
          runId = c.run_id;
          ac.abort();
        }
      }
    } catch {
      /* aborted by us */
    }
    expect(runId).toMatch(/^run-/);
    const replay: any[] = [];
    for await (const c of (await t.client.runs.messages.stream(runId, { starting_after: 0, include_pings: false })) as AsyncIterable<any>)
      replay.push(c);
    expect(replay.at(-2)).toMatchObject({ message_type: 'stop_reason', stop_reason: 'end_turn' });
    expect(replay.map((c) => c.message_type)).toContain('tool_return_message');
    expect(replay.find((c) => c.message_type === 'assistant_message')?.content).toBe('background answer');
    const seqs = replay.map((c) => c.seq_id);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const tail: any[] = [];
    for await (const c of (await t.client.runs.messages.stream(runId, {
      starting_after: seqs[1],
      include_pings: false,
    })) as AsyncIterable<any>)
      tail.push(c);
    expect(tail.map((c) => c.seq_id)).toEqual(seqs.slice(2));
    expect((await call(t.app, 'GET', `/v1/runs/${runId}`)).body.status).toBe('completed');
  });

  it('cancels a turn mid-call: the stream ends with stop_reason cancelled and the run is cancelled', async () => {
    const id = await newAgent('cancel');
    t.llm.enqueue({ text: 'too late', delayMs: 3000 });
    const stream = await t.client.agents.messages.stream(id, { messages: [{ role: 'user', content: 'slow' }] });
    const chunks: any[] = [];
    const reading = (async () => {
      for await (const c of stream as AsyncIterable<any>) chunks.push(c);
    })();
    await until(async () => chunks.length > 0);
    const res = await call(t.app, 'POST', `/v1/agents/${id}/messages/cancel`, {});
    expect(res.status).toBe(200);
    const runId = chunks[0].run_id;
    expect(res.body).toEqual({ [runId]: 'cancelled' });
    await reading;
    expect(chunks.find((c) => c.message_type === 'stop_reason')).toMatchObject({ stop_reason: 'cancelled' });
    expect((await call(t.app, 'GET', `/v1/runs/${runId}`)).body.status).toBe('cancelled');
    const none = await call(t.app, 'POST', `/v1/agents/${id}/messages/cancel`, {});
    expect(none.status).toBe(409);
    expect(none.headers['x-should-retry']).toBe('false');
  });

  it('closes runs left running by a crash and leaves none running', async () => {
    const id = await newAgent('crash');
    const runIds = ['run-00000000-0000-4000-8000-00000000c001', 'run-00000000-0000-4000-8000-00000000c002'];
    for (const [i, rid] of runIds.entries()) {
      await t.ctx.dbh.db.execute(sql`INSERT INTO runs (id, agent_id, status) VALUES (${rid}, ${id}, ${i ? 'created' : 'running'})`);
    }
    const closed = await recoverOrphanRuns(t.ctx.dbh.db, { singleProcess: true });
    expect(closed.sort()).toEqual(runIds);
    for (const rid of runIds) {
      const r = (await call(t.app, 'GET', `/v1/runs/${rid}`)).body;
      expect(r).toMatchObject({ status: 'failed', stop_reason: 'error' });
    }
    const run = (await call(t.app, 'GET', `/v1/runs/${runIds[0]}`)).body;
    expect(run.metadata.error).toBe(CRASH_REASON);
    t.llm.enqueue({ text: 'still alive' });
    const after = await t.client.agents.messages.create(id, { messages: [{ role: 'user', content: 'hello?' }] });
    expect(after.stop_reason.stop_reason).toBe('end_turn');
  });
});

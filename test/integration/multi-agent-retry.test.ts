// Exactly-once delivery of background agent work when a job runs twice (worker crashed after the turn, lease
// taken over): async agent messages and sleep-time companion runs.
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { insertJob } from '../../src/jobs/jobs.repo.js';
import { INTERRUPTED_AFTER_DELIVERY } from '../../src/resources/runs/run-resume.js';
import { DEFAULT_ORG_ID, DEFAULT_USER_ID } from '../../src/ids.js';
import { createRun } from '../../src/resources/runs/runs.repo.js';
import { call } from '../support/http.js';
import type { RecordedRequest } from '../support/scripted-llm.js';
import { useAgentHarness } from '../support/agent-harness.js';

vi.setConfig({ testTimeout: 60_000 });

const t = useAgentHarness();

const db = () => t.ctx.dbh.db;
const speaker = (r: RecordedRequest) => /You are ([\w-]+)\./.exec(String(r.body.messages[0].content))?.[1] ?? '?';
const isCompanion = (r: RecordedRequest) => String(r.body.messages[0].content).includes('background memory agent');

async function agent(name: string, extra: Record<string, unknown> = {}) {
  const res = await call(t.app, 'POST', '/v1/agents/', {
    name,
    model: 'openai/gpt-4o-mini',
    system: `You are ${name}.`,
    include_multi_agent_tools: true,
    ...extra,
  });
  expect(res.status).toBe(200);
  return res.body as { id: string; managed_group: { id: string; agent_ids: string[] } };
}

async function until<T>(fn: () => Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

type JobRow = { id: number; status: string; attempts: number; payload: any };
const lastJob = async (queue: string) =>
  (await queryRows<JobRow>(db(), sql`select id, status, attempts, payload from jobs where queue = ${queue} order by id desc limit 1`))[0]!;
const jobDone = (id: number, attempts: number) =>
  until(
    async () =>
      (await queryRows<JobRow>(db(), sql`select id, status, attempts from jobs where id = ${id}`)).find(
        (j) => j.status === 'completed' && j.attempts >= attempts,
      ),
    `job ${id} attempt ${attempts}`,
  );
/** What a worker crash after the handler finished looks like: the job is back to pending and runs again. */
const runJobAgain = (id: number) =>
  db().execute(sql`update jobs set status = 'pending', locked_by = null, locked_until = null, run_at = now() where id = ${id}`);
const runsOf = async (agentId: string) => (await call(t.app, 'GET', `/v1/runs/?agent_id=${agentId}`)).body as any[];
const notes = async (agentId: string, text: string) =>
  ((await call(t.app, 'GET', `/v1/agents/${agentId}/messages?order=asc`)).body as any[]).filter(
    (m) => m.message_type === 'system_message' && String(m.content).includes(text),
  );

/** `sender` sends `text` to `inbox` with send_message_to_agent_async; everybody else answers plainly. */
async function sendAsyncNote(text: string) {
  const sender = await agent(`sender${text.length}`);
  const inbox = await agent(`inbox${text.length}`);
  t.llm.setHandler((r) => {
    const last = r.body.messages.at(-1);
    if (speaker(r) === `sender${text.length}` && last.role !== 'tool')
      return { toolCalls: [{ name: 'send_message_to_agent_async', arguments: { message: text, other_agent_id: inbox.id } }] };
    return { text: 'ok' };
  });
  await call(t.app, 'POST', `/v1/agents/${sender.id}/messages`, { messages: [{ role: 'user', content: 'go' }] });
  const job = await lastJob('agent-message');
  return { sender, inbox, job };
}

describe('async agent messages are delivered once', () => {
  it('creates the receiver run with the job, and a job that runs again does not deliver twice', async () => {
    const { inbox, job } = await sendAsyncNote('deploy at five');
    expect(job.payload.runId).toMatch(/^run-/);
    const run = (await call(t.app, 'GET', `/v1/runs/${job.payload.runId}`)).body;
    expect(run).toMatchObject({ agent_id: inbox.id, background: true, metadata: { run_type: 'agent_message_async' } });
    await jobDone(job.id, 1);
    expect((await call(t.app, 'GET', `/v1/runs/${run.id}`)).body.status).toBe('completed');
    const inboxCalls = t.llm.requests.filter((r) => speaker(r) === 'inbox14').length;

    await runJobAgain(job.id);
    await jobDone(job.id, 2);
    expect(await notes(inbox.id, 'deploy at five')).toHaveLength(1);
    expect(await runsOf(inbox.id)).toHaveLength(1);
    expect(t.llm.requests.filter((r) => speaker(r) === 'inbox14')).toHaveLength(inboxCalls);
  });

  it('closes a run interrupted after its input was stored instead of delivering it again', async () => {
    const { inbox, job } = await sendAsyncNote('rollback at six!');
    await jobDone(job.id, 1);
    // As if the process died mid-turn: the run still says running, its turn lease is gone.
    await db().execute(sql`update runs set status = 'running', completed_at = null, stop_reason = null where id = ${job.payload.runId}`);
    await runJobAgain(job.id);
    await jobDone(job.id, 2);
    const run = (await call(t.app, 'GET', `/v1/runs/${job.payload.runId}`)).body;
    expect(run).toMatchObject({ status: 'failed', stop_reason: 'error' });
    expect(run.metadata.error).toBe(INTERRUPTED_AFTER_DELIVERY);
    expect(await notes(inbox.id, 'rollback at six!')).toHaveLength(1);
  });

  it('runs a job whose run was started but never stored its input, under the same run id', async () => {
    const target = await agent('late-target');
    t.llm.setHandler(() => ({ text: 'got it' }));
    const run = await createRun(db(), {
      orgId: DEFAULT_ORG_ID,
      agentId: target.id,
      background: true,
      metadata: { run_type: 'agent_message_async' },
    });
    await db().execute(sql`update runs set status = 'running' where id = ${run.id}`);
    const input = { role: 'system', content: '[message from agent x] interrupted before delivery', sender_id: 'agent-x' };
    const id = await insertJob(db(), {
      orgId: run.organizationId,
      queue: 'agent-message',
      payload: {
        orgId: run.organizationId,
        userId: DEFAULT_USER_ID,
        targetId: target.id,
        input,
        chain: { hops: 1, chain: [] },
        runId: run.id,
      },
    });
    await jobDone(id, 1);
    expect((await call(t.app, 'GET', `/v1/runs/${run.id}`)).body.status).toBe('completed');
    expect(await notes(target.id, 'interrupted before delivery')).toHaveLength(1);
    expect(await runsOf(target.id)).toHaveLength(1);
  });
});

describe('sleep-time jobs run the companion once per transcript', () => {
  it('a sleep-time job that runs again after its companion finished does not run it twice', async () => {
    const p = await agent('sleepy', {
      enable_sleeptime: true,
      include_multi_agent_tools: false,
      memory_blocks: [{ label: 'human', value: 'Name: ?' }],
    });
    const companion = p.managed_group.agent_ids[0]!;
    t.llm.setHandler((r) => {
      if (!isCompanion(r)) return { text: 'hello' };
      if (r.body.messages.at(-1).role === 'tool') return { toolCalls: [{ name: 'memory_finish_edits', arguments: {} }] };
      return { toolCalls: [{ name: 'memory_insert', arguments: { label: 'human', new_string: 'likes tea' } }] };
    });
    await call(t.app, 'POST', `/v1/agents/${p.id}/messages`, { messages: [{ role: 'user', content: 'I like tea' }] });
    const job = await until(
      async () => (await lastJob('sleeptime'))?.status === 'completed' && (await lastJob('sleeptime')),
      'sleep-time job',
    );
    const group = (await call(t.app, 'GET', `/v1/groups/${p.managed_group.id}`)).body;
    expect(await runsOf(companion)).toHaveLength(1);
    const companionCalls = t.llm.requests.filter(isCompanion).length;

    // Crash between the companion's run and the group's bookmark: the job runs again from the same point.
    await db().execute(sql`update groups set last_processed_message_id = null where id = ${group.id}`);
    await runJobAgain(job.id);
    await jobDone(job.id, 2);
    expect(await runsOf(companion)).toHaveLength(1);
    expect(t.llm.requests.filter(isCompanion)).toHaveLength(companionCalls);
    expect((await call(t.app, 'GET', `/v1/groups/${group.id}`)).body.last_processed_message_id).toBe(group.last_processed_message_id);
    const human = (await call(t.app, 'GET', `/v1/agents/${p.id}/core-memory/blocks/human`)).body.value as string;
    expect(human.match(/likes tea/g)).toHaveLength(1);
  });
});

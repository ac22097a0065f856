import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import type { RecordedRequest, ScriptedStep } from '../support/scripted-llm.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness();

async function agent(name: string, extra: Record<string, unknown> = {}) {
  const res = await call(t.app, 'POST', '/v1/agents/', {
    name,
    model: 'openai/gpt-4o-mini',
    system: `You are ${name}.`,
    include_multi_agent_tools: true,
    ...extra,
  });
  expect(res.status).toBe(200);
  return res.body as { id: string; name: string; tools: { name: string }[] };
}
const speaker = (r: RecordedRequest) => /You are ([\w-]+)\./.exec(String(r.body.messages[0].content))?.[1] ?? '?';
const last = (r: RecordedRequest) => r.body.messages.at(-1) as { role: string; content: unknown };
const lastText = (r: RecordedRequest) => JSON.stringify(last(r).content);
const send = (id: string, text: string) =>
  call(t.app, 'POST', `/v1/agents/${id}/messages`, { messages: [{ role: 'user', content: text }] });
const toolReturns = (res: { body: any }) => res.body.messages.filter((m: any) => m.message_type === 'tool_return_message');

/** Agents in the script: on a fresh message they run `first`, after a tool result they answer with text. */
function script(plan: Record<string, (r: RecordedRequest) => ScriptedStep>) {
  t.llm.setHandler((r) => {
    const who = speaker(r);
    if (last(r).role === 'tool') return { text: `${who} done: ${lastText(r).slice(0, 400)}` };
    return plan[who]?.(r) ?? { text: `${who} replies to ${lastText(r).slice(0, 200)}` };
  });
}

describe('multi-agent tools', () => {
  it('attaches the three tools with include_multi_agent_tools', async () => {
    const a = await agent('toolcheck');
    expect(a.tools.map((x) => x.name)).toEqual(
      expect.arrayContaining([
        'send_message_to_agent_and_wait_for_reply',
        'send_message_to_agent_async',
        'send_message_to_agents_matching_tags',
      ]),
    );
  });

  it('sends a message and waits for the reply, with the sender identified', async () => {
    const asker = await agent('asker');
    const expert = await agent('expert');
    script({
      asker: () => ({
        toolCalls: [
          { name: 'send_message_to_agent_and_wait_for_reply', arguments: { message: 'What is 2+2?', other_agent_id: expert.id } },
        ],
      }),
    });
    const res = await send(asker.id, 'ask the expert');
    expect(res.status).toBe(200);
    const [ret] = toolReturns(res);
    expect(ret.status).toBe('success');
    expect(ret.tool_return).toContain(expert.id);
    expect(ret.tool_return).toContain('expert replies to');
    const expertReq = t.llm.requests.find((r) => speaker(r) === 'expert')!;
    expect(lastText(expertReq)).toContain(`message from agent ${asker.id} (asker)`);
    expect(lastText(expertReq)).toContain('What is 2+2?');
    const runs = (await call(t.app, 'GET', `/v1/runs/?agent_id=${expert.id}`)).body;
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('completed');
  });

  it('delivers an async message through the job queue', async () => {
    const sender = await agent('sender');
    const inbox = await agent('inbox');
    script({
      sender: () => ({
        toolCalls: [{ name: 'send_message_to_agent_async', arguments: { message: 'FYI: deploy at 5', other_agent_id: inbox.id } }],
      }),
    });
    const res = await send(sender.id, 'notify inbox');
    expect(toolReturns(res)[0].tool_return).toContain('Successfully sent message');
    let msgs: any[] = [];
    for (let i = 0; i < 100 && !msgs.some((m) => m.message_type === 'assistant_message'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      msgs = (await call(t.app, 'GET', `/v1/agents/${inbox.id}/messages?order=asc`)).body;
    }
    const note = msgs.find((m) => m.message_type === 'system_message' && String(m.content).includes('deploy at 5'));
    expect(note.content).toContain(`message from agent ${sender.id} (sender)`);
    expect(note.content).toContain('one-way');
    expect(msgs.some((m) => m.message_type === 'assistant_message')).toBe(true);
  });

  it('messages every agent matching the tags and collects their replies', async () => {
    const lead = await agent('lead');
    const t1 = await agent('tagged1', { tags: ['team', 'eu'] });
    const t2 = await agent('tagged2', { tags: ['team', 'us'] });
    await agent('other', { tags: ['eu'] });
    script({
      lead: () => ({
        toolCalls: [
          { name: 'send_message_to_agents_matching_tags', arguments: { message: 'status?', match_all: ['team'], match_some: [] } },
        ],
      }),
    });
    const res = await send(lead.id, 'poll the team');
    const ret = toolReturns(res)[0].tool_return as string;
    expect(ret).toContain(t1.id);
    expect(ret).toContain(t2.id);
    expect(t.llm.requests.filter((r) => speaker(r) === 'other')).toHaveLength(0);
  });

  it('returns failures to the calling model: unknown agent, waiting on a waiting agent, too many hops', async () => {
    const a = await agent('ringa');
    const b = await agent('ringb');
    const ghost = 'agent-00000000-0000-4000-8000-000000000000';
    script({
      ringa: () => ({
        toolCalls: [{ name: 'send_message_to_agent_and_wait_for_reply', arguments: { message: 'hi', other_agent_id: ghost } }],
      }),
    });
    const missing = toolReturns(await send(a.id, 'go'))[0];
    expect(missing.status).toBe('error');
    expect(missing.tool_return).toContain('not found');

    // a waits on b; b tries to wait on a, which would deadlock: b's tool call fails, b answers, a gets b's answer.
    script({
      ringa: () => ({
        toolCalls: [{ name: 'send_message_to_agent_and_wait_for_reply', arguments: { message: 'ping', other_agent_id: b.id } }],
      }),
      ringb: () => ({
        toolCalls: [{ name: 'send_message_to_agent_and_wait_for_reply', arguments: { message: 'pong', other_agent_id: a.id } }],
      }),
    });
    const res = await send(a.id, 'start the ring');
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    const bRuns = (await call(t.app, 'GET', `/v1/runs/?agent_id=${b.id}`)).body;
    const bMsgs = (await call(t.app, 'GET', `/v1/runs/${bRuns[0].id}/messages`)).body;
    const refused = bMsgs.find((m: any) => m.message_type === 'tool_return_message');
    expect(refused.status).toBe('error');
    expect(refused.tool_return).toContain('already waiting');
  });

  it('stops a relay after three hops', async () => {
    const chain = [await agent('hop0'), await agent('hop1'), await agent('hop2'), await agent('hop3'), await agent('hop4')];
    const plan: Record<string, (r: RecordedRequest) => ScriptedStep> = {};
    chain.slice(0, 4).forEach((a, i) => {
      plan[a.name] = () => ({
        toolCalls: [
          { name: 'send_message_to_agent_and_wait_for_reply', arguments: { message: `relay ${i}`, other_agent_id: chain[i + 1]!.id } },
        ],
      });
    });
    script(plan);
    const res = await send(chain[0]!.id, 'relay');
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    expect(t.llm.requests.filter((r) => speaker(r) === 'hop4')).toHaveLength(0);
    const hop3Runs = (await call(t.app, 'GET', `/v1/runs/?agent_id=${chain[3]!.id}`)).body;
    const ret = (await call(t.app, 'GET', `/v1/runs/${hop3Runs[0].id}/messages`)).body.find(
      (m: any) => m.message_type === 'tool_return_message',
    );
    expect(ret.status).toBe('error');
    expect(ret.tool_return).toContain('hop 4');
  });
});

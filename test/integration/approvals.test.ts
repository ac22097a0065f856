// Human-in-the-loop end to end through the scripted LLM: approve, deny, client tools, id checks, 409, cancel.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness();
const gatedAgent = async () =>
  (
    await t.createAgent({
      memory_blocks: [{ label: 'human', value: 'x' }],
      tools: ['conversation_search'],
      tool_rules: [{ type: 'requires_approval', tool_name: 'conversation_search' }],
    })
  ).id;
const types = (res: { body: any }) => res.body.messages.map((m: any) => m.message_type);
const history = async (id: string) => (await call(t.app, 'GET', `/v1/agents/${id}/messages?order=asc`)).body as any[];
const toolMessages = (req: { body: any }) => req.body.messages.filter((m: any) => m.role === 'tool');

async function pendingSearch(id: string, callId: string) {
  t.llm.enqueue({ toolCalls: [{ id: callId, name: 'conversation_search', arguments: { query: 'apples' } }] });
  const res = await t.send(id, { input: 'find apples' });
  expect(res.body.stop_reason.stop_reason).toBe('requires_approval');
  expect(res.body.messages.at(-1)).toMatchObject({
    message_type: 'approval_request_message',
    tool_call: { tool_call_id: callId, name: 'conversation_search' },
  });
  return res;
}

describe('approval responses', () => {
  it('runs an approved call, then the model answers in a new run', async () => {
    const id = await gatedAgent();
    const first = await pendingSearch(id, 'call-ok');
    t.llm.enqueue({ text: 'Found nothing about apples.' });
    const res = await t.send(id, {
      messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-ok', approve: true }] }],
    });
    expect(res.status).toBe(200);
    expect(types(res)).toEqual(['tool_return_message', 'assistant_message']);
    expect(res.body.messages[0]).toMatchObject({ tool_call_id: 'call-ok', status: 'success' });
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    expect(res.body.usage.run_ids[0]).not.toBe(first.body.usage.run_ids[0]);
    const seen = toolMessages(t.llm.requests.at(-1)!);
    expect(seen).toHaveLength(1);
    expect(seen[0].tool_call_id).toBe('call-ok');
    expect(seen[0].content).toContain('"status": "OK"');
    const kinds = (await history(id)).map((m) => m.message_type);
    expect(kinds).toEqual([
      'system_message',
      'user_message',
      'approval_request_message',
      'approval_response_message',
      'tool_return_message',
      'assistant_message',
    ]);
    const run = await call(t.app, 'GET', `/v1/runs/${res.body.usage.run_ids[0]}`);
    expect(run.body).toMatchObject({ status: 'completed', stop_reason: 'end_turn' });
  });

  it('turns a denial into an error return that shows the reason to the model', async () => {
    const id = await gatedAgent();
    await pendingSearch(id, 'call-no');
    t.llm.enqueue({ text: 'Understood, I will not search.' });
    const res = await t.send(id, {
      messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-no', approve: false, reason: 'too private' }] }],
    });
    expect(res.body.messages[0]).toMatchObject({ message_type: 'tool_return_message', status: 'error' });
    expect(res.body.messages[0].tool_return).toContain('Error: request to call tool denied. User reason: too private');
    expect(toolMessages(t.llm.requests.at(-1)!)[0].content).toContain('User reason: too private');
    const resp = (await history(id)).find((m) => m.message_type === 'approval_response_message');
    expect(resp.approvals).toEqual([{ type: 'approval', tool_call_id: 'call-no', approve: false, reason: 'too private' }]);
  });

  it('accepts the legacy single form without a type', async () => {
    const id = await gatedAgent();
    const first = await pendingSearch(id, 'call-legacy');
    const requestId = first.body.messages.at(-1).id;
    t.llm.enqueue({ text: 'ok then' });
    const res = await t.send(id, { messages: [{ approve: true, approval_request_id: requestId }] });
    expect(res.status).toBe(200);
    expect(types(res)).toEqual(['tool_return_message', 'assistant_message']);
  });

  it('rejects answers that do not match the pending request and answers with nothing pending', async () => {
    const id = await gatedAgent();
    await pendingSearch(id, 'call-x');
    const wrong = await t.send(id, {
      messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-y', approve: true }] }],
    });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('call-y');
    const legacyWrong = await t.send(id, {
      messages: [{ type: 'approval', approve: true, approval_request_id: 'message-00000000-0000-4000-8000-000000000000' }],
    });
    expect(legacyWrong.status).toBe(400);
    const mixed = await t.send(id, {
      messages: [
        { type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-x', approve: true }] },
        { role: 'user', content: 'and also' },
      ],
    });
    expect(mixed.status).toBe(400);
    const plain = await t.send(id, { input: 'hello?' });
    expect(plain.status).toBe(409);
    expect(plain.headers['x-should-retry']).toBe('false');
    expect(JSON.stringify(plain.body)).toContain('PENDING_APPROVAL');
    expect(t.llm.requests).toHaveLength(1);
    const fresh = await gatedAgent();
    const none = await t.send(fresh, {
      messages: [{ type: 'approval', approvals: [{ type: 'approval', tool_call_id: 'call-x', approve: true }] }],
    });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toContain('no pending approval');
  });

  it('cancels a pending approval by denying it, after which new input is accepted', async () => {
    const id = await gatedAgent();
    const first = await pendingSearch(id, 'call-c');
    const cancel = await call(t.app, 'POST', `/v1/agents/${id}/messages/cancel`, {});
    expect(cancel.status).toBe(200);
    expect(cancel.body).toEqual({ [first.body.usage.run_ids[0]]: 'cancelled' });
    t.llm.enqueue({ text: 'hi again' });
    const res = await t.send(id, { input: 'never mind' });
    expect(res.status).toBe(200);
    expect(toolMessages(t.llm.requests.at(-1)!)[0].content).toContain('The user cancelled the request');
  });
});

describe('client tools', () => {
  it('offers the tool for the request, pauses on its call and continues with the client return', async () => {
    const id = await gatedAgent();
    const weather = {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    };
    t.llm.enqueue({ toolCalls: [{ id: 'call-w', name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const first = await t.send(id, { input: 'weather in Oslo?', client_tools: [weather] });
    expect(first.body.stop_reason.stop_reason).toBe('requires_approval');
    expect(first.body.messages.at(-1).tool_call).toMatchObject({ name: 'get_weather', tool_call_id: 'call-w' });
    expect(t.llm.requests[0]!.body.tools.map((x: any) => x.function.name)).toContain('get_weather');
    t.llm.enqueue({ text: 'It is sunny in Oslo.' });
    const res = await t.send(id, {
      messages: [
        {
          type: 'tool_return',
          tool_returns: [{ tool_call_id: 'call-w', status: 'success', tool_return: 'sunny, 21C', stdout: ['fetched'] }],
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(types(res)).toEqual(['tool_return_message', 'assistant_message']);
    expect(res.body.messages[0]).toMatchObject({ tool_call_id: 'call-w', status: 'success', stdout: ['fetched'] });
    expect(toolMessages(t.llm.requests[1]!)[0].content).toContain('sunny, 21C');
    // Offered for that request only.
    expect((t.llm.requests[1]!.body.tools ?? []).map((x: any) => x.function.name)).not.toContain('get_weather');
  });
});

// The unified `memory` tool's structural commands through the real loop: create, rename, describe and delete blocks,
// scoped to the agent's organization, refused for read-only blocks, and seen by the next model call.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness();

const mem = (args: Record<string, unknown>) => ({ toolCalls: [{ name: 'memory', arguments: args }] });
const labels = async (agentId: string) =>
  (await call(t.app, 'GET', `/v1/agents/${agentId}/core-memory/blocks`)).body.map((b: { label: string }) => b.label).sort();
const systemOfLastCall = () => String(t.llm.requests.at(-1)!.body.messages[0].content);
const toolReturns = (body: { messages: { message_type: string; tool_return?: string; status?: string }[] }) =>
  body.messages.filter((m) => m.message_type === 'tool_return_message');

async function agentWithMemoryTool() {
  return t.createAgent({
    tools: ['memory'],
    memory_blocks: [
      { label: 'human', value: 'Name: Ada' },
      { label: 'scratch', value: 'temp notes' },
      { label: 'rules', value: 'Be kind.', read_only: true },
    ],
  });
}

describe('the memory tool changes which blocks an agent has', () => {
  it('creates, renames, re-describes and deletes blocks, and the next model call sees the result', async () => {
    const agent = await agentWithMemoryTool();
    const scratchId = (await call(t.app, 'GET', `/v1/agents/${agent.id}/core-memory/blocks/scratch`)).body.id;
    t.llm.enqueue(
      mem({ command: 'create', path: '/memories/projects/mnemo', description: 'The current project', file_text: 'Ships memfs.' }),
      mem({ command: 'rename', old_path: '/memories/human', new_path: '/memories/people/ada' }),
      mem({ command: 'rename', path: '/memories/people/ada', description: 'Who the user is' }),
      mem({ command: 'delete', path: '/memories/scratch' }),
      { text: 'done' },
    );
    const res = await t.send(agent.id, { messages: [{ role: 'user', content: 'tidy your memory' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(toolReturns(res.body).map((m) => m.status)).toEqual(['success', 'success', 'success', 'success']);

    expect(await labels(agent.id)).toEqual(['people/ada', 'projects/mnemo', 'rules']);
    const created = (await call(t.app, 'GET', `/v1/agents/${agent.id}/core-memory/blocks/projects%2Fmnemo`)).body;
    expect(created).toMatchObject({ value: 'Ships memfs.', description: 'The current project' });
    const ada = (await call(t.app, 'GET', `/v1/agents/${agent.id}/core-memory/blocks/people%2Fada`)).body;
    expect(ada).toMatchObject({ value: 'Name: Ada', description: 'Who the user is' });
    // The deleted block was held by nobody else: it is gone, not just detached.
    expect((await call(t.app, 'GET', `/v1/blocks/${scratchId}`)).status).toBe(404);

    const system = systemOfLastCall();
    expect(system).toContain('Ships memfs.');
    expect(system).toContain('<people/ada>');
    expect(system).not.toContain('temp notes');
  });

  it('refuses read-only blocks, existing labels, bad paths and missing descriptions, changing nothing', async () => {
    const agent = await agentWithMemoryTool();
    t.llm.enqueue(
      mem({ command: 'delete', path: '/memories/rules' }),
      mem({ command: 'rename', old_path: '/memories/rules', new_path: '/memories/laws' }),
      mem({ command: 'rename', old_path: '/memories/scratch', new_path: '/memories/human' }),
      mem({ command: 'create', path: '/memories/../etc', description: 'x' }),
      mem({ command: 'create', path: '/memories/new' }),
      { text: 'ok' },
    );
    const res = await t.send(agent.id, { messages: [{ role: 'user', content: 'try' }] });
    expect(res.status).toBe(200);
    const returns = toolReturns(res.body);
    expect(returns.map((m) => m.status)).toEqual(['error', 'error', 'error', 'error', 'error']);
    expect(returns[0]!.tool_return).toContain('read-only');
    expect(returns[2]!.tool_return).toContain("a memory block labelled 'human' already exists");
    expect(returns[3]!.tool_return).toContain('not a usable block path');
    expect(returns[4]!.tool_return).toContain('description is required for create command');
    expect(await labels(agent.id)).toEqual(['human', 'rules', 'scratch']);
  });

  it('deleting a block shared with another agent only detaches it from this one', async () => {
    const agent = await agentWithMemoryTool();
    const shared = (await call(t.app, 'POST', '/v1/blocks/', { label: 'team', value: 'We ship on Fridays.' })).body;
    const other = await t.createAgent({ block_ids: [shared.id] });
    expect((await call(t.app, 'PATCH', `/v1/agents/${agent.id}/core-memory/blocks/attach/${shared.id}`)).status).toBe(200);
    t.llm.enqueue(mem({ command: 'delete', path: '/memories/team' }), { text: 'ok' });
    expect((await t.send(agent.id, { messages: [{ role: 'user', content: 'forget the team' }] })).status).toBe(200);
    expect(await labels(agent.id)).toEqual(['human', 'rules', 'scratch']);
    expect(await labels(other.id)).toEqual(['team']);
    expect((await call(t.app, 'GET', `/v1/blocks/${shared.id}`)).body.value).toBe('We ship on Fridays.');
  });

  it('keeps an unsaved edit of the same step when the block is then renamed', async () => {
    const agent = await agentWithMemoryTool();
    const cfg = agent.llm_config;
    await call(t.app, 'PATCH', `/v1/agents/${agent.id}`, { llm_config: { ...cfg, parallel_tool_calls: true } });
    t.llm.enqueue(
      {
        toolCalls: [
          { name: 'memory', arguments: { command: 'str_replace', path: '/memories/human', old_string: 'Ada', new_string: 'Ada L.' } },
          { name: 'memory', arguments: { command: 'rename', old_path: '/memories/human', new_path: '/memories/user' } },
        ],
      },
      { text: 'ok' },
    );
    const res = await t.send(agent.id, { messages: [{ role: 'user', content: 'go' }] });
    expect(res.status).toBe(200);
    const returns = (toolReturns(res.body)[0] as unknown as { tool_returns: { status: string }[] }).tool_returns;
    expect(returns.map((r) => r.status)).toEqual(['success', 'success']);
    const user = (await call(t.app, 'GET', `/v1/agents/${agent.id}/core-memory/blocks/user`)).body;
    expect(user.value).toBe('Name: Ada L.');
  });
});

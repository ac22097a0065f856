// Ephemeral sleep-time agents for documents: a file finishing in a folder attached to a sleep-time agent is read by
// a short-lived sleep-time agent (scripted model) that writes into the agent's blocks and is then deleted.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call, until } from '../support/http.js';
import { multipartFile } from '../support/multipart.js';

const h = useAgentHarness();

describe('document sleep-time agents', () => {
  it("reads a newly processed file into the primary's memory, then deletes itself", async () => {
    const primary = await h.createAgent({
      name: 'librarian',
      enable_sleeptime: true,
      memory_blocks: [{ label: 'human', value: 'Name: unknown' }],
    });
    const folder = (await call(h.app, 'POST', '/v1/folders/', { name: 'inbox', embedding: 'openai/text-embedding-3-small' })).body;
    expect((await call(h.app, 'PATCH', `/v1/agents/${primary.id}/folders/attach/${folder.id}`)).status).toBe(200);
    const agentsBefore = (await call(h.app, 'GET', '/v1/agents/')).body.length;
    h.llm.enqueue(
      {
        toolCalls: [
          { id: 'doc-1', name: 'memory_insert', arguments: { label: 'human', new_string: 'Owns a sailboat named Petrel (from boat.md).' } },
        ],
      },
      { toolCalls: [{ id: 'doc-2', name: 'memory_finish_edits', arguments: {} }] },
    );
    const mp = multipartFile('boat.md', '# My boat\n\nMy sailboat is called Petrel and is moored in Kiel.', 'text/markdown');
    const up = await h.app.inject({ method: 'POST', url: `/v1/folders/${folder.id}/upload`, payload: mp.payload, headers: mp.headers });
    expect(up.statusCode).toBe(200);
    const human = await until(async () => {
      const b = await call(h.app, 'GET', `/v1/agents/${primary.id}/core-memory/blocks/human`);
      return String(b.body.value).includes('Petrel') ? b.body.value : undefined;
    }, 30_000);
    expect(human).toContain('Owns a sailboat named Petrel');
    // The model read the document inside the reminder.
    const prompt = JSON.stringify(h.llm.requests.find((r) => JSON.stringify(r.body).includes('Document: inbox/boat.md'))?.body ?? {});
    expect(prompt).toContain('moored in Kiel');
    // The reader is gone again (no extra agent, its persona block deleted).
    const agents = await until(async () => {
      const list = (await call(h.app, 'GET', '/v1/agents/')).body as { name: string }[];
      return list.some((a) => a.name.endsWith('-doc-sleeptime')) ? undefined : list;
    });
    expect(agents.length).toBe(agentsBefore);
    const personas = (await call(h.app, 'GET', '/v1/blocks/?label=memory_persona')).body as { value: string }[];
    expect(personas.some((b) => b.value.includes('documents that were just added'))).toBe(false);
  });

  it('does nothing for agents without sleep-time', async () => {
    const plain = await h.createAgent({ name: 'plain', memory_blocks: [{ label: 'human', value: 'Name: unknown' }] });
    const folder = (await call(h.app, 'POST', '/v1/folders/', { name: 'plain-inbox', embedding: 'openai/text-embedding-3-small' })).body;
    await call(h.app, 'PATCH', `/v1/agents/${plain.id}/folders/attach/${folder.id}`);
    const chatCalls = () => h.llm.requests.filter((r) => r.path.includes('chat')).length;
    const mp = multipartFile('x.md', 'nothing much', 'text/markdown');
    const up = await h.app.inject({ method: 'POST', url: `/v1/folders/${folder.id}/upload`, payload: mp.payload, headers: mp.headers });
    await until(async () => {
      const f = await call(h.app, 'GET', `/v1/folders/${folder.id}/files/${up.json().id}`);
      return f.body.processing_status === 'completed' ? true : undefined;
    }, 60_000);
    expect(chatCalls()).toBe(0);
  });
});

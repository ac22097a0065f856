// Folder wire pieces beyond CRUD: ids by name, per-organization folder statistics, AgentState.sources, and a file
// opened by a tool showing in the context of the next step of the same turn.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call, until } from '../support/http.js';
import { multipartFile } from '../support/multipart.js';

const h = useAgentHarness();

async function upload(folderId: string, name: string, text: string): Promise<{ id: string; file_size: number }> {
  const mp = multipartFile(name, text, 'text/markdown');
  const up = await h.app.inject({ method: 'POST', url: `/v1/folders/${folderId}/upload`, payload: mp.payload, headers: mp.headers });
  expect(up.statusCode).toBe(200);
  return until(async () => {
    const f = await call(h.app, 'GET', `/v1/folders/${folderId}/files/${up.json().id}`);
    return f.body.processing_status === 'completed' ? f.body : undefined;
  }, 60_000);
}

const folder = async (name: string) =>
  (await call(h.app, 'POST', '/v1/folders/', { name, embedding: 'openai/text-embedding-3-small' })).body as { id: string };

describe('folder ids by name and statistics', () => {
  it('answers a folder id by name on both paths, 404 for an unknown name', async () => {
    const f = await folder('by-name');
    expect(await call(h.app, 'GET', '/v1/folders/name/by-name')).toMatchObject({ status: 200, body: f.id });
    expect(await call(h.app, 'GET', '/v1/sources/name/by-name')).toMatchObject({ status: 200, body: f.id });
    const miss = await call(h.app, 'GET', '/v1/sources/name/nothing-here');
    expect(miss.status).toBe(404);
    expect(miss.body.detail).toContain("Folder named 'nothing-here' not found");
  });

  it('counts files and bytes per folder, listing files only when asked', async () => {
    const a = await folder('stats-a');
    await folder('stats-empty');
    const one = await upload(a.id, 'one.md', '# One\n\nfirst file');
    const two = await upload(a.id, 'two.md', '# Two\n\nsecond file, a little longer');
    const plain = (await call(h.app, 'GET', '/v1/folders/metadata')).body;
    const sa = plain.sources.find((s: { source_id: string }) => s.source_id === a.id);
    expect(sa).toEqual({ source_id: a.id, source_name: 'stats-a', file_count: 2, total_size: one.file_size + two.file_size, files: [] });
    expect(plain.sources.find((s: { source_name: string }) => s.source_name === 'stats-empty')).toMatchObject({
      file_count: 0,
      total_size: 0,
    });
    expect(plain.total_sources).toBe(plain.sources.length);
    expect(plain.total_files).toBe(plain.sources.reduce((n: number, s: { file_count: number }) => n + s.file_count, 0));
    const detailed = (await call(h.app, 'GET', '/v1/sources/metadata?include_detailed_per_source_metadata=true')).body;
    const da = detailed.sources.find((s: { source_id: string }) => s.source_id === a.id);
    expect(da.files).toEqual([
      { file_id: one.id, file_name: 'stats-a/one.md', file_size: one.file_size },
      { file_id: two.id, file_name: 'stats-a/two.md', file_size: two.file_size },
    ]);
    expect((await call(h.app, 'GET', '/v1/folders/metadata?include_detailed_per_source_metadata=maybe')).status).toBe(422);
  });
});

describe('folders of an agent', () => {
  it('AgentState.sources lists the attached folders, and attach/detach answer with it', async () => {
    const f = await folder('for-agent');
    const agent = await h.createAgent({ name: 'with-sources' });
    expect(agent.sources).toEqual([]);
    const attached = (await call(h.app, 'PATCH', `/v1/agents/${agent.id}/sources/attach/${f.id}`)).body;
    expect(attached.sources).toEqual([expect.objectContaining({ id: f.id, name: 'for-agent', embedding_config: expect.any(Object) })]);
    expect((await call(h.app, 'GET', `/v1/agents/${agent.id}`)).body.sources.map((s: { id: string }) => s.id)).toEqual([f.id]);
    const listed = (await call(h.app, 'GET', '/v1/agents/')).body.find((a: { id: string }) => a.id === agent.id);
    expect(listed.sources.map((s: { id: string }) => s.id)).toEqual([f.id]);
    const detached = (await call(h.app, 'PATCH', `/v1/agents/${agent.id}/folders/detach/${f.id}`)).body;
    expect(detached.sources).toEqual([]);
  });

  it('a file opened by open_files is in the context of the next step of the same turn', async () => {
    const f = await folder('step-window');
    await upload(f.id, 'log.md', '# Ship log\n\nThe albatross landed at dawn.\n\nWe traded copper for salt.');
    const agent = await h.createAgent({ name: 'opener' });
    await call(h.app, 'PATCH', `/v1/agents/${agent.id}/folders/attach/${f.id}`);
    expect((await call(h.app, 'PATCH', `/v1/agents/${agent.id}/files/close-all`)).status).toBe(200);
    h.llm.requests.length = 0;
    h.llm.enqueue(
      { toolCalls: [{ name: 'open_files', arguments: { file_requests: [{ file_name: 'step-window/log.md' }] } }] },
      { text: 'read it' },
    );
    const res = await h.send(agent.id, { messages: [{ role: 'user', content: 'open the log' }] });
    expect(res.status).toBe(200);
    const chats = h.llm.requests.filter((r) => r.path.includes('chat/completions'));
    expect(chats).toHaveLength(2);
    const system = (i: number) => String(chats[i]!.body.messages[0].content);
    expect(system(0)).toContain('<file status="closed" name="step-window/log.md">');
    expect(system(0)).not.toContain('albatross');
    expect(system(1)).toContain('<file status="open" name="step-window/log.md">');
    expect(system(1)).toContain('2: The albatross landed at dawn.');
  });
});

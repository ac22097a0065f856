// Agent files carry folders and files: export lists them as sources/files with the agent's links and window;
// import makes new folders (renamed on a clash) whose files are chunked again and open in the new agent's window.
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call, until } from '../support/http.js';
import { multipartFile } from '../support/multipart.js';

const h = useAgentHarness();

async function waitDone(folderId: string, fileId: string) {
  return until(async () => {
    const f = await call(h.app, 'GET', `/v1/folders/${folderId}/files/${fileId}`);
    return ['completed', 'error'].includes(f.body.processing_status) ? f.body : undefined;
  }, 60_000);
}

describe('folders in agent files', () => {
  it('exports sources, files and files_agents, and imports them into a working file window', async () => {
    const folder = (
      await call(h.app, 'POST', '/v1/folders/', {
        name: 'manuals',
        embedding: 'openai/text-embedding-3-small',
        instructions: 'read me first',
      })
    ).body;
    const mp = multipartFile('pump.md', '# Pump manual\n\nBleed the valve before starting the heron pump.', 'text/markdown');
    const up = await h.app.inject({ method: 'POST', url: `/v1/folders/${folder.id}/upload`, payload: mp.payload, headers: mp.headers });
    expect((await waitDone(folder.id, up.json().id)).processing_status).toBe('completed');
    const agent = await h.createAgent({ name: 'mechanic' });
    expect((await call(h.app, 'PATCH', `/v1/agents/${agent.id}/folders/attach/${folder.id}`)).status).toBe(200);

    const exported = (await call(h.app, 'GET', `/v1/agents/${agent.id}/export`)).body;
    expect(exported.sources).toEqual([expect.objectContaining({ id: 'source-0', name: 'manuals', instructions: 'read me first' })]);
    expect(exported.files).toEqual([
      expect.objectContaining({
        id: 'file-0',
        source_id: 'source-0',
        file_name: 'manuals/pump.md',
        content: expect.stringContaining('heron pump'),
      }),
    ]);
    expect(exported.agents[0].source_ids).toEqual(['source-0']);
    expect(exported.agents[0].files_agents).toEqual([expect.objectContaining({ file_id: 'file-0', source_id: 'source-0', is_open: true })]);

    const imported = await call(h.app, 'POST', '/v1/agents/import', exported);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const newId = imported.body.agent_ids[0];
    const folders = (await call(h.app, 'GET', `/v1/agents/${newId}/folders`)).body;
    expect(folders).toHaveLength(1);
    expect(folders[0].name).toMatch(/^manuals_[0-9a-f]{8}$/);
    const files = (await call(h.app, 'GET', `/v1/folders/${folders[0].id}/files`)).body;
    const done = await waitDone(folders[0].id, files[0].id);
    expect(done).toMatchObject({ processing_status: 'completed', total_chunks: 1, chunks_embedded: 1 });
    const window = (await call(h.app, 'GET', `/v1/agents/${newId}/files`)).body.files;
    expect(window).toEqual([
      expect.objectContaining({
        file_name: 'manuals/pump.md',
        is_open: true,
        visible_content: expect.stringContaining('2: Bleed the valve'),
      }),
    ]);
    const tools = (await call(h.app, 'GET', `/v1/agents/${newId}/tools`)).body.map((t: { name: string }) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['open_files', 'grep_files', 'semantic_search_files']));
  });
});

// One of every resource inside one organization, made through the public API as that organization.
import { expect } from 'vitest';
import type { TestApp } from '../../support/test-app.js';
import { multipartFile } from '../../support/multipart.js';
import { as, type Tenant } from './tenants.js';

export type World = {
  tenant: Tenant;
  /** Resource ids by kind; the walker substitutes them into path, query and body parameters. */
  ids: Record<IdKind, string>;
  blockLabel: string;
  toolName: string;
  tag: string;
  /** Text only this organization wrote: it must never appear in another organization's responses. */
  secret: string;
};

export const ID_KINDS = [
  'agent',
  'block',
  'tool',
  'archive',
  'passage',
  'identity',
  'group',
  'conversation',
  'run',
  'step',
  'message',
  'mcp_server',
  'provider',
  'folder',
  'file',
] as const;
export type IdKind = (typeof ID_KINDS)[number];

/** The id prefix of each kind (ids.ts), for minting ids that exist nowhere. */
export const PREFIX: Record<IdKind, string> = {
  agent: 'agent',
  block: 'block',
  tool: 'tool',
  archive: 'archive',
  passage: 'passage',
  identity: 'identity',
  group: 'group',
  conversation: 'conv',
  run: 'run',
  step: 'step',
  message: 'message',
  mcp_server: 'mcp_server',
  provider: 'provider',
  folder: 'source',
  file: 'file',
};

export const SHARED_TAG = 'team-shared';

async function ok(p: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const res = await p;
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

export async function buildWorld(t: TestApp, who: Tenant): Promise<World> {
  const n = who.name.toLowerCase();
  const secret = `secret-of-${n}-${Math.random().toString(36).slice(2)}`;
  const req = (m: string, url: string, body?: unknown) => ok(as(t, who, m, url, body), `${who.name} ${m} ${url}`);
  const toolName = `tool_of_${n}`;
  const tool = await req('POST', '/v1/tools/', {
    source_type: 'javascript',
    source_code: `export function ${toolName}(x) { return x; }`,
    tags: [secret],
    json_schema: {
      name: toolName,
      description: `echo ${secret}`,
      parameters: { type: 'object', properties: { x: { type: 'string', description: 'input' } }, required: ['x'] },
    },
  });
  const block = await req('POST', '/v1/blocks/', { label: 'shared_notes', value: `notes ${secret}` });
  const agent = await req('POST', '/v1/agents/', {
    name: `agent_of_${n}`,
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    memory_blocks: [{ label: 'persona', value: `persona ${secret}` }],
    block_ids: [block.id],
    tool_ids: [tool.id],
    tags: [SHARED_TAG, secret],
    include_multi_agent_tools: true,
  });
  const mcp = await req('POST', '/v1/mcp-servers/', {
    server_name: `mcp_of_${n}`,
    config: { mcp_server_type: 'streamable_http', server_url: 'http://127.0.0.1:9/mcp' },
  });
  const provider = await req('POST', '/v1/providers/', {
    name: `llm_of_${n}`,
    provider_type: 'openai',
    api_key: `sk-${secret}`,
    base_url: 'http://127.0.0.1:9/v1',
  });
  const archive = await req('POST', '/v1/archives/', { name: `archive_of_${n}`, embedding: 'openai/text-embedding-3-small' });
  const passage = await req('POST', `/v1/archives/${archive.id}/passages`, { text: `passage ${secret}` });
  await req('PATCH', `/v1/agents/${agent.id}/archives/attach/${archive.id}`);
  const folder = await req('POST', '/v1/folders/', { name: `folder_of_${n}`, embedding: 'openai/text-embedding-3-small' });
  const mp = multipartFile('notes.md', `# notes\n${secret}`, 'text/markdown');
  const up = await t.app.inject({
    method: 'POST',
    url: `/v1/folders/${folder.id}/upload`,
    payload: mp.payload,
    headers: { ...who.headers, ...mp.headers },
  });
  expect(up.statusCode, up.body).toBe(200);
  await req('PATCH', `/v1/agents/${agent.id}/folders/attach/${folder.id}`);
  const identity = await req('POST', '/v1/identities/', {
    identifier_key: `user_of_${n}`,
    name: `User ${secret}`,
    identity_type: 'user',
    agent_ids: [agent.id],
    block_ids: [block.id],
  });
  const group = await req('POST', '/v1/groups/', {
    agent_ids: [agent.id],
    description: `group ${secret}`,
    manager_config: { manager_type: 'round_robin', max_turns: 1 },
  });
  const conv = await req('POST', `/v1/conversations/?agent_id=${agent.id}`, {});
  const turn = await req('POST', `/v1/agents/${agent.id}/messages`, { messages: [{ role: 'user', content: `hello ${secret}` }] });
  const runs = await req('GET', `/v1/runs/?agent_id=${agent.id}`);
  const steps = await req('GET', `/v1/runs/${runs[0].id}/steps`);
  const passageId = Array.isArray(passage) ? passage[0].id : passage.id;
  return {
    tenant: who,
    ids: {
      agent: agent.id,
      block: block.id,
      tool: tool.id,
      archive: archive.id,
      passage: passageId,
      identity: identity.id,
      group: group.id,
      conversation: conv.id,
      run: runs[0].id,
      step: steps[0].id,
      message: turn.messages[0].id,
      mcp_server: mcp.id,
      provider: provider.id,
      folder: folder.id,
      file: up.json().id,
    },
    blockLabel: 'persona',
    toolName,
    tag: SHARED_TAG,
    secret,
  };
}

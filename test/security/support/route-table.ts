// How the cross-tenant walker fills each route of the OpenAPI document. A route or parameter it cannot fill fails
// the walk with a message naming the table to extend, so a new route is covered without anyone remembering.
import type { IdKind, World } from './tenant-world.js';

/** Path and query parameters that carry a resource id, by name. */
export const ID_PARAMS: Record<string, IdKind> = {
  agent_id: 'agent',
  block_id: 'block',
  tool_id: 'tool',
  archive_id: 'archive',
  passage_id: 'passage',
  memory_id: 'passage',
  identity_id: 'identity',
  group_id: 'group',
  conversation_id: 'conversation',
  run_id: 'run',
  step_id: 'step',
  message_id: 'message',
  mcp_server_id: 'mcp_server',
  provider_id: 'provider',
  folder_id: 'folder',
  source_id: 'folder',
  file_id: 'file',
};

/** Query parameters carrying a list of ids (sent once, with one id). */
export const ID_LIST_QUERY: Record<string, IdKind> = { agent_ids: 'agent', tool_ids: 'tool', identity_ids: 'identity', block_ids: 'block' };

/** Irregular path parameters: names, not ids. `varies` = the value differs between organizations and is probed. */
export const NAMED_PARAMS: Record<string, { value: (w: World) => string; varies: boolean; missing: string }> = {
  block_label: { value: (w) => w.blockLabel, varies: false, missing: 'no_such_label' },
  tool_name: { value: (w) => w.toolName, varies: true, missing: 'no_such_tool' },
  // Not probed with A's name: the walk's own POST /v1/folders/ probe makes B a folder of that name (B's, rightly found).
  folder_name: { value: (w) => `folder_of_${w.tenant.name.toLowerCase()}`, varies: false, missing: 'no_such_folder' },
  source_name: { value: (w) => `folder_of_${w.tenant.name.toLowerCase()}`, varies: false, missing: 'no_such_folder' },
};

/** Id-looking parameters and body fields that name nothing stored in Mnemo (Letta cloud fields), or cursors. */
export const NOT_RESOURCE_IDS = new Set([
  'project_id',
  'template_id',
  'base_template_id',
  'deployment_id',
  'entity_id',
  'identifier_key',
  'identifier_keys',
  'before',
  'after',
  'otid',
  'return_token_ids',
  'hidden',
  'x_project',
  'project',
]);

/** The operator's API: an organization key gets 403 on every route under it, whatever ids it names. */
export const ADMIN_PREFIX = '/v1/admin/';
export const ADMIN_PARAMS: Record<string, (w: World) => string> = { org_id: (w) => w.tenant.orgId, key_id: (w) => w.tenant.keyId };

/** Query parameters that filter lists by name, tag or text: probed with A's values, the list must stay free of A. */
export const NAME_QUERIES: Record<string, (w: World) => string[]> = {
  name: (w) => [
    `agent_of_${w.tenant.name.toLowerCase()}`,
    `archive_of_${w.tenant.name.toLowerCase()}`,
    `folder_of_${w.tenant.name.toLowerCase()}`,
    w.toolName,
    `mcp_of_${w.tenant.name.toLowerCase()}`,
  ],
  identifier_key: (w) => [`user_of_${w.tenant.name.toLowerCase()}`],
  tags: (w) => [w.secret],
  tag: (w) => [w.secret],
  query_text: (w) => [w.secret],
  query: (w) => [w.secret],
  search: (w) => [w.secret],
};

/** A valid body for routes that need one, so the walker reaches the id lookup instead of a 422. */
export const BODIES: Record<string, (w: World) => unknown> = {
  'PATCH /v1/agents/{agent_id}': () => ({ description: 'changed by another organization' }),
  'POST /v1/agents/{agent_id}/archival-memory': () => ({ text: 'written by another organization' }),
  'PATCH /v1/agents/{agent_id}/core-memory/blocks/{block_label}': () => ({ value: 'overwritten' }),
  'POST /v1/agents/{agent_id}/messages': () => ({ messages: [{ role: 'user', content: 'hi' }] }),
  'POST /v1/agents/{agent_id}/messages/async': () => ({ messages: [{ role: 'user', content: 'hi' }] }),
  'POST /v1/agents/{agent_id}/messages/stream': () => ({ messages: [{ role: 'user', content: 'hi' }] }),
  'POST /v1/agents/{agent_id}/tools/{tool_name}/run': () => ({ args: { x: 'hi' } }),
  'PATCH /v1/agents/{agent_id}/tools/approval/{tool_name}': () => ({ requires_approval: true }),
  'PATCH /v1/archives/{archive_id}': () => ({ name: 'renamed', description: 'changed' }),
  'PATCH /v1/folders/{folder_id}': () => ({ description: 'changed' }),
  'PATCH /v1/sources/{source_id}': () => ({ description: 'changed' }),
  'POST /v1/archives/{archive_id}/passages': () => ({ text: 'written by another organization' }),
  'POST /v1/archives/{archive_id}/passages/batch': () => ({ passages: [{ text: 'written by another organization' }] }),
  'PATCH /v1/blocks/{block_id}': () => ({ value: 'overwritten' }),
  'PATCH /v1/conversations/{conversation_id}': () => ({ summary: 'changed' }),
  'POST /v1/conversations/{conversation_id}/messages': () => ({ messages: [{ role: 'user', content: 'hi' }], streaming: false }),
  'POST /v1/groups/{group_id}/messages': () => ({ messages: [{ role: 'user', content: 'hi' }] }),
  'POST /v1/groups/{group_id}/messages/async': () => ({ messages: [{ role: 'user', content: 'hi' }] }),
  'POST /v1/groups/{group_id}/messages/stream': () => ({ messages: [{ role: 'user', content: 'hi' }] }),
  'PATCH /v1/groups/{group_id}': () => ({ description: 'changed' }),
  'PATCH /v1/identities/{identity_id}': () => ({ name: 'changed' }),
  'PUT /v1/identities/{identity_id}/properties': () => [{ key: 'k', value: 'v', type: 'string' }],
  'PATCH /v1/mcp-servers/{mcp_server_id}': () => ({ server_name: 'renamed' }),
  'POST /v1/mcp-servers/{mcp_server_id}/tools/{tool_id}/run': () => ({ args: {} }),
  'PATCH /v1/steps/{step_id}/feedback': () => ({ feedback: 'positive' }),
  'PATCH /v1/tools/{tool_id}': () => ({ description: 'changed' }),
  'PATCH /v1/providers/{provider_id}': () => ({ api_key: 'sk-overwritten' }),
  'POST /v1/agents/{agent_id}/generate': () => ({ prompt: 'hi' }),
};

/** Required query parameters that are not ids, so the walk reaches the id lookup instead of a 422. */
export const QUERIES: Record<string, string> = {
  'GET /v1/agents/{agent_id}/archival-memory/search': 'query=passage',
};

/**
 * Path parameters that also accept another kind of id or an alias: conversation routes take an agent id (the
 * agent's own thread) or 'default' with agent_id in the query/body.
 */
export const ALIASES: Record<string, { kind: IdKind; alias?: string; via?: string }[]> = {
  conversation_id: [{ kind: 'agent' }, { kind: 'agent', alias: 'default', via: 'agent_id' }],
};

/** Probes for ids inside request bodies: the route's path ids are the prober's own, `a` is the other org's id. */
export type BodyProbe = { prop: string; kind: IdKind; body: (a: string, b: World) => unknown };
const user = (content = 'hi') => [{ role: 'user', content }];
export const BODY_PROBES: Record<string, BodyProbe[]> = {
  'POST /v1/agents/': [
    ...(['tool_ids', 'block_ids', 'identity_ids'] as const).map((prop) => ({
      prop,
      kind: ({ tool_ids: 'tool', block_ids: 'block', identity_ids: 'identity' } as const)[prop],
      body: (a: string) => ({ name: `probe_${prop}`, model: 'openai/gpt-4o-mini', include_base_tools: false, [prop]: [a] }),
    })),
  ],
  'PATCH /v1/agents/{agent_id}': [
    { prop: 'tool_ids', kind: 'tool', body: (a) => ({ tool_ids: [a] }) },
    { prop: 'block_ids', kind: 'block', body: (a) => ({ block_ids: [a] }) },
    { prop: 'identity_ids', kind: 'identity', body: (a) => ({ identity_ids: [a] }) },
    { prop: 'message_ids', kind: 'message', body: (a) => ({ message_ids: [a] }) },
  ],
  'POST /v1/agents/{agent_id}/messages/cancel': [{ prop: 'run_ids', kind: 'run', body: (a) => ({ run_ids: [a] }) }],
  'POST /v1/agents/{agent_id}/export': [{ prop: 'conversation_id', kind: 'conversation', body: (a) => ({ conversation_id: a }) }],
  'POST /v1/conversations/{conversation_id}/messages': [
    { prop: 'agent_id', kind: 'agent', body: (a) => ({ agent_id: a, messages: user(), streaming: false }) },
  ],
  'PATCH /v1/conversations/{conversation_id}': [{ prop: 'agent_id', kind: 'agent', body: (a) => ({ agent_id: a, summary: 'changed' }) }],
  'POST /v1/conversations/{conversation_id}/recompile': [{ prop: 'agent_id', kind: 'agent', body: (a) => ({ agent_id: a }) }],
  // Compaction changes the window, so a probe and its twin could not both succeed: both stop at the body's 422.
  'POST /v1/conversations/{conversation_id}/compact': [
    { prop: 'agent_id', kind: 'agent', body: (a) => ({ agent_id: a, compaction_settings: 'invalid' }) },
  ],
  'POST /v1/conversations/{conversation_id}/stream': [
    { prop: 'agent_id', kind: 'agent', body: (a) => ({ agent_id: a }) },
    { prop: 'run_id', kind: 'run', body: (a) => ({ run_id: a }) },
  ],
  'POST /v1/groups/': [
    {
      prop: 'manager_config',
      kind: 'agent',
      body: (a, b) => ({ agent_ids: [b.ids.agent], manager_config: { manager_type: 'supervisor', manager_agent_id: a } }),
    },
    {
      prop: 'manager_config',
      kind: 'agent',
      body: (a, b) => ({ agent_ids: [b.ids.agent], manager_config: { manager_type: 'sleeptime', manager_agent_id: a } }),
    },
    { prop: 'agent_ids', kind: 'agent', body: (a) => ({ agent_ids: [a] }) },
    { prop: 'shared_block_ids', kind: 'block', body: (a, b) => ({ agent_ids: [b.ids.agent], shared_block_ids: [a] }) },
  ],
  'PATCH /v1/groups/{group_id}': [
    { prop: 'manager_config', kind: 'agent', body: (a) => ({ manager_config: { manager_type: 'supervisor', manager_agent_id: a } }) },
    { prop: 'agent_ids', kind: 'agent', body: (a) => ({ agent_ids: [a] }) },
    { prop: 'shared_block_ids', kind: 'block', body: (a) => ({ shared_block_ids: [a] }) },
  ],
  'POST /v1/identities/': [
    {
      prop: 'agent_ids',
      kind: 'agent',
      body: (a) => ({ identifier_key: 'probe_agents', name: 'p', identity_type: 'user', agent_ids: [a] }),
    },
    {
      prop: 'block_ids',
      kind: 'block',
      body: (a) => ({ identifier_key: 'probe_blocks', name: 'p', identity_type: 'user', block_ids: [a] }),
    },
  ],
  'PUT /v1/identities/': [
    {
      prop: 'agent_ids',
      kind: 'agent',
      body: (a) => ({ identifier_key: 'probe_agents_put', name: 'p', identity_type: 'user', agent_ids: [a] }),
    },
    {
      prop: 'block_ids',
      kind: 'block',
      body: (a) => ({ identifier_key: 'probe_blocks_put', name: 'p', identity_type: 'user', block_ids: [a] }),
    },
  ],
  'PATCH /v1/identities/{identity_id}': [
    { prop: 'agent_ids', kind: 'agent', body: (a) => ({ agent_ids: [a] }) },
    { prop: 'block_ids', kind: 'block', body: (a) => ({ block_ids: [a] }) },
  ],
  'POST /v1/messages/search': [
    { prop: 'agent_id', kind: 'agent', body: (a) => ({ query: 'hello', agent_id: a }) },
    { prop: 'conversation_id', kind: 'conversation', body: (a) => ({ query: 'hello', conversation_id: a }) },
  ],
  'POST /v1/passages/search': [
    { prop: 'agent_id', kind: 'agent', body: (a) => ({ query: 'passage', agent_id: a }) },
    { prop: 'archive_id', kind: 'archive', body: (a) => ({ query: 'passage', archive_id: a }) },
  ],
};

/**
 * Routes with no id in their path, query or body: they act inside the caller's organization by construction.
 * `probe` (optional) exercises a name-keyed route with the other organization's names; the snapshot catches a change.
 */
export const NO_ID_ROUTES: Record<string, { why: string; probe?: (a: World) => { body: unknown } }> = {
  'POST /v1/agents/import': { why: 'ids inside the file: cross-tenant agent-file test' },
  'POST /v1/archives/': {
    why: 'creates in the caller organization',
    probe: (a) => ({ body: { name: `archive_of_${a.tenant.name.toLowerCase()}` } }),
  },
  'POST /v1/folders/': {
    why: 'creates in the caller organization',
    probe: (a) => ({ body: { name: `folder_of_${a.tenant.name.toLowerCase()}`, embedding: 'openai/text-embedding-3-small' } }),
  },
  'POST /v1/sources/': {
    why: 'creates in the caller organization',
    probe: (a) => ({ body: { name: `folder_of_${a.tenant.name.toLowerCase()}`, embedding: 'openai/text-embedding-3-small' } }),
  },
  'POST /v1/blocks/': { why: 'creates in the caller organization', probe: () => ({ body: { label: 'shared_notes', value: 'b' } }) },
  'POST /v1/conversations/': { why: 'the agent comes from the agent_id query parameter (probed as a query id)' },
  'POST /v1/mcp-servers/': {
    why: 'name-keyed create',
    probe: (a) => ({
      body: {
        server_name: `mcp_of_${a.tenant.name.toLowerCase()}`,
        config: { mcp_server_type: 'sse', server_url: 'http://127.0.0.1:9/sse' },
      },
    }),
  },
  'POST /v1/tools/': { why: 'name-keyed create', probe: (a) => ({ body: toolBody(a.toolName) }) },
  'PUT /v1/tools/': {
    why: "name-keyed upsert: must not overwrite the other organization's tool",
    probe: (a) => ({ body: toolBody(a.toolName) }),
  },
  'POST /v1/tools/run': { why: 'runs source code from the body; no stored ids' },
  'POST /v1/tools/add-base-tools': { why: 'writes the built-in tools of the caller organization' },
  'POST /v1/providers/': {
    why: 'name-keyed create',
    probe: (a) => ({
      body: {
        name: `llm_of_${a.tenant.name.toLowerCase()}`,
        provider_type: 'openai',
        api_key: 'sk-probe',
        base_url: 'http://127.0.0.1:9/v1',
      },
    }),
  },
  'POST /v1/providers/check': { why: 'checks the key in the body; no stored ids' },
};

function toolBody(name: string) {
  return {
    source_type: 'javascript',
    source_code: `export function ${name}(x) { return 'hijacked'; }`,
    json_schema: { name, description: 'hijacked', parameters: { type: 'object', properties: { x: { type: 'string' } }, required: ['x'] } },
  };
}

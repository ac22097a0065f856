// Builds agent files (Letta's multi-entity .af format) with our own content, for import/export tests.
type Obj = Record<string, unknown>;

const LLM = {
  model: 'gpt-4o-mini',
  model_endpoint_type: 'openai',
  model_endpoint: 'http://127.0.0.1:9/v1',
  provider_name: 'openai',
  context_window: 32000,
  handle: 'openai/gpt-4o-mini',
  temperature: 0.3,
  put_inner_thoughts_in_kwargs: false,
};
const EMBEDDING = {
  embedding_endpoint_type: 'openai',
  embedding_endpoint: 'http://127.0.0.1:9/v1',
  embedding_model: 'text-embedding-3-small',
  embedding_dim: 1536,
  embedding_chunk_size: 300,
  handle: 'openai/text-embedding-3-small',
};

export function fileBlock(id: string, label: string, value: string): Obj {
  return {
    id,
    label,
    value,
    limit: 5000,
    description: `Notes about the ${label}.`,
    metadata: {},
    read_only: false,
    hidden: null,
    is_template: false,
    preserve_on_migration: false,
  };
}

export const GREET_SOURCE = [
  'def greet_visitor(visitor: str) -> str:',
  '    """',
  '    Say hello to a visitor of the greenhouse.',
  '',
  '    Args:',
  '        visitor (str): Who came in.',
  '    """',
  '    return f"Welcome to the greenhouse, {visitor}!"',
  '',
].join('\n');

export function greetTool(id = 'tool-0', source = GREET_SOURCE): Obj {
  return {
    id,
    name: 'greet_visitor',
    tool_type: 'custom',
    source_type: 'python',
    description: 'Say hello to a visitor of the greenhouse.',
    source_code: source,
    tags: ['greenhouse'],
    return_char_limit: 4000,
    metadata_: {},
    json_schema: {
      name: 'greet_visitor',
      description: 'Say hello to a visitor of the greenhouse.',
      parameters: { type: 'object', properties: { visitor: { type: 'string', description: 'Who came in.' } }, required: ['visitor'] },
    },
  };
}

export function builtinTool(id: string, name: string, toolType = 'letta_core'): Obj {
  return {
    id,
    name,
    tool_type: toolType,
    source_type: 'python',
    source_code: null,
    description: `built-in ${name}`,
    json_schema: { name, description: 'x', parameters: { type: 'object', properties: {} } },
    tags: [],
    metadata_: {},
  };
}

const msg = (id: string, agentId: string, role: string, extra: Obj, minute: number): Obj => ({
  type: 'message',
  id,
  role,
  agent_id: agentId,
  name: null,
  otid: null,
  sender_id: null,
  model: 'gpt-4o-mini',
  tool_calls: null,
  tool_call_id: null,
  tool_returns: [],
  created_at: `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
  ...extra,
});

/** A short gardening chat: system, user, assistant tool call, tool return, assistant reply. */
export function gardenMessages(agentId: string, prefix = 'message'): Obj[] {
  const text = (t: string) => [{ type: 'text', text: t }];
  return [
    msg(`${prefix}-0`, agentId, 'system', { content: text('You are Fern, the greenhouse keeper.') }, 0),
    msg(`${prefix}-1`, agentId, 'user', { content: text('Hi, I am Ada. Can you welcome me?') }, 1),
    msg(
      `${prefix}-2`,
      agentId,
      'assistant',
      {
        content: [{ type: 'reasoning', is_native: true, reasoning: 'I should greet Ada with the tool.' }],
        tool_calls: [{ id: 'call_greet_1', type: 'function', function: { name: 'greet_visitor', arguments: '{"visitor": "Ada"}' } }],
      },
      2,
    ),
    msg(
      `${prefix}-3`,
      agentId,
      'tool',
      {
        content: text('{"status": "OK", "message": "Welcome to the greenhouse, Ada!"}'),
        name: 'greet_visitor',
        tool_call_id: 'call_greet_1',
        tool_returns: [
          {
            tool_call_id: 'call_greet_1',
            status: 'success',
            func_response: '{"status": "OK", "message": "Welcome to the greenhouse, Ada!"}',
            stdout: [],
            stderr: [],
          },
        ],
      },
      3,
    ),
    msg(`${prefix}-4`, agentId, 'assistant', { content: text('Welcome, Ada! The tomatoes are ripe today.') }, 4),
  ];
}

export type FactoryOptions = { name?: string; withMessages?: boolean; env?: Record<string, string> };

/** One agent with two blocks, a custom Python tool and two built-ins, mid-conversation. */
export function makeAgentFile(o: FactoryOptions = {}): Obj {
  const messages = o.withMessages === false ? [] : gardenMessages('agent-0');
  return {
    agents: [
      {
        id: 'agent-0',
        name: o.name ?? 'fern',
        agent_type: 'letta_v1_agent',
        system: 'You are Fern, the greenhouse keeper.',
        description: 'Keeps the greenhouse and greets visitors',
        tags: ['garden'],
        metadata: { origin: 'factory' },
        llm_config: LLM,
        embedding_config: EMBEDDING,
        tool_ids: ['tool-0', 'tool-1', 'tool-2'],
        block_ids: ['block-0', 'block-1'],
        tool_rules: [{ type: 'continue_loop', tool_name: 'conversation_search', prompt_template: null }],
        tool_exec_environment_variables: o.env ?? { GREENHOUSE_KEY: '' },
        secrets: null,
        timezone: 'Europe/Paris',
        message_buffer_autoclear: false,
        in_context_message_ids: messages.map((m) => m.id),
        messages,
        files_agents: [],
        group_ids: [],
        memory_blocks: [],
        tools: [],
        include_base_tools: false,
      },
    ],
    groups: [],
    files: [],
    sources: [],
    mcp_servers: [],
    skills: [],
    blocks: [fileBlock('block-0', 'persona', 'I am Fern. I love tomatoes.'), fileBlock('block-1', 'human', 'Nothing known yet.')],
    tools: [
      greetTool('tool-0'),
      builtinTool('tool-1', 'conversation_search'),
      builtinTool('tool-2', 'memory_replace', 'letta_memory_core'),
    ],
    metadata: { revision_id: 'factory' },
    created_at: '2025-03-01T10:05:00.000Z',
  };
}

/**
 * `makeAgentFile` with a long history: `count` messages, the system prompt first, then the garden chat over and over
 * (user, assistant tool call, tool return, assistant reply; every turn its own tool-call id), a second apart. The
 * system message and the last `inContext` messages are in context.
 */
export function makeLongAgentFile(count: number, o: { inContext?: number; name?: string } = {}): Obj {
  const file = makeAgentFile({ name: o.name ?? 'archivist' }) as any;
  const start = Date.parse('2025-03-01T10:00:00.000Z');
  const garden = gardenMessages('agent-0').slice(1);
  const messages: Obj[] = [{ ...gardenMessages('agent-0')[0], id: 'message-0' }];
  for (let i = 1; i < count; i++) {
    const turn = Math.floor((i - 1) / garden.length);
    const base = garden[(i - 1) % garden.length]!;
    const text = JSON.stringify(base).replaceAll('call_greet_1', `call_greet_${turn}`).replaceAll('Ada', `Ada ${turn}`);
    messages.push({ ...JSON.parse(text), id: `message-${i}`, created_at: new Date(start + i * 1000).toISOString() });
  }
  const tail = messages.slice(Math.max(1, messages.length - (o.inContext ?? 20)));
  file.agents[0].messages = messages;
  file.agents[0].in_context_message_ids = ['message-0', ...tail.map((m) => m.id)];
  return file;
}

/**
 * Two agents sharing one block (`block-0`), each with its own persona, grouped together: round robin by default,
 * or `agent-0` supervising `agent-1`.
 */
export function makeSharedBlockFile(o: { supervisor?: boolean } = {}): Obj {
  const agent = (id: string, name: string, blockIds: string[]) => ({
    id,
    name,
    agent_type: 'letta_v1_agent',
    system: `You are ${name}.`,
    llm_config: LLM,
    embedding_config: EMBEDDING,
    tool_ids: ['tool-0'],
    block_ids: blockIds,
    tool_rules: [],
    tags: [],
    in_context_message_ids: [`${id}-m0`],
    messages: [msg(`${id}-m0`, id, 'system', { content: [{ type: 'text', text: `You are ${name}.` }] }, 0)],
  });
  return {
    agents: [agent('agent-0', 'north', ['block-0', 'block-1']), agent('agent-1', 'south', ['block-0', 'block-2'])],
    groups: [
      o.supervisor
        ? {
            id: 'group-0',
            agent_ids: ['agent-1'],
            description: 'north supervises south',
            manager_config: { manager_type: 'supervisor', manager_agent_id: 'agent-0' },
            shared_block_ids: ['block-0'],
          }
        : {
            id: 'group-0',
            agent_ids: ['agent-0', 'agent-1'],
            description: 'two gardeners',
            manager_config: { manager_type: 'round_robin' },
            shared_block_ids: ['block-0'],
          },
    ],
    blocks: [
      fileBlock('block-0', 'garden_log', 'Planted beans.'),
      fileBlock('block-1', 'persona', 'North side.'),
      fileBlock('block-2', 'persona', 'South side.'),
    ],
    tools: [greetTool('tool-0')],
    files: [],
    sources: [],
    mcp_servers: [],
    skills: [],
    metadata: { revision_id: 'factory' },
    created_at: '2025-03-01T10:05:00.000Z',
  };
}

/**
 * An agent file with every id and timestamp replaced by what it points at (tool names, block labels, message
 * positions), so two exports of equivalent agents compare equal.
 */
export function normalizeAgentFile(file: any): Obj {
  const toolName = new Map<string, string>((file.tools ?? []).map((t: any) => [t.id, t.name]));
  const blockKey = new Map<string, string>((file.blocks ?? []).map((b: any) => [b.id, `${b.label}:${b.value}`]));
  const strip = ({ id: _i, created_at: _c, created_by_id: _b, last_updated_by_id: _u, agent_id: _a, ...rest }: any) => rest;
  return {
    agents: (file.agents ?? []).map((a: any) => {
      const ids = (a.messages ?? []).map((m: any) => m.id);
      return {
        ...strip(a),
        tool_ids: a.tool_ids.map((id: string) => toolName.get(id)).sort(),
        block_ids: a.block_ids.map((id: string) => blockKey.get(id)).sort(),
        in_context_message_ids: a.in_context_message_ids.map((id: string) => ids.indexOf(id)),
        messages: (a.messages ?? []).map(strip),
        group_ids: [],
      };
    }),
    blocks: (file.blocks ?? []).map(strip).sort((x: any, y: any) => `${x.label}:${x.value}`.localeCompare(`${y.label}:${y.value}`)),
    tools: (file.tools ?? []).map(strip).sort((x: any, y: any) => x.name.localeCompare(y.name)),
    mcp_servers: (file.mcp_servers ?? []).map(strip),
    groups: (file.groups ?? []).map(({ id: _i, ...g }: any) => ({
      ...g,
      agent_ids: g.agent_ids.length,
      shared_block_ids: g.shared_block_ids.map((b: string) => blockKey.get(b)),
    })),
    files: file.files ?? [],
    sources: file.sources ?? [],
    skills: file.skills ?? [],
  };
}

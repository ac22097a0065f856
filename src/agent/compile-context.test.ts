import { describe, expect, it } from 'vitest';
import { at } from '../../test/support/at.js';
import { getBuiltinTool } from '../tools/builtin/registry.js';
import { compileSystemMessage, renderToolSchemas, usesLineNumbers } from './compile-context.js';
import { defaultBlockDescription, defaultSystemPrompt } from './prompts.js';
import type { ToolRule } from '../db/tool-rules.schemas.js';
import type { BlockView } from '../tools/tool.js';
import type { ToolView } from './types.js';

const now = new Date('2026-11-25T17:34:56Z');
const blocks: BlockView[] = [
  {
    id: 'block-1',
    label: 'persona',
    value: 'I am Sam.\nI like tea.',
    limit: 5000,
    description: defaultBlockDescription('persona'),
    readOnly: false,
  },
  { id: 'block-2', label: 'human', value: '', limit: 5000, description: defaultBlockDescription('human'), readOnly: false },
  { id: 'block-3', label: 'policies', value: 'Be kind.', limit: 200, description: null, readOnly: true },
];
const toolView = (name: string): ToolView => {
  const t = getBuiltinTool(name)!;
  return { name, description: t.description, jsonSchema: t.jsonSchema, toolType: t.toolType, returnCharLimit: t.returnCharLimit };
};
const stats = {
  messagesInRecall: 12,
  archivalCount: 3,
  lastMemoryEdit: new Date('2026-11-24T09:00:00Z'),
  archivalTags: ['prefs', 'work'],
  agentId: 'agent-123',
};

describe('compileSystemMessage', () => {
  it('renders a letta_v1_agent on an OpenAI model (plain values, no rules)', () => {
    const text = compileSystemMessage({
      system: defaultSystemPrompt('letta_v1_agent'),
      agentType: 'letta_v1_agent',
      blocks,
      toolRules: [],
      stats,
      timezone: 'America/New_York',
      now,
      modelEndpointType: 'openai',
    });
    expect(text).toMatchSnapshot();
  });

  it('renders a memgpt_v2_agent on Anthropic with line numbers and tool rules', () => {
    const rules: ToolRule[] = [
      { tool_name: 'send_message', type: 'exit_loop' },
      { tool_name: 'conversation_search', type: 'continue_loop' },
      { tool_name: 'conversation_search', type: 'max_count_per_step', max_count_limit: 3 },
      { tool_name: 'memory_insert', type: 'required_before_exit' },
    ];
    const text = compileSystemMessage({
      system: defaultSystemPrompt('memgpt_v2_agent'),
      agentType: 'memgpt_v2_agent',
      blocks: blocks.slice(0, 2),
      toolRules: rules,
      stats: { messagesInRecall: 0, archivalCount: 0, lastMemoryEdit: null },
      timezone: 'UTC',
      now,
      modelEndpointType: 'anthropic',
    });
    expect(text).toMatchSnapshot();
  });

  it('substitutes {CORE_MEMORY} in a custom prompt instead of appending', () => {
    const text = compileSystemMessage({
      system: 'Before.\n{CORE_MEMORY}\nAfter.',
      agentType: 'letta_v1_agent',
      blocks: [],
      toolRules: [],
      stats: { messagesInRecall: 1, archivalCount: 0, lastMemoryEdit: null },
      timezone: 'UTC',
      now,
    });
    expect(text).toBe(
      'Before.\n<memory_metadata>\n- Current time (when this prompt was compiled): 2026-11-25 05:34:56 PM UTC+0000\n' +
        '- Memory blocks last edited: never\n' +
        '- Recall memory holds 1 earlier message(s) that are out of view; find them with conversation_search\n' +
        '</memory_metadata>\nAfter.',
    );
  });

  it('leaves blocks out for react agents and rules for tools that are not attached', () => {
    const text = compileSystemMessage({
      system: 'S',
      agentType: 'react_agent',
      blocks,
      tools: [toolView('send_message')],
      toolRules: [{ tool_name: 'ghost', type: 'exit_loop' }],
      stats,
      timezone: 'UTC',
      now,
    });
    expect(text).not.toContain('<memory_blocks>');
    expect(text).not.toContain('<tool_usage_rules>');
    expect(text.startsWith('S\n\n<memory_metadata>')).toBe(true);
  });

  it('numbers lines only for Anthropic models of the newer agent types', () => {
    expect(usesLineNumbers('letta_v1_agent', 'anthropic')).toBe(true);
    expect(usesLineNumbers('sleeptime_agent', 'anthropic')).toBe(true);
    expect(usesLineNumbers('memgpt_agent', 'anthropic')).toBe(false);
    expect(usesLineNumbers('letta_v1_agent', 'openai')).toBe(false);
  });
});

describe('renderToolSchemas', () => {
  const tools = ['send_message', 'conversation_search'].map(toolView);
  const rules: ToolRule[] = [{ tool_name: 'send_message', type: 'exit_loop' }];

  it('adds a required request_heartbeat to non-terminal tools of heartbeat agents', () => {
    const rendered = renderToolSchemas(tools, 'memgpt_v2_agent', rules);
    const [send, search] = [at(rendered, 0), at(rendered, 1)];
    expect(send.function.parameters.properties).not.toHaveProperty('request_heartbeat');
    expect(search.type).toBe('function');
    expect(search.function.parameters.properties.request_heartbeat).toMatchObject({ type: 'boolean' });
    expect(search.function.parameters.required).toEqual(['request_heartbeat']);
  });
  it('leaves letta_v1_agent tools untouched and does not mutate the stored schema', () => {
    const rendered = renderToolSchemas(tools, 'letta_v1_agent', rules);
    expect(rendered.map((t) => t.function)).toEqual(tools.map((t) => t.jsonSchema));
    renderToolSchemas(tools, 'memgpt_agent');
    expect(at(tools, 1).jsonSchema.parameters.properties).not.toHaveProperty('request_heartbeat');
  });
});

describe('default prompts', () => {
  it('has a distinct prompt per loop family and descriptions only for persona/human', () => {
    const names = ['letta_v1_agent', 'memgpt_agent', 'memgpt_v2_agent', 'sleeptime_agent', 'react_agent'];
    expect(new Set(names.map(defaultSystemPrompt)).size).toBe(5);
    expect(defaultSystemPrompt('workflow_agent')).toBe(defaultSystemPrompt('react_agent'));
    expect(defaultSystemPrompt('memgpt_agent')).toContain('core_memory_append');
    expect(defaultBlockDescription('notes')).toBeNull();
  });
});

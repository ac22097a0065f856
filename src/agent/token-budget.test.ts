import { describe, expect, it } from 'vitest';
import { getBuiltinTool } from '../tools/builtin/registry.js';
import { compileSystemMessage, renderToolSchemas } from './compile-context.js';
import { defaultSystemPrompt } from './prompts.js';
import {
  contextBreakdown,
  countMessageTokens,
  countTokens,
  countToolTokens,
  extractBasePrompt,
  TOKENS_PER_MESSAGE,
  TOKENS_REPLY_PRIMER,
} from './token-budget.js';

describe('countTokens', () => {
  it('counts with o200k_base', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
  });
  it('is fast once the encoder is loaded', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(2000);
    const start = performance.now();
    expect(countTokens(text)).toBeGreaterThan(10_000);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('countMessageTokens and countToolTokens', () => {
  it('adds per-message framing and the reply primer', () => {
    const content = countTokens('hello world');
    const n = countMessageTokens([{ role: 'user', content: 'hello world' }]);
    expect(n).toBe(TOKENS_REPLY_PRIMER + TOKENS_PER_MESSAGE + countTokens('user') + content);
    expect(countMessageTokens([])).toBe(0);
  });
  it('counts tool calls and content parts', () => {
    const plain = countMessageTokens([{ role: 'assistant', content: null }]);
    const withCall = countMessageTokens([
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', function: { name: 'x', arguments: '{}' } }] },
    ]);
    expect(withCall).toBeGreaterThan(plain);
    expect(countMessageTokens([{ role: 'user', content: [{ type: 'text', text: 'hello world' }] }])).toBe(
      countMessageTokens([{ role: 'user', content: 'hello world' }]),
    );
  });
  it('counts tool schemas, zero for none', () => {
    expect(countToolTokens([])).toBe(0);
    const tool = getBuiltinTool('send_message')!;
    expect(countToolTokens([{ type: 'function', function: tool.jsonSchema }])).toBeGreaterThan(20);
  });
});

describe('contextBreakdown', () => {
  const system = compileSystemMessage({
    system: defaultSystemPrompt('letta_v1_agent'),
    agentType: 'letta_v1_agent',
    blocks: [{ id: 'b', label: 'human', value: 'Bob', limit: 100, description: null, readOnly: false }],
    toolRules: [{ tool_name: 'conversation_search', type: 'max_count_per_step', max_count_limit: 1 }],
    stats: { messagesInRecall: 0, archivalCount: 0, lastMemoryEdit: null },
    timezone: 'UTC',
    now: new Date('2026-01-01T00:00:00Z'),
  });
  it('splits the system message into its sections and sums everything', () => {
    const tools = renderToolSchemas(
      ['conversation_search'].map((n) => {
        const t = getBuiltinTool(n)!;
        return { name: n, description: t.description, jsonSchema: t.jsonSchema, toolType: t.toolType, returnCharLimit: 1 };
      }),
      'letta_v1_agent',
    );
    const b = contextBreakdown({ systemMessage: system, tools, messages: [{ role: 'user', content: 'hi' }], summary: 'old talk' });
    expect(b.systemPrompt.text.startsWith('<base_instructions>')).toBe(true);
    expect(b.systemPrompt.text.endsWith('</base_instructions>')).toBe(true);
    expect(b.coreMemory.text).toMatch(/^<memory_blocks>\nThese memory blocks[\s\S]*Bob[\s\S]*<\/memory_blocks>$/);
    expect(b.toolUsageRules.text).toContain('at most 1 time(s)');
    expect(b.memoryMetadata.text.startsWith('<memory_metadata>')).toBe(true);
    expect(b.directories).toEqual({ text: '', tokens: 0 });
    expect(b.messages.count).toBe(1);
    const parts = [b.systemPrompt, b.coreMemory, b.toolUsageRules, b.memoryMetadata, b.summary, b.functionDefinitions, b.messages];
    expect(b.total).toBe(parts.reduce((s, p) => s + p.tokens, 0));
  });
  it('is not fooled by prose that mentions a section tag', () => {
    const text = '<base_instructions>\nSee <memory_blocks> below.\n</base_instructions>\n\n<memory_blocks>\nX\n</memory_blocks>';
    expect(contextBreakdown({ systemMessage: text, tools: [], messages: [] }).coreMemory.text).toBe('<memory_blocks>\nX\n</memory_blocks>');
    expect(extractBasePrompt('Mention <memory_blocks> here.\n\n<memory_blocks>\nX\n</memory_blocks>')).toBe(
      'Mention <memory_blocks> here.',
    );
  });
  it('uses the text before the first section as the base prompt for custom prompts', () => {
    expect(extractBasePrompt('Be brief.\n\n<memory_blocks>\n</memory_blocks>')).toBe('Be brief.');
    expect(extractBasePrompt('Only text')).toBe('Only text');
  });
});

import { describe, expect, it } from 'vitest';
import { runBuiltinTool, type BuiltinTool } from '../tool.js';
import { createInMemoryContext } from './in-memory-context.js';
import { BUILTIN_TOOLS, baseToolNamesFor, baseToolRulesFor, getBuiltinTool, shouldIncludeBaseToolRules } from './registry.js';

const tool = (name: string) => getBuiltinTool(name) as BuiltinTool;
const at = (iso: string) => new Date(iso);

describe('send_message', () => {
  it('confirms delivery', async () => {
    const r = await runBuiltinTool(tool('send_message'), { message: 'hi 👋' }, createInMemoryContext({}));
    expect(r).toEqual({ status: 'success', value: 'Sent message successfully.' });
  });
  it('requires a message', async () => {
    expect((await runBuiltinTool(tool('send_message'), {}, createInMemoryContext({}))).status).toBe('error');
  });
});

describe('archival memory tools', () => {
  it('archival_memory_insert stores one passage with tags and returns nothing', async () => {
    const ctx = createInMemoryContext({});
    const r = await runBuiltinTool(tool('archival_memory_insert'), { content: 'Bob likes tea', tags: ['prefs'] }, ctx);
    expect(r).toEqual({ status: 'success', value: null });
    expect(ctx.passages).toMatchObject([{ content: 'Bob likes tea', tags: ['prefs'] }]);
  });
  it('archival_memory_insert refuses blank content', async () => {
    const r = await runBuiltinTool(tool('archival_memory_insert'), { content: '  ' }, createInMemoryContext({}));
    expect(r).toEqual({ status: 'error', value: 'content must not be empty.' });
  });

  const passages = [
    { id: 'passage-1', timestamp: at('2026-01-10T15:00:00Z'), content: 'tea at noon', tags: ['a', 'b'] },
    { id: 'passage-2', timestamp: at('2026-01-12T03:00:00Z'), content: 'tea at night', tags: ['a'] },
  ];

  it('archival_memory_search returns hits with timestamps in the agent timezone and defaults to 5', async () => {
    const ctx = createInMemoryContext({ passages, timezone: 'America/New_York' });
    const r = await runBuiltinTool(tool('archival_memory_search'), { query: 'tea' }, ctx);
    expect(r.value).toEqual([
      { id: 'passage-1', timestamp: '2026-01-10T10:00:00-05:00', content: 'tea at noon', tags: ['a', 'b'] },
      { id: 'passage-2', timestamp: '2026-01-11T22:00:00-05:00', content: 'tea at night', tags: ['a'] },
    ]);
    expect(ctx.lastArchivalQuery).toMatchObject({ topK: 5, tagMatchMode: 'any' });
  });
  it('archival_memory_search passes tags and whole-day date bounds in the agent timezone', async () => {
    const ctx = createInMemoryContext({ passages, timezone: 'America/New_York' });
    const r = await runBuiltinTool(
      tool('archival_memory_search'),
      { query: 'tea', tags: ['b', 'a'], tag_match_mode: 'all', start_datetime: '2026-01-10', end_datetime: '2026-01-10' },
      ctx,
    );
    expect((r.value as Array<{ id: string }>).map((h) => h.id)).toEqual(['passage-1']);
    expect(ctx.lastArchivalQuery?.startDatetime?.toISOString()).toBe('2026-01-10T05:00:00.000Z');
    expect(ctx.lastArchivalQuery?.endDatetime?.toISOString()).toBe('2026-01-11T04:59:59.999Z');
  });
  it('archival_memory_search returns an empty list for a blank query', async () => {
    const r = await runBuiltinTool(tool('archival_memory_search'), { query: ' ' }, createInMemoryContext({ passages }));
    expect(r).toEqual({ status: 'success', value: [] });
  });
  it('archival_memory_search rejects a malformed date', async () => {
    const r = await runBuiltinTool(tool('archival_memory_search'), { query: 'x', start_datetime: 'Jan 5' }, createInMemoryContext({}));
    expect(r.value).toBe('Invalid start_datetime format: Jan 5. Use ISO 8601 format (YYYY-MM-DD or YYYY-MM-DDTHH:MM)');
  });
});

describe('conversation_search', () => {
  const messages = [
    { id: 'message-1', date: at('2026-01-15T11:59:30Z'), role: 'user', text: '{"type": "user_message", "message": "I love tea"}' },
    { id: 'message-2', date: at('2026-01-15T09:00:00Z'), role: 'assistant', text: 'Tea is great' },
    { id: 'message-3', date: at('2026-01-10T12:00:00Z'), role: 'tool', text: 'tea tool output' },
  ];
  it('formats hits with timestamp, time_ago and unpacked JSON envelopes, skipping tool messages', async () => {
    const r = await runBuiltinTool(tool('conversation_search'), { query: 'tea' }, createInMemoryContext({ messages }));
    expect(r.value).toEqual({
      message: 'Showing 2 results:',
      results: [
        { timestamp: '2026-01-15T11:59:30+00:00', time_ago: '30s ago', role: 'user', type: 'user_message', message: 'I love tea' },
        { timestamp: '2026-01-15T09:00:00+00:00', time_ago: '3h ago', role: 'assistant', content: 'Tea is great' },
      ],
    });
  });
  it('reports no results', async () => {
    const r = await runBuiltinTool(tool('conversation_search'), { query: 'coffee' }, createInMemoryContext({ messages }));
    expect(r.value).toEqual({ message: 'No results found.', results: [] });
  });
  it('passes roles, limit and date bounds through', async () => {
    const ctx = createInMemoryContext({ messages });
    await runBuiltinTool(
      tool('conversation_search'),
      { roles: ['user'], limit: 2, start_date: '2026-01-01', end_date: '2026-01-15T10:00' },
      ctx,
    );
    expect(ctx.lastRecallQuery).toEqual({
      query: undefined,
      roles: ['user'],
      limit: 2,
      startDate: at('2026-01-01T00:00:00Z'),
      endDate: at('2026-01-15T10:00:00Z'),
    });
  });
  it('rejects a malformed end_date', async () => {
    const r = await runBuiltinTool(tool('conversation_search'), { end_date: '2026-13-01' }, createInMemoryContext({}));
    expect(r.value).toBe('Invalid end_date format: 2026-13-01. Use ISO 8601 format (YYYY-MM-DD or YYYY-MM-DDTHH:MM)');
  });
});

describe('registry and base tools', () => {
  it('lists every built-in once, with plain OpenAI schemas', () => {
    const names = BUILTIN_TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const t of BUILTIN_TOOLS) {
      expect(t.jsonSchema.name).toBe(t.name);
      expect(t.jsonSchema.parameters.type).toBe('object');
      expect(JSON.stringify(t.jsonSchema)).not.toMatch(/\$schema|9007199254740991/);
    }
    expect(getBuiltinTool('memory_insert')?.jsonSchema.parameters.required).toEqual(['label', 'new_string']);
  });
  it('gives each agent type its base tools', () => {
    expect(baseToolNamesFor('letta_v1_agent')).toEqual(['conversation_search', 'memory_replace', 'memory_insert']);
    expect(baseToolNamesFor('memgpt_v2_agent')).toEqual(['send_message', 'conversation_search', 'memory_replace', 'memory_insert']);
    expect(baseToolNamesFor('memgpt_agent')).toEqual(['send_message', 'conversation_search', 'core_memory_append', 'core_memory_replace']);
    expect(baseToolNamesFor('sleeptime_agent')).toEqual(['memory_replace', 'memory_insert', 'memory_rethink', 'memory_finish_edits']);
    expect(baseToolNamesFor('react_agent')).toEqual([]);
    expect(baseToolNamesFor('memgpt_v2_agent', { enableSleeptime: true })).toEqual([
      'send_message',
      'conversation_search',
      'archival_memory_search',
    ]);
    expect(baseToolNamesFor('letta_v1_agent', { enableSleeptime: true })).toEqual(['conversation_search', 'archival_memory_search']);
    for (const t of ['letta_v1_agent', 'memgpt_agent', 'sleeptime_agent']) {
      expect(baseToolNamesFor(t).every((n) => getBuiltinTool(n))).toBe(true);
    }
  });
  it('makes send_message and memory_finish_edits terminal and other built-ins continue', () => {
    expect(baseToolRulesFor(['send_message', 'conversation_search', 'memory_finish_edits', 'my_custom_tool'])).toEqual([
      { tool_name: 'send_message', type: 'exit_loop' },
      { tool_name: 'conversation_search', type: 'continue_loop' },
      { tool_name: 'memory_finish_edits', type: 'exit_loop' },
    ]);
  });
  it('resolves include_base_tool_rules like Letta', () => {
    expect(shouldIncludeBaseToolRules({ agentType: 'letta_v1_agent' })).toBe(false);
    expect(shouldIncludeBaseToolRules({ agentType: 'memgpt_v2_agent', model: 'openai/gpt-4o' })).toBe(true);
    expect(shouldIncludeBaseToolRules({ agentType: 'memgpt_v2_agent', model: 'openai/gpt-5' })).toBe(false);
    expect(shouldIncludeBaseToolRules({ agentType: 'memgpt_v2_agent', model: 'openai/gpt-5-mini' })).toBe(true);
    expect(shouldIncludeBaseToolRules({ agentType: 'sleeptime_agent', includeBaseToolRules: false })).toBe(true);
    expect(shouldIncludeBaseToolRules({ agentType: 'memgpt_agent', includeBaseToolRules: false })).toBe(false);
  });
});

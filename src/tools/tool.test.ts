import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInMemoryContext } from './builtin/in-memory-context.js';
import {
  defineTool,
  mergePrefilledArgs,
  packageToolReturn,
  runBuiltinTool,
  stringifyToolValue,
  ToolInputError,
  truncateToolReturn,
} from './tool.js';

const now = new Date('2026-11-25T12:34:56Z');

describe('packageToolReturn', () => {
  it('renders Letta-style JSON with the time in the agent timezone', () => {
    expect(packageToolReturn('OK', 'done', 'UTC', now)).toBe(
      '{"status": "OK", "message": "done", "time": "2026-11-25 12:34:56 PM UTC+0000"}',
    );
    expect(packageToolReturn('Failed', null, 'America/New_York', now)).toBe(
      '{"status": "Failed", "message": null, "time": "2026-11-25 07:34:56 AM EST-0500"}',
    );
  });
  it('keeps object messages as nested JSON and leaves non-ASCII unescaped', () => {
    expect(packageToolReturn('OK', { results: [{ a: 'é' }] }, 'Asia/Kolkata', now)).toBe(
      '{"status": "OK", "message": {"results": [{"a": "é"}]}, "time": "2026-11-25 06:04:56 PM UTC+0530"}',
    );
  });
});

describe('truncateToolReturn and stringifyToolValue', () => {
  it('leaves short text alone and notes the cut on long text', () => {
    expect(truncateToolReturn('abc', 3)).toBe('abc');
    expect(truncateToolReturn('abcdef', 3)).toBe('abc... [NOTE: output cut off at 3 characters; the full output had 6]');
  });
  it('shows null as None and objects as JSON', () => {
    expect(stringifyToolValue(null)).toBe('None');
    expect(stringifyToolValue('x')).toBe('x');
    expect(stringifyToolValue([{ id: 1 }])).toBe('[{"id": 1}]');
  });
});

describe('defineTool and runBuiltinTool', () => {
  const echo = defineTool({
    name: 'echo',
    description: 'Echo text back.',
    toolType: 'letta_builtin',
    args: z.object({ text: z.string().describe('What to echo.'), times: z.number().int().default(1) }),
    run: ({ text, times }) => {
      if (text === 'bad') throw new ToolInputError('bad text');
      if (text === 'boom') throw new TypeError('exploded');
      return text.repeat(times);
    },
  });
  const ctx = createInMemoryContext({});

  it('builds a plain OpenAI function schema from zod args', () => {
    expect(echo.jsonSchema).toEqual({
      name: 'echo',
      description: 'Echo text back.',
      parameters: {
        type: 'object',
        properties: { text: { type: 'string', description: 'What to echo.' }, times: { type: 'integer', default: 1 } },
        required: ['text'],
      },
    });
    expect(echo.returnCharLimit).toBe(50_000);
    expect(echo.parallelSafe).toBe(false);
  });
  it('returns success, model errors and unexpected errors as results', async () => {
    expect(await runBuiltinTool(echo, { text: 'ab', times: 2 }, ctx)).toEqual({ status: 'success', value: 'abab' });
    expect(await runBuiltinTool(echo, { text: 'bad' }, ctx)).toEqual({ status: 'error', value: 'bad text' });
    expect(await runBuiltinTool(echo, { text: 'boom' }, ctx)).toEqual({
      status: 'error',
      value: 'Error executing function echo: TypeError: exploded',
    });
    expect((await runBuiltinTool(echo, { text: 3 }, ctx)).value).toMatch(/^Invalid arguments for echo: text: /);
  });
});

describe('mergePrefilledArgs', () => {
  const params = {
    type: 'object' as const,
    properties: { q: { type: 'string' }, n: { type: 'integer' }, mode: { type: 'string', enum: ['a', 'b'] } },
  };
  it('lets prefilled values win over the model', () => {
    expect(mergePrefilledArgs({ q: 'fixed' }, { q: 'model', n: 2 }, params, 'InitToolRule(x)')).toEqual({
      ok: true,
      args: { q: 'fixed', n: 2 },
    });
  });
  it('refuses unknown keys, wrong types and values outside an enum', () => {
    expect(mergePrefilledArgs({ zz: 1, n: 'two', mode: 'c' }, {}, params, 'InitToolRule(x)')).toEqual({
      ok: false,
      error:
        "Invalid prefilled tool arguments from tool rules (source=InitToolRule(x)): unknown argument 'zz'; argument 'n' does not match its schema; argument 'mode' does not match its schema",
    });
  });
});

import { describe, expect, it } from 'vitest';
import { mcpToolToJsonSchema } from './tool-schema.js';

describe('mcpToolToJsonSchema', () => {
  it('keeps a complete schema as it is, minus $schema', () => {
    const inputSchema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { a: { type: 'number' } },
      required: ['a'],
    };
    expect(mcpToolToJsonSchema({ name: 'add', description: 'Add', inputSchema })).toEqual({
      name: 'add',
      description: 'Add',
      parameters: { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] },
    });
    expect(inputSchema.$schema).toBeDefined();
  });

  it('fills in type, properties and description when the server leaves them out', () => {
    expect(mcpToolToJsonSchema({ name: 'ping', inputSchema: { required: 'nope' } })).toEqual({
      name: 'ping',
      description: '',
      parameters: { type: 'object', properties: {} },
    });
    expect(mcpToolToJsonSchema({ name: 'bare' }).parameters).toEqual({ type: 'object', properties: {} });
  });
});

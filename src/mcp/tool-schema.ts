// Converts an MCP tool into an OpenAI function definition the LLM adapters understand.
import type { McpFunctionSchema } from './types.js';

type McpToolLike = { name: string; description?: string; inputSchema?: unknown };

export function mcpToolToJsonSchema(tool: McpToolLike): McpFunctionSchema {
  return { name: tool.name, description: tool.description ?? '', parameters: normaliseParameters(tool.inputSchema) };
}

/** OpenAI rejects parameter schemas without `type: 'object'` and `properties`; MCP servers often omit them. */
function normaliseParameters(input: unknown): Record<string, unknown> {
  const schema: Record<string, unknown> = isRecord(input) ? structuredClone(input) : {};
  delete schema.$schema;
  schema.type = 'object';
  if (!isRecord(schema.properties)) schema.properties = {};
  if (schema.required !== undefined && !Array.isArray(schema.required)) delete schema.required;
  return schema;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

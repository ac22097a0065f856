// The built-in tool contract: data (name, description, zod args) plus one `run` function, and the helpers that
// turn a run into the text the model sees.
import { z } from 'zod';
import { formatLettaTime } from './builtin/time-format.js';
import type { WebAccess } from './web/web-access.js';

/** A memory block as the context compiler and the memory tools see it. */
export type BlockView = {
  id: string;
  label: string;
  value: string;
  limit: number;
  description: string | null;
  readOnly: boolean;
  hidden?: boolean | null;
};

/** OpenAI function schema without the `{type:"function"}` wrapper (Letta's `json_schema`). */
export type FunctionSchema = {
  name: string;
  description?: string;
  parameters: { type: 'object'; properties: Record<string, unknown>; required?: string[]; [k: string]: unknown };
  [k: string]: unknown;
};

export type BuiltinToolType = 'letta_core' | 'letta_memory_core' | 'letta_sleeptime_core' | 'letta_multi_agent_core' | 'letta_builtin';

/** Synchronous view over an in-memory snapshot of the agent's blocks; the loop persists changed blocks afterwards. */
export type MemoryAccess = {
  labels(): string[];
  get(label: string): BlockView | undefined;
  set(label: string, value: string): void;
};

/**
 * Changes to which blocks an agent has (the unified `memory` tool's create/delete/rename), written at once and
 * reflected in `memory` for the rest of the step. Failures the model can fix come back as ToolInputError.
 */
export type BlockStructureAccess = {
  create(b: { label: string; value: string; description: string }): Promise<BlockView>;
  /** Detaches the block; the block itself is deleted when no other agent holds it. */
  remove(label: string): Promise<void>;
  relabel(label: string, newLabel: string): Promise<BlockView>;
  describe(label: string, description: string): Promise<BlockView>;
};

export type ArchivalHit = { id: string; timestamp: Date; content: string; tags: string[] };
export type ArchivalAccess = {
  insert(text: string, tags?: string[]): Promise<{ ids: string[] }>;
  /** Tag filtering must happen before `topK` is applied (Letta filters after the limit; we do not). */
  search(q: {
    query: string;
    tags?: string[];
    tagMatchMode?: 'any' | 'all';
    topK?: number;
    startDatetime?: Date;
    endDatetime?: Date;
  }): Promise<ArchivalHit[]>;
};

export type RecallHit = { id: string; date: Date; role: string; text: string };
export type RecallAccess = {
  search(q: { query?: string; roles?: string[]; limit?: number; startDate?: Date; endDate?: Date }): Promise<RecallHit[]>;
};

export type ToolContext = {
  agentId: string;
  timezone: string;
  now(): Date;
  memory: MemoryAccess;
  /** Absent where blocks cannot be created or removed (replays, dry runs). */
  structure?: BlockStructureAccess;
  archival: ArchivalAccess;
  recall: RecallAccess;
  /** fetch_webpage and web_search (src/tools/web/web-access.ts); absent where the loop was built without it. */
  web?: WebAccess;
};

/** The model's mistake (bad label, text not found…): reported back to it as a failed tool result. */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}

const DEFAULT_RETURN_CHAR_LIMIT = 50_000;

export type BuiltinTool<A extends z.ZodObject = z.ZodObject> = {
  name: string;
  description: string;
  toolType: BuiltinToolType;
  args: A;
  parallelSafe: boolean;
  returnCharLimit: number;
  jsonSchema: FunctionSchema;
  /** Returns a string, a JSON-able object, or null (shown to the model as "None", like Letta). */
  run(args: z.infer<A>, ctx: ToolContext): Promise<unknown> | unknown;
};

export function defineTool<A extends z.ZodObject>(def: {
  name: string;
  description: string;
  toolType: BuiltinToolType;
  args: A;
  parallelSafe?: boolean;
  returnCharLimit?: number;
  run(args: z.infer<A>, ctx: ToolContext): Promise<unknown> | unknown;
}): BuiltinTool<A> {
  return {
    ...def,
    parallelSafe: def.parallelSafe ?? false,
    returnCharLimit: def.returnCharLimit ?? DEFAULT_RETURN_CHAR_LIMIT,
    jsonSchema: toFunctionSchema(def.name, def.description, def.args),
  };
}

/** zod args → plain OpenAI function schema (no `$schema`, no `additionalProperties` noise at the top). */
export function toFunctionSchema(name: string, description: string, args: z.ZodObject): FunctionSchema {
  const raw = stripSafeIntBounds(z.toJSONSchema(args, { io: 'input', unrepresentable: 'any' })) as Record<string, unknown>;
  const { $schema: _schema, additionalProperties: _extra, ...rest } = raw;
  const parameters = { type: 'object' as const, properties: {}, ...rest } as FunctionSchema['parameters'];
  if (Array.isArray(parameters.required) && parameters.required.length === 0) delete parameters.required;
  return { name, description, parameters };
}

/** zod's `.int()` emits ±2^53 bounds on every integer; they are noise to a model. */
function stripSafeIntBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSafeIntBounds);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'maximum' || k === 'minimum') && Math.abs(Number(v)) === Number.MAX_SAFE_INTEGER) continue;
    out[k] = stripSafeIntBounds(v);
  }
  return out;
}

export type ToolRunResult = { status: 'success' | 'error'; value: unknown };

/** Validates args, runs the tool and converts every failure into an error result the model can read. */
export async function runBuiltinTool(tool: BuiltinTool, rawArgs: unknown, ctx: ToolContext): Promise<ToolRunResult> {
  const parsed = tool.args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ');
    return { status: 'error', value: `Invalid arguments for ${tool.name}: ${detail}` };
  }
  try {
    return { status: 'success', value: await tool.run(parsed.data, ctx) };
  } catch (err) {
    if (err instanceof ToolInputError) return { status: 'error', value: err.message };
    const e = err instanceof Error ? err : new Error(String(err));
    return { status: 'error', value: `Error executing function ${tool.name}: ${e.name}: ${e.message}`.slice(0, 1000) };
  }
}

/** Text form of a tool value before packaging: null → "None", objects → JSON, strings unchanged. */
export function stringifyToolValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  return typeof value === 'string' ? value : pyJson(value);
}

/**
 * Letta's tool message text: `{"status": "OK", "message": …, "time": "…"}` with Python `json.dumps` spacing
 * (`", "` and `": "`), which models trained on Letta transcripts have seen.
 */
export function packageToolReturn(status: 'OK' | 'Failed', message: unknown, timezone: string, now: Date): string {
  return pyJson({ status, message: message ?? null, time: formatLettaTime(now, timezone) });
}

/** JSON with Python's default separators; non-ASCII left as is. */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pyJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Cuts an over-long tool output to `limit` chars and says so, so the model knows it saw only part of it. */
export function truncateToolReturn(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}... [NOTE: output cut off at ${limit} characters; the full output had ${text.length}]`;
}

type PropSchema = { type?: string | string[]; enum?: unknown[]; anyOf?: PropSchema[] };

/**
 * Merges tool-rule prefilled args over the model's args (prefill wins) after a light check against the tool's
 * parameter schema: unknown keys, wrong primitive types and values outside an enum are refused.
 */
export function mergePrefilledArgs(
  prefill: Record<string, unknown>,
  modelArgs: Record<string, unknown>,
  parameters: FunctionSchema['parameters'],
  source: string,
): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  const props = parameters.properties as Record<string, PropSchema>;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(prefill)) {
    const prop = props[key];
    if (!prop) problems.push(`unknown argument '${key}'`);
    else if (!valueFits(prop, value)) problems.push(`argument '${key}' does not match its schema`);
  }
  if (problems.length) {
    return { ok: false, error: `Invalid prefilled tool arguments from tool rules (source=${source}): ${problems.join('; ')}` };
  }
  return { ok: true, args: { ...modelArgs, ...prefill } };
}

function valueFits(prop: PropSchema, value: unknown): boolean {
  if (prop.anyOf) return prop.anyOf.some((p) => valueFits(p, value));
  if (prop.enum && !prop.enum.some((e) => e === value)) return false;
  const types = prop.type === undefined ? [] : Array.isArray(prop.type) ? prop.type : [prop.type];
  return types.length === 0 || types.some((t) => typeFits(t, value));
}

function typeFits(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

// Pure compiler for the system message the model sees, plus the tool list sent alongside it.
//
// Layout (Letta-compatible tags so /context can extract sections):
//   <system prompt, with {CORE_MEMORY} replaced — or followed by a blank line and the memory sections>
//   <memory_blocks> … </memory_blocks>        (omitted for react/workflow agents and when there are no blocks)
//   <tool_usage_rules> … </tool_usage_rules>  (only when some rule renders)
//   <directories> … </directories>            (only when folders are attached)
//   <memory_metadata> … </memory_metadata>
// Sections are separated by one blank line (Letta leaves a double gap when there are no blocks; we do not).
import { formatLettaTime } from '../tools/builtin/time-format.js';
import { LINE_NUMBER_WARNING } from '../tools/builtin/memory-helpers.js';
import type { BlockView } from '../tools/tool.js';
import { MEMORY_BLOCKS_INTRO, TOOL_RULES_INTRO } from './prompts.js';
import { renderToolRule } from './tool-rules.js';
import { HEARTBEAT_AGENT_TYPES, type MemoryStats, type RenderedTool, type ToolView } from './types.js';
import type { ToolRule } from '../db/tool-rules.schemas.js';

const CORE_MEMORY_PLACEHOLDER = '{CORE_MEMORY}';

export type CompileInput = {
  system: string;
  agentType: string;
  blocks: BlockView[];
  /** When given, rules about tools that are not attached are left out of the prompt. */
  tools?: ToolView[];
  toolRules: ToolRule[];
  stats: MemoryStats;
  timezone: string;
  now: Date;
  /** Provider of the agent's model (`llm_config.model_endpoint_type`); decides line-numbered rendering. */
  modelEndpointType?: string | null;
  /** The agent's rendered file window (`<directories>…`, src/resources/folders/file-view.ts); empty when none. */
  directories?: string;
};

const LINE_NUMBERED_TYPES = new Set(['sleeptime_agent', 'memgpt_v2_agent', 'letta_v1_agent']);
const NO_BLOCK_TYPES = new Set(['react_agent', 'workflow_agent']);

/**
 * Like Letta, block values get `N→ ` line numbers only for Anthropic models of the newer agent types: those
 * prompts pair with memory_replace/memory_insert, and Anthropic models were the ones trained on that display.
 */
export function usesLineNumbers(agentType: string, modelEndpointType?: string | null): boolean {
  return modelEndpointType === 'anthropic' && LINE_NUMBERED_TYPES.has(agentType);
}

export function compileSystemMessage(input: CompileInput): string {
  const memory = compileMemorySections(input);
  if (input.system.includes(CORE_MEMORY_PLACEHOLDER)) {
    return input.system.split(CORE_MEMORY_PLACEHOLDER).join(memory);
  }
  return `${input.system}\n\n${memory}`;
}

/** Everything that replaces {CORE_MEMORY}: blocks, rules and metadata. */
function compileMemorySections(input: CompileInput): string {
  const lineNumbers = usesLineNumbers(input.agentType, input.modelEndpointType);
  const sections = [
    NO_BLOCK_TYPES.has(input.agentType) ? '' : renderMemoryBlocks(input.blocks, lineNumbers),
    renderToolUsageRules(input.toolRules, input.tools),
    input.directories ?? '',
    renderMemoryMetadata(input.stats, input.timezone, input.now),
  ];
  return sections.filter((s) => s !== '').join('\n\n');
}

function renderMemoryBlocks(blocks: BlockView[], lineNumbers: boolean): string {
  if (blocks.length === 0) return '';
  const rendered = blocks.map((b) => renderBlock(b, lineNumbers)).join('\n\n');
  return `<memory_blocks>\n${MEMORY_BLOCKS_INTRO}\n\n${rendered}\n\n</memory_blocks>`;
}

function renderBlock(block: BlockView, lineNumbers: boolean): string {
  const meta = [...(block.readOnly ? ['- read_only=true'] : []), `- chars_current=${block.value.length}`, `- chars_limit=${block.limit}`];
  const lines = [`<${block.label}>`, '<description>', block.description ?? '', '</description>', '<metadata>', ...meta, '</metadata>'];
  if (lineNumbers) {
    lines.push('<warning>', LINE_NUMBER_WARNING, '</warning>', '<value>');
    if (block.value !== '') lines.push(...block.value.split('\n').map((l, i) => `${i + 1}→ ${l}`));
  } else {
    lines.push('<value>', block.value);
  }
  lines.push('</value>', `</${block.label}>`);
  return lines.join('\n');
}

function renderToolUsageRules(rules: ToolRule[], tools?: ToolView[]): string {
  const attached = tools ? new Set(tools.map((t) => t.name)) : null;
  const lines = rules
    .filter((r) => !attached || attached.has(r.tool_name))
    .map(renderToolRule)
    .filter((t): t is string => t !== null)
    .map((t) => `<tool_rule>\n${t}\n</tool_rule>`);
  if (lines.length === 0) return '';
  return `<tool_usage_rules>\n${TOOL_RULES_INTRO}\n\n${lines.join('\n')}\n</tool_usage_rules>`;
}

function renderMemoryMetadata(stats: MemoryStats, timezone: string, now: Date): string {
  const lines = [
    ...(stats.agentId ? [`- AGENT_ID: ${stats.agentId}`] : []),
    ...(stats.agentId ? [`- CONVERSATION_ID: ${stats.conversationId ?? 'default'}`] : []),
    `- Current time (when this prompt was compiled): ${formatLettaTime(now, timezone)}`,
    `- Memory blocks last edited: ${stats.lastMemoryEdit ? formatLettaTime(stats.lastMemoryEdit, timezone) : 'never'}`,
    `- Recall memory holds ${stats.messagesInRecall} earlier message(s) that are out of view; find them with conversation_search`,
  ];
  if (stats.archivalCount > 0) {
    lines.push(`- Archival memory holds ${stats.archivalCount} passage(s) you saved; reach them with the archival tools`);
  }
  if (stats.archivalTags && stats.archivalTags.length > 0) {
    lines.push(`- Archival tags in use: ${stats.archivalTags.join(', ')}`);
  }
  return `<memory_metadata>\n${lines.join('\n')}\n</memory_metadata>`;
}

const REQUEST_HEARTBEAT_DESCRIPTION =
  'Set to true to get control back right after this call returns, so you can call another tool or reply. ' +
  'Leave false to end your turn once this call finishes.';

/**
 * Tools as the model receives them. Heartbeat-loop agents (memgpt/react/workflow) get a required boolean
 * `request_heartbeat` on every tool that is not terminal (exit_loop); letta_v1/sleeptime agents never do.
 */
export function renderToolSchemas(tools: ToolView[], agentType: string, toolRules: ToolRule[] = []): RenderedTool[] {
  const terminal = new Set(toolRules.filter((r) => r.type === 'exit_loop').map((r) => r.tool_name));
  const heartbeat = HEARTBEAT_AGENT_TYPES.has(agentType);
  return tools.map((tool) => renderedTool(tool, heartbeat && !terminal.has(tool.name)));
}

/**
 * Rendered schemas, per schema object: a tool row the loop's row cache hands out again keeps its schema object, so
 * an unchanged tool is rendered once, not cloned every turn. Rendered schemas are frozen (shared by every caller).
 */
const rendered = new WeakMap<object, Map<string, RenderedTool>>();

function renderedTool(tool: ToolView, withHeartbeat: boolean): RenderedTool {
  const key = `${+withHeartbeat}${tool.description ?? ''}`;
  const cacheable = typeof tool.jsonSchema === 'object' && tool.jsonSchema !== null;
  let byKey = cacheable ? rendered.get(tool.jsonSchema) : undefined;
  const hit = byKey?.get(key);
  if (hit) return hit;
  const fn = structuredClone(tool.jsonSchema);
  if (tool.description && !fn.description) fn.description = tool.description;
  if (withHeartbeat) addHeartbeatParam(fn);
  const out = deepFreeze({ type: 'function' as const, function: fn });
  if (!cacheable) return out;
  if (!byKey) {
    byKey = new Map();
    rendered.set(tool.jsonSchema, byKey);
  }
  byKey.set(key, out);
  return out;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

function addHeartbeatParam(fn: RenderedTool['function']): void {
  const params = fn.parameters ?? { type: 'object', properties: {} };
  params.properties = {
    ...(params.properties ?? {}),
    request_heartbeat: { type: 'boolean', description: REQUEST_HEARTBEAT_DESCRIPTION },
  };
  params.required = [...(params.required ?? []).filter((r) => r !== 'request_heartbeat'), 'request_heartbeat'];
  fn.parameters = params;
}

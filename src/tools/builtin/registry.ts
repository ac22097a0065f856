// Every built-in tool, lookup by name, and which of them (and which base rules) an agent type starts with.
import type { ToolRule } from '../../db/tool-rules.schemas.js';
import type { BuiltinTool } from '../tool.js';
import { archivalMemoryInsert } from './archival-memory-insert.js';
import { archivalMemorySearch } from './archival-memory-search.js';
import { conversationSearch } from './conversation-search.js';
import { coreMemoryAppend } from './core-memory-append.js';
import { coreMemoryReplace } from './core-memory-replace.js';
import { memoryFinishEdits } from './memory-finish-edits.js';
import { memoryInsert } from './memory-insert.js';
import { memoryReplace } from './memory-replace.js';
import { memoryRethink } from './memory-rethink.js';
import { MULTI_AGENT_TOOLS } from './multi-agent/multi-agent-tools.js';
import { sendMessage } from './send-message.js';
import { fetchWebpage } from './fetch-webpage.js';
import { memoryOmni } from './memory-omni.js';
import { webSearch } from './web-search.js';

export const BUILTIN_TOOLS: readonly BuiltinTool[] = [
  sendMessage,
  conversationSearch,
  archivalMemoryInsert,
  archivalMemorySearch,
  coreMemoryAppend,
  coreMemoryReplace,
  memoryInsert,
  memoryReplace,
  memoryRethink,
  memoryFinishEdits,
  ...MULTI_AGENT_TOOLS,
  memoryOmni,
  webSearch,
  fetchWebpage,
] as unknown as readonly BuiltinTool[];

const byName = new Map(BUILTIN_TOOLS.map((t) => [t.name, t]));

export function getBuiltinTool(name: string): BuiltinTool | undefined {
  return byName.get(name);
}

export function isBuiltinToolName(name: string): boolean {
  return byName.has(name);
}

/**
 * Tools attached when `include_base_tools` is true (letta-api §3.3). The unified `memory` tool (memory-omni.ts) is
 * attachable by name but not a default: memgpt_agent keeps the classic core_memory_append/core_memory_replace pair
 * (`memory_apply_patch` is not implemented). Archival tools are opt-in by name, as in current Letta.
 */
export function baseToolNamesFor(agentType: string, opts: { enableSleeptime?: boolean } = {}): string[] {
  if (agentType === 'sleeptime_agent') {
    return ['memory_replace', 'memory_insert', 'memory_rethink', 'memory_finish_edits'];
  }
  if (agentType === 'react_agent' || agentType === 'workflow_agent') return [];
  if (opts.enableSleeptime) {
    // Memory editing is delegated to the sleeptime agent. Letta also hands letta_v1 agents send_message here
    // (branch order quirk); a v1 agent replies with plain text, so it does not get it.
    const base = ['conversation_search', 'archival_memory_search'];
    return agentType === 'letta_v1_agent' ? base : ['send_message', ...base];
  }
  if (agentType === 'letta_v1_agent') return ['conversation_search', 'memory_replace', 'memory_insert'];
  if (agentType === 'memgpt_v2_agent') return ['send_message', 'conversation_search', 'memory_replace', 'memory_insert'];
  return ['send_message', 'conversation_search', 'core_memory_append', 'core_memory_replace'];
}

const TERMINAL_BASE_TOOLS = new Set(['send_message', 'send_message_to_agent_async', 'memory_finish_edits']);
const CONTINUE_TOOL_TYPES = new Set(['letta_core', 'letta_memory_core', 'letta_sleeptime_core']);
const NO_BASE_RULE_MODELS = ['claude-4-sonnet', 'claude-3-5-sonnet', 'gpt-5', 'gemini-2.5-pro'];

/** Letta's `include_base_tool_rules` resolution when the request leaves it null. */
export function shouldIncludeBaseToolRules(opts: {
  agentType: string;
  includeBaseToolRules?: boolean | null;
  model?: string | null;
  userToolRulesGiven?: boolean;
}): boolean {
  if (opts.agentType === 'sleeptime_agent') return true;
  if (opts.includeBaseToolRules === false) return false;
  if (opts.includeBaseToolRules === true) return true;
  if (opts.agentType === 'letta_v1_agent') return Boolean(opts.userToolRulesGiven);
  const model = (opts.model ?? '').toLowerCase();
  return !NO_BASE_RULE_MODELS.some((m) => model.includes(m) && !model.includes('mini'));
}

/**
 * Base rules for the attached tools: send_message-like tools end the loop, every other built-in core/memory/
 * sleeptime tool continues it. Custom, MCP and multi-agent tools get no rule.
 */
export function baseToolRulesFor(toolNames: readonly string[]): ToolRule[] {
  const rules: ToolRule[] = [];
  for (const name of toolNames) {
    if (TERMINAL_BASE_TOOLS.has(name)) rules.push({ tool_name: name, type: 'exit_loop' });
    else if (CONTINUE_TOOL_TYPES.has(byName.get(name)?.toolType ?? '')) rules.push({ tool_name: name, type: 'continue_loop' });
  }
  return rules;
}

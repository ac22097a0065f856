// Builds the compiled system message text for a stored agent (the pure compiler fed from rows).
import { compileSystemMessage } from './compile-context.js';
import type { BlockView } from '../tools/tool.js';
import type { MemoryStats, ToolView } from './types.js';
import type { AgentRow, BlockRow, ToolRow } from '../db/rows.js';

export function blockView(b: BlockRow): BlockView {
  return {
    id: b.id,
    label: b.label,
    value: b.value,
    limit: b.limit,
    description: b.description,
    readOnly: b.readOnly,
    hidden: b.hidden ?? false,
  };
}

export function toolView(t: ToolRow): ToolView {
  const schema = (t.jsonSchema ?? {
    name: t.name,
    description: t.description ?? '',
    parameters: { type: 'object', properties: {} },
  }) as ToolView['jsonSchema'];
  return {
    name: t.name,
    description: t.description ?? '',
    jsonSchema: schema,
    toolType: t.toolType as ToolView['toolType'],
    returnCharLimit: t.returnCharLimit,
    requiresApproval: t.defaultRequiresApproval ?? false,
  };
}

export function compileAgentSystem(
  agent: AgentRow,
  blocks: BlockRow[],
  tools: ToolRow[],
  stats: MemoryStats,
  now: Date = new Date(),
  systemOverride?: string,
): string {
  return compileSystemMessage({
    system: systemOverride ?? agent.system,
    agentType: agent.agentType,
    blocks: blocks.map(blockView),
    tools: tools.map(toolView),
    toolRules: agent.toolRules,
    stats,
    timezone: agent.timezone,
    now,
    modelEndpointType: agent.llmConfig.model_endpoint_type ?? null,
    directories: directoriesOf(agent),
  });
}

/** The file window text the folders service keeps in agents.extras (see src/resources/folders/file-window.ts). */
export function directoriesOf(agent: Pick<AgentRow, 'extras'>): string {
  const d = agent.extras?.directories;
  return typeof d === 'string' ? d : '';
}

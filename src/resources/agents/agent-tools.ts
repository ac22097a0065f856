// Which tools and tool rules a new agent gets: named tools, tool ids, base tools, approval rules.
import type { Actor } from '../../actor.js';
import { baseToolNamesFor, baseToolRulesFor, shouldIncludeBaseToolRules } from '../../tools/builtin/registry.js';
import type { Db } from '../../db/client.js';
import { BadRequestError, NotFoundError } from '../../errors.js';
import { findToolsByIds, findToolsByNames } from '../tools/tools.repo.js';
import type { CreateAgent, LlmConfig } from './agents.schemas.js';
import type { ToolRow } from '../../db/rows.js';
import type { ToolRule } from '../../db/tool-rules.schemas.js';

const MULTI_AGENT_TOOL_NAMES = [
  'send_message_to_agent_and_wait_for_reply',
  'send_message_to_agent_async',
  'send_message_to_agents_matching_tags',
];

export async function resolveToolsForCreate(db: Db, actor: Actor, req: CreateAgent, agentType: string): Promise<ToolRow[]> {
  const named = [...new Set(req.tools ?? [])];
  const base = req.include_base_tools === false ? [] : baseToolNamesFor(agentType, { enableSleeptime: req.enable_sleeptime ?? false });
  const multi = req.include_multi_agent_tools ? MULTI_AGENT_TOOL_NAMES : [];
  const wanted = [...new Set([...named, ...base, ...multi])];
  const byName = await findToolsByNames(db, actor.orgId, wanted);
  const missing = named.filter((n) => !byName.some((t) => t.name === n));
  if (missing.length) throw new BadRequestError(`Tools not found by name: ${missing.join(', ')}`);
  const ids = [...new Set(req.tool_ids ?? [])];
  const byId = await findToolsByIds(db, actor.orgId, ids);
  const missingIds = ids.filter((id) => !byId.some((t) => t.id === id));
  if (missingIds.length) throw new NotFoundError(`Tools not found: ${missingIds.join(', ')}`);
  const all = new Map<string, ToolRow>();
  for (const t of [...byName, ...byId]) all.set(t.id, t);
  return [...all.values()];
}

export function toolRulesForCreate(req: CreateAgent, agentType: string, llm: LlmConfig, tools: ToolRow[]): ToolRule[] {
  const rules: ToolRule[] = [...(req.tool_rules ?? [])];
  const includeBase = shouldIncludeBaseToolRules({
    agentType,
    includeBaseToolRules: req.include_base_tool_rules,
    model: llm.model,
    userToolRulesGiven: (req.tool_rules ?? []).length > 0,
  });
  const has = (type: string, name: string) => rules.some((r) => r.type === type && r.tool_name === name);
  if (includeBase) {
    for (const r of baseToolRulesFor(tools.map((t) => t.name))) if (!rules.some((x) => x.tool_name === r.tool_name)) rules.push(r);
  }
  for (const t of tools)
    if (t.defaultRequiresApproval && !has('requires_approval', t.name)) rules.push({ type: 'requires_approval', tool_name: t.name });
  return rules;
}

// Partial agent update: only given keys change; tool_ids / block_ids / tags replace whole sets.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { BadRequestError, NotFoundError } from '../../errors.js';
import * as blocksRepo from '../blocks/blocks.repo.js';
import { findMessagesByIds } from '../../memory/message-rows.js';
import { findToolsByIds } from '../tools/tools.repo.js';
import { resolveEmbeddingConfig, resolveLlmConfig, wantsModelChange } from './agent-config.js';
import * as repo from './agents.repo.js';
import type { UpdateAgent } from './agents.schemas.js';
import type { AgentsDeps } from './agents.deps.js';
import type { AgentInsert, AgentRow } from '../../db/rows.js';

export async function applyAgentUpdate(tx: Db, deps: AgentsDeps, actor: Actor, cur: AgentRow, u: UpdateAgent): Promise<AgentRow> {
  const patch: Partial<AgentInsert> = {};
  if (u.name != null) patch.name = u.name;
  if (u.system != null) patch.system = u.system;
  if (u.description !== undefined) patch.description = u.description;
  if (u.metadata !== undefined) patch.metadata = u.metadata;
  if (u.tags != null) patch.tags = [...new Set(u.tags)];
  if (wantsModelChange(u)) patch.llmConfig = resolveLlmConfig(deps.models, u, cur.llmConfig);
  if (u.embedding || u.embedding_config) patch.embeddingConfig = resolveEmbeddingConfig(deps.models, u, undefined);
  if (u.model_settings !== undefined) patch.modelSettings = u.model_settings;
  if (u.compaction_settings !== undefined) patch.compactionSettings = u.compaction_settings;
  if (u.response_format !== undefined) patch.responseFormat = u.response_format;
  if (u.tool_rules != null) patch.toolRules = u.tool_rules;
  const secrets = u.secrets ?? u.tool_exec_environment_variables;
  if (secrets != null) patch.secrets = Object.entries(secrets).map(([key, value]) => ({ key, value }));
  if (u.message_buffer_autoclear != null) patch.messageBufferAutoclear = u.message_buffer_autoclear;
  if (u.enable_sleeptime !== undefined) patch.enableSleeptime = u.enable_sleeptime;
  if (u.timezone != null) patch.timezone = u.timezone;
  if (u.max_files_open !== undefined) patch.maxFilesOpen = u.max_files_open;
  if (u.per_file_view_window_char_limit !== undefined) patch.perFileViewWindowCharLimit = u.per_file_view_window_char_limit;
  if (u.hidden !== undefined) patch.hidden = u.hidden;
  if (u.project_id !== undefined) patch.projectId = u.project_id;
  if (u.template_id !== undefined) patch.templateId = u.template_id;
  if (u.base_template_id !== undefined) patch.baseTemplateId = u.base_template_id;
  if (u.last_stop_reason !== undefined) patch.lastStopReason = u.last_stop_reason;
  if (u.last_run_duration_ms !== undefined) patch.lastRunDurationMs = u.last_run_duration_ms;
  if (u.last_run_completion != null) patch.lastRunCompletion = parseDate(u.last_run_completion, 'last_run_completion');
  if (u.message_ids != null) patch.messageIds = await checkMessageIds(tx, actor, cur, u.message_ids);
  if (u.tool_ids != null) await replaceTools(tx, actor, cur.id, u.tool_ids);
  if (u.block_ids != null) await replaceBlocks(tx, actor, cur.id, u.block_ids);
  const row = await repo.updateAgentRow(tx, actor.orgId, cur.id, patch);
  return row ?? cur;
}

async function checkMessageIds(tx: Db, actor: Actor, cur: AgentRow, ids: string[]): Promise<string[]> {
  const found = await findMessagesByIds(tx, actor.orgId, ids);
  const missing = ids.filter((id) => !found.some((m) => m.id === id && m.agentId === cur.id));
  if (missing.length) throw new NotFoundError(`Messages not found for this agent: ${missing.join(', ')}`);
  if (ids.length === 0 || found[0]?.role !== 'system') throw new BadRequestError("message_ids must start with the agent's system message");
  return ids;
}

async function replaceTools(tx: Db, actor: Actor, agentId: string, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const found = await findToolsByIds(tx, actor.orgId, unique);
  const missing = unique.filter((id) => !found.some((t) => t.id === id));
  if (missing.length) throw new NotFoundError(`Tools not found: ${missing.join(', ')}`);
  await repo.unlinkTools(tx, agentId);
  await repo.linkTools(tx, actor.orgId, agentId, unique);
}

async function replaceBlocks(tx: Db, actor: Actor, agentId: string, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const found = await blocksRepo.findBlocksByIds(tx, actor.orgId, unique);
  const missing = unique.filter((id) => !found.some((b) => b.id === id));
  if (missing.length) throw new NotFoundError(`Blocks not found: ${missing.join(', ')}`);
  const labels = found.map((b) => b.label);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup) throw new BadRequestError(`Two blocks share the label '${dup}'; labels must be unique per agent`);
  await blocksRepo.unlinkBlocks(tx, agentId);
  await blocksRepo.linkBlocks(tx, actor.orgId, agentId, unique);
}

function parseDate(s: string, field: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new BadRequestError(`${field} is not a valid date`);
  return d;
}

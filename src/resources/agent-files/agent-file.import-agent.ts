// Import of one agent of a file: the agent row with remapped links, its messages and its in-context window.
import type { Actor } from '../../actor.js';
import { compileAgentSystem } from '../../agent/system-message.js';
import type { Db } from '../../db/client.js';
import { BadRequestError } from '../../errors.js';
import { newId } from '../../ids.js';
import { randomAgentName } from '../agents/agent-names.js';
import type { AgentRow } from '../agents/agents.mapper.js';
import { insertAgent, linkTools, updateAgentRow } from '../agents/agents.repo.js';
import { AGENT_TYPES, EmbeddingConfig, LlmConfig } from '../agents/agents.schemas.js';
import type { BlockRow } from '../blocks/blocks.mapper.js';
import { linkBlocks } from '../blocks/blocks.repo.js';
import { insertMessages, type MessageInsert } from '../messages/messages.repo.js';
import type { ModelCatalog } from '../models/catalog.js';
import type { ToolRow } from '../tools/tools.mapper.js';
import type { FileAgent, FileMessage, ImportOptions } from './agent-file.schemas.js';

export type ImportAgentDeps = { models: ModelCatalog; defaultModel?: string; defaultEmbedding?: string };
export type AgentLinks = { blocks: BlockRow[]; tools: ToolRow[] };

export async function importAgent(tx: Db, deps: ImportAgentDeps, actor: Actor, a: FileAgent, links: AgentLinks, opts: ImportOptions): Promise<AgentRow> {
  const agentType = a.agent_type ?? 'letta_v1_agent';
  if (!(AGENT_TYPES as readonly string[]).includes(agentType)) throw new BadRequestError(`Import failed: unknown agent_type '${agentType}'`);
  const id = newId('agent');
  const row = await insertAgent(tx, {
    id,
    organizationId: actor.orgId,
    name: agentName(a, opts),
    agentType,
    system: a.system ?? '',
    description: (a.description as string | null | undefined) ?? null,
    metadata: (a.metadata as Record<string, unknown> | null | undefined) ?? null,
    tags: [...new Set(a.tags ?? [])],
    llmConfig: llmConfigOf(deps, a, opts),
    embeddingConfig: embeddingConfigOf(deps, a, opts),
    modelSettings: (a.model_settings as Record<string, unknown> | null | undefined) ?? null,
    compactionSettings: (a.compaction_settings as Record<string, unknown> | null | undefined) ?? null,
    responseFormat: (a.response_format as Record<string, unknown> | null | undefined) ?? null,
    toolRules: a.tool_rules ?? [],
    secrets: secretsOf(a, opts),
    timezone: (a.timezone as string | null | undefined) ?? 'UTC',
    messageBufferAutoclear: Boolean(a.message_buffer_autoclear),
    enableSleeptime: false,
    hidden: (a.hidden as boolean | null | undefined) ?? null,
    maxFilesOpen: (a.max_files_open as number | null | undefined) ?? null,
    perFileViewWindowCharLimit: (a.per_file_view_window_char_limit as number | null | undefined) ?? null,
    projectId: opts.projectId ?? (a.project_id as string | null | undefined) ?? null,
    templateId: (a.template_id as string | null | undefined) ?? null,
    baseTemplateId: (a.base_template_id as string | null | undefined) ?? null,
  });
  await linkBlocks(tx, actor.orgId, id, links.blocks.map((b) => b.id));
  await linkTools(tx, actor.orgId, id, links.tools.map((t) => t.id));
  const messageIds = await importMessages(tx, actor, row, links, opts.stripMessages ? [] : (a.messages ?? []), opts.stripMessages ? [] : (a.in_context_message_ids ?? []));
  return (await updateAgentRow(tx, actor.orgId, id, { messageIds }))!;
}

function agentName(a: FileAgent, opts: ImportOptions): string {
  if (opts.name) return opts.name;
  if (!a.name) return randomAgentName();
  return opts.appendCopySuffix ? `${a.name}_copy` : a.name;
}

/** `model` override first; else the file's config as written (usable once its provider is configured). */
function llmConfigOf(deps: ImportAgentDeps, a: FileAgent, opts: ImportOptions): LlmConfig {
  if (opts.model) return deps.models.llmConfigFor(opts.model);
  if (a.llm_config) {
    const parsed = LlmConfig.safeParse(a.llm_config);
    if (!parsed.success) throw new BadRequestError(`Import failed: agent ${a.id} has an invalid llm_config: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }
  const handle = (a.model as string | null | undefined) ?? deps.defaultModel;
  if (!handle) throw new BadRequestError(`Import failed: agent ${a.id} has no llm_config; pass a model handle`);
  return deps.models.llmConfigFor(handle);
}

function embeddingConfigOf(deps: ImportAgentDeps, a: FileAgent, opts: ImportOptions): EmbeddingConfig | null {
  if (opts.embedding) return deps.models.embeddingConfigFor(opts.embedding);
  if (a.embedding_config) {
    const parsed = EmbeddingConfig.safeParse(a.embedding_config);
    if (!parsed.success) throw new BadRequestError(`Import failed: agent ${a.id} has an invalid embedding_config: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }
  const handle = (a.embedding as string | null | undefined) ?? deps.defaultEmbedding;
  return handle ? deps.models.embeddingConfigFor(handle) : null;
}

/** Keys from the file (values usually blanked on export), values from the `secrets` form field. */
function secretsOf(a: FileAgent, opts: ImportOptions): { key: string; value: string }[] {
  const merged: Record<string, string> = {};
  for (const src of [a.tool_exec_environment_variables, a.secrets]) for (const [k, v] of Object.entries(src ?? {})) merged[k] = v ?? merged[k] ?? '';
  for (const [k, v] of Object.entries(opts.secrets ?? {})) merged[k] = v;
  return Object.entries(merged).map(([key, value]) => ({ key, value }));
}

/** Recreates the messages with fresh ids; returns the new in-context ids, a system message always first. */
async function importMessages(tx: Db, actor: Actor, agent: AgentRow, links: AgentLinks, msgs: FileMessage[], inContext: string[]): Promise<string[]> {
  const idMap = new Map(msgs.map((m) => [m.id, newId('message')]));
  await insertMessages(tx, msgs.map((m) => messageInsert(actor, agent.id, m, idMap.get(m.id)!)));
  const window = inContext.map((id) => idMap.get(id)!);
  const first = msgs.find((m) => m.id === inContext[0]);
  if (first?.role === 'system') return window;
  const text = compileAgentSystem(agent, links.blocks, links.tools, { messagesInRecall: msgs.length, archivalCount: 0, lastMemoryEdit: null });
  const [sys] = await insertMessages(tx, [{ id: newId('message'), organizationId: actor.orgId, agentId: agent.id, role: 'system', content: [{ type: 'text', text }], text }]);
  return [sys!.id, ...window];
}

function messageInsert(actor: Actor, agentId: string, m: FileMessage, id: string): MessageInsert {
  const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : (m.content ?? []);
  const created = m.created_at ? new Date(m.created_at) : undefined;
  const s = (k: string) => (typeof m[k] === 'string' ? (m[k] as string) : null);
  return {
    id, organizationId: actor.orgId, agentId, role: m.role, content, text: searchText(content, m),
    name: s('name'), model: s('model'), otid: s('otid'), senderId: s('sender_id'), batchItemId: s('batch_item_id'),
    toolCalls: m.tool_calls?.length ? m.tool_calls : null, toolCallId: s('tool_call_id'),
    toolReturns: m.tool_returns?.length ? m.tool_returns : null,
    approve: typeof m.approve === 'boolean' ? m.approve : null, approvalRequestId: s('approval_request_id'),
    denialReason: s('denial_reason'), approvals: Array.isArray(m.approvals) && m.approvals.length ? (m.approvals as Record<string, unknown>[]) : null,
    ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created, updatedAt: created } : {}),
  };
}

/** The flattened text recall search works on: text parts, tool calls and tool returns. */
function searchText(content: Record<string, unknown>[], m: FileMessage): string {
  const parts = content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).filter(Boolean);
  for (const c of m.tool_calls ?? []) {
    const fn = c.function as { name?: string; arguments?: string } | undefined;
    if (fn?.name) parts.push(`${fn.name}(${fn.arguments ?? ''})`);
  }
  if (m.role !== 'tool') return parts.join('\n');
  const returns = (m.tool_returns ?? []).map((r) => (typeof r.func_response === 'string' ? r.func_response : '')).filter(Boolean);
  return (returns.length && !parts.length ? returns : parts).join('\n');
}

// Import of one agent of a file: the agent row with remapped links, its messages and its in-context window.
import type { Actor } from '../../actor.js';
import { batchesOf, LINKS_PER_INSERT } from '../../db/batches.js';
import type { Db } from '../../db/client.js';
import { BadRequestError } from '../../errors.js';
import { newId } from '../../ids.js';
import { randomAgentName } from '../agents/agent-names.js';
import { insertAgent, linkTools, updateAgentRow } from '../agents/agents.repo.js';
import { AgentType } from '../../agent/types.js';
import { EmbeddingConfig, LlmConfig } from '../agents/agents.schemas.js';
import { linkBlocks } from '../blocks/blocks.repo.js';
import type { ModelCatalog } from '../models/catalog.js';
import { short } from './agent-file.errors.js';
import { bool, int, obj, str } from './agent-file.fields.js';
import { type AgentLinks, importMessages, type HistoryDeps } from './agent-file.import-messages.js';
import type { FileAgent, ImportOptions } from './agent-file.schemas.js';
import type { AgentRow } from '../../db/rows.js';

export type ImportAgentDeps = HistoryDeps & { models: ModelCatalog; defaultModel?: string; defaultEmbedding?: string };

export async function importAgent(
  tx: Db,
  deps: ImportAgentDeps,
  actor: Actor,
  a: FileAgent,
  links: AgentLinks,
  opts: ImportOptions,
): Promise<AgentRow> {
  const agentType = a.agent_type ?? 'letta_v1_agent';
  if (!AgentType.safeParse(agentType).success) throw new BadRequestError(`Import failed: unknown agent_type '${short(agentType)}'`);
  const id = newId('agent');
  const row = await insertAgent(tx, {
    id,
    organizationId: actor.orgId,
    name: agentName(a, opts),
    agentType,
    system: a.system ?? '',
    description: str(a.description),
    metadata: obj(a.metadata),
    tags: [...new Set(a.tags ?? [])],
    llmConfig: llmConfigOf(deps, a, opts),
    embeddingConfig: embeddingConfigOf(deps, a, opts),
    modelSettings: obj(a.model_settings),
    compactionSettings: obj(a.compaction_settings),
    responseFormat: obj(a.response_format),
    toolRules: a.tool_rules ?? [],
    secrets: secretsOf(a, opts),
    timezone: str(a.timezone) ?? 'UTC',
    messageBufferAutoclear: Boolean(a.message_buffer_autoclear),
    enableSleeptime: false,
    hidden: bool(a.hidden),
    maxFilesOpen: int(a.max_files_open),
    perFileViewWindowCharLimit: int(a.per_file_view_window_char_limit),
    projectId: opts.projectId ?? str(a.project_id),
    templateId: str(a.template_id),
    baseTemplateId: str(a.base_template_id),
  });
  for (const batch of batchesOf(links.blocks, LINKS_PER_INSERT))
    await linkBlocks(
      tx,
      actor.orgId,
      id,
      batch.map((b) => b.id),
    );
  for (const batch of batchesOf(links.tools, LINKS_PER_INSERT))
    await linkTools(
      tx,
      actor.orgId,
      id,
      batch.map((t) => t.id),
    );
  const history = opts.stripMessages ? [] : (a.messages ?? []);
  const messageIds = await importMessages(
    tx,
    deps,
    { actor, agent: row, fileAgentId: a.id },
    links,
    history,
    opts.stripMessages ? [] : (a.in_context_message_ids ?? []),
  );
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
    if (!parsed.success)
      throw new BadRequestError(
        `Import failed: agent ${short(a.id)} has an invalid llm_config: ${short(parsed.error.issues[0]?.message ?? 'invalid')}`,
      );
    return parsed.data;
  }
  const handle = str(a.model) ?? deps.defaultModel;
  if (!handle) throw new BadRequestError(`Import failed: agent ${short(a.id)} has no llm_config; pass a model handle`);
  return deps.models.llmConfigFor(handle);
}

function embeddingConfigOf(deps: ImportAgentDeps, a: FileAgent, opts: ImportOptions): EmbeddingConfig | null {
  if (opts.embedding) return deps.models.embeddingConfigFor(opts.embedding);
  if (a.embedding_config) {
    const parsed = EmbeddingConfig.safeParse(a.embedding_config);
    if (!parsed.success)
      throw new BadRequestError(
        `Import failed: agent ${short(a.id)} has an invalid embedding_config: ${short(parsed.error.issues[0]?.message ?? 'invalid')}`,
      );
    return parsed.data;
  }
  const handle = str(a.embedding) ?? deps.defaultEmbedding;
  return handle ? deps.models.embeddingConfigFor(handle) : null;
}

/** Keys from the file (values usually blanked on export), values from the `secrets` form field. */
function secretsOf(a: FileAgent, opts: ImportOptions): { key: string; value: string }[] {
  const merged: Record<string, string> = {};
  for (const src of [a.tool_exec_environment_variables, a.secrets])
    for (const [k, v] of Object.entries(src ?? {})) merged[k] = v ?? merged[k] ?? '';
  for (const [k, v] of Object.entries(opts.secrets ?? {})) merged[k] = v;
  return Object.entries(merged).map(([key, value]) => ({ key, value }));
}

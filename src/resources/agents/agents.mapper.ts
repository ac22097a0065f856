import { toBlock } from '../blocks/blocks.mapper.js';
import { toTool } from '../tools/tools.mapper.js';
import { toFolder, type FolderRow } from '../folders/folders.mapper.js';
import type { AgentState, EmbeddingConfig } from './agents.schemas.js';
import type { AgentRow, BlockRow, ToolRow } from '../../db/rows.js';

export type AgentRelations = {
  blocks: BlockRow[];
  tools: ToolRow[];
  /** Attached folders (Letta's `sources`). */
  folders?: FolderRow[];
  identities?: unknown[];
  managedGroup?: unknown;
  pendingApproval?: unknown;
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toAgentState(r: AgentRow, rel: AgentRelations): AgentState {
  const blocks = rel.blocks.map(toBlock);
  const llm = r.llmConfig;
  const emb = (r.embeddingConfig ?? null) as EmbeddingConfig | null;
  const secrets = r.secrets.map((s) => ({ agent_id: r.id, key: s.key, value: s.value, description: s.description ?? null }));
  return {
    id: r.id,
    name: r.name,
    agent_type: r.agentType as AgentState['agent_type'],
    system: r.system,
    description: r.description,
    metadata: r.metadata ?? null,
    model: (llm.handle as string | undefined) ?? null,
    embedding: (emb?.handle as string | undefined) ?? null,
    llm_config: llm,
    embedding_config: emb,
    model_settings: r.modelSettings ?? null,
    compaction_settings: r.compactionSettings ?? null,
    response_format: r.responseFormat ?? null,
    memory: { blocks, file_blocks: [], agent_type: r.agentType, prompt_template: '' },
    blocks,
    tools: rel.tools.map(toTool),
    sources: (rel.folders ?? []).map(toFolder),
    tags: r.tags,
    tool_rules: r.toolRules,
    message_ids: r.messageIds,
    identities: rel.identities ?? [],
    identity_ids: ((rel.identities ?? []) as { id: string }[]).map((i) => i.id),
    secrets,
    tool_exec_environment_variables: secrets,
    project_id: r.projectId,
    template_id: r.templateId,
    base_template_id: r.baseTemplateId,
    deployment_id: r.deploymentId,
    entity_id: r.entityId,
    message_buffer_autoclear: r.messageBufferAutoclear,
    enable_sleeptime: r.enableSleeptime,
    multi_agent_group: null,
    managed_group: rel.managedGroup ?? null,
    pending_approval: rel.pendingApproval ?? null,
    last_run_completion: iso(r.lastRunCompletion),
    last_run_duration_ms: r.lastRunDurationMs,
    last_stop_reason: r.lastStopReason,
    timezone: r.timezone,
    max_files_open: r.maxFilesOpen,
    per_file_view_window_char_limit: r.perFileViewWindowCharLimit,
    hidden: r.hidden,
    created_by_id: null,
    last_updated_by_id: null,
    created_at: iso(r.createdAt),
    updated_at: iso(r.updatedAt),
  };
}

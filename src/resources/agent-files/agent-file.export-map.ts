// Row → agent-file entity mappers (the shapes Letta writes, field for field, with file-local ids).
import type { FileIdMap } from './agent-file.ids.js';
import type { ManagedGroup } from './agent-file.repo.js';
import type { AgentRow, BlockRow, McpServerRow, MessageRow, ToolRow } from '../../db/rows.js';

type Obj = Record<string, unknown>;

export function exportBlock(b: BlockRow, ids: FileIdMap): Obj {
  return {
    value: b.value,
    limit: b.limit,
    project_id: b.projectId,
    template_name: b.templateName,
    is_template: b.isTemplate,
    template_id: b.templateId,
    base_template_id: b.baseTemplateId,
    deployment_id: b.deploymentId,
    entity_id: b.entityId,
    preserve_on_migration: b.preserveOnMigration,
    label: b.label,
    read_only: b.readOnly,
    description: b.description,
    metadata: b.metadata ?? {},
    hidden: b.hidden,
    tags: b.tags,
    id: ids.idFor('block', b.id),
  };
}

export function exportTool(t: ToolRow, ids: FileIdMap): Obj {
  const mcp = (t.metadata as { mcp?: Obj } | null)?.mcp;
  const serverId = typeof mcp?.server_id === 'string' ? ids.lookup('mcp_server', mcp.server_id) : undefined;
  const metadata = mcp && serverId ? { ...t.metadata, mcp: { ...mcp, server_id: serverId } } : (t.metadata ?? {});
  return {
    id: ids.idFor('tool', t.id),
    tool_type: t.toolType,
    description: t.description,
    source_type: t.sourceType,
    name: t.name,
    tags: t.tags,
    source_code: t.sourceCode,
    json_schema: t.jsonSchema,
    args_json_schema: t.argsJsonSchema,
    return_char_limit: t.returnCharLimit,
    pip_requirements: t.pipRequirements,
    npm_requirements: t.npmRequirements,
    default_requires_approval: t.defaultRequiresApproval,
    enable_parallel_execution: t.enableParallelExecution,
    created_by_id: null,
    last_updated_by_id: null,
    metadata_: metadata,
  };
}

export function exportMessage(m: MessageRow, fileAgentId: string, ids: FileIdMap): Obj {
  return {
    type: 'message',
    role: m.role,
    content: m.content ?? [],
    name: m.name,
    otid: m.otid,
    sender_id: m.senderId,
    batch_item_id: m.batchItemId,
    group_id: m.groupId,
    id: ids.idFor('message', m.id),
    model: m.model,
    agent_id: fileAgentId,
    tool_calls: m.toolCalls,
    tool_call_id: m.toolCallId,
    tool_returns: m.toolReturns ?? [],
    created_at: m.createdAt.toISOString(),
    approve: m.approve,
    approval_request_id: m.approvalRequestId,
    denial_reason: m.denialReason,
    approvals: m.approvals ?? [],
  };
}

export type AgentParts = { toolIds: string[]; blockIds: string[]; inContextIds: string[]; messages: Obj[]; includeSecrets: boolean };

export function exportAgent(a: AgentRow, ids: FileIdMap, p: AgentParts): Obj {
  const env = Object.fromEntries(a.secrets.map((s) => [s.key, p.includeSecrets ? s.value : '']));
  const llm = a.llmConfig;
  return {
    name: a.name,
    memory_blocks: [],
    tools: [],
    tool_ids: p.toolIds,
    source_ids: [],
    folder_ids: null,
    block_ids: p.blockIds,
    tool_rules: a.toolRules,
    tags: a.tags,
    system: a.system,
    agent_type: a.agentType,
    initial_message_sequence: null,
    include_base_tools: false,
    include_multi_agent_tools: false,
    include_base_tool_rules: false,
    include_default_source: false,
    description: a.description,
    metadata: a.metadata,
    llm_config: llm,
    embedding_config: a.embeddingConfig,
    model: null,
    embedding: null,
    model_settings: a.modelSettings,
    compaction_settings: a.compactionSettings,
    context_window_limit: null,
    embedding_chunk_size: null,
    max_tokens: null,
    max_reasoning_tokens: null,
    enable_reasoner: Boolean(llm.enable_reasoner),
    reasoning: null,
    from_template: null,
    template: false,
    project: null,
    tool_exec_environment_variables: env,
    secrets: env,
    memory_variables: null,
    project_id: a.projectId,
    template_id: a.templateId,
    base_template_id: a.baseTemplateId,
    identity_ids: null,
    message_buffer_autoclear: a.messageBufferAutoclear,
    enable_sleeptime: false,
    response_format: a.responseFormat,
    timezone: a.timezone,
    max_files_open: a.maxFilesOpen,
    per_file_view_window_char_limit: a.perFileViewWindowCharLimit,
    hidden: a.hidden,
    parallel_tool_calls: null,
    id: ids.idFor('agent', a.id),
    in_context_message_ids: p.inContextIds,
    messages: p.messages,
    files_agents: [],
    group_ids: [],
  };
}

/** Credentials (auth token, headers, stdio env) never leave the server. */
export function exportMcpServer(s: McpServerRow, ids: FileIdMap): Obj {
  const stdio = s.stdioConfig ? Object.fromEntries(Object.entries(s.stdioConfig).filter(([k]) => k !== 'env')) : null;
  return {
    id: ids.idFor('mcp_server', s.id),
    server_type: s.serverType,
    server_name: s.serverName,
    server_url: s.serverUrl,
    stdio_config: stdio,
    metadata_: s.metadata ?? {},
  };
}

export function exportGroup(m: ManagedGroup, ids: FileIdMap): Obj {
  const g = m.group;
  const manager: Obj = {
    manager_type: g.managerType,
    manager_agent_id: g.managerAgentId ? (ids.lookup('agent', g.managerAgentId) ?? null) : null,
  };
  const optional: [string, unknown][] = [
    ['termination_token', g.terminationToken],
    ['max_turns', g.maxTurns],
    ['sleeptime_agent_frequency', g.sleeptimeAgentFrequency],
    ['max_message_buffer_length', g.maxMessageBufferLength],
    ['min_message_buffer_length', g.minMessageBufferLength],
  ];
  for (const [k, v] of optional) if (v != null) manager[k] = v;
  return {
    id: ids.idFor('group', g.id),
    agent_ids: m.agentIds.map((id) => ids.lookup('agent', id)).filter(Boolean),
    description: g.description,
    manager_config: manager,
    project_id: g.projectId,
    shared_block_ids: m.blockIds.map((id) => ids.lookup('block', id)).filter(Boolean),
    hidden: g.hidden,
  };
}

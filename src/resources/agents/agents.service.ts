// Agent use cases: create (blocks, tools, rules, system message in one transaction), read, update, list, delete.
import type { Actor } from '../../actor.js';
import { defaultSystemPrompt } from '../../agent/prompts.js';
import { compileAgentSystem } from '../../agent/system-message.js';
import type { Db } from '../../db/client.js';
import { BadRequestError, ConflictError, NotFoundError, notFound } from '../../errors.js';
import { findTool } from '../tools/tools.repo.js';
import { toPage } from '../../http/pagination.js';
import { newId } from '../../ids.js';
import * as blocksRepo from '../blocks/blocks.repo.js';
import { blockInsertFrom } from '../blocks/blocks.service.js';
import { listAgentBlockRows } from '../../memory/block-rows.js';
import { disownDetached, hasMemoryRepo, listDetachedBlockRows, ownDetached } from '../../memory/detached-blocks.js';
import { insertMessages } from '../../memory/message-rows.js';
import type { AgentsDeps } from './agents.deps.js';
import { randomAgentName } from './agent-names.js';
import { catalogFor, resolveEmbeddingConfig, resolveLlmConfig } from './agent-config.js';
import { loadRelations } from './agent-relations.js';
import { resolveToolsForCreate, toolRulesForCreate } from './agent-tools.js';
import { toAgentState } from './agents.mapper.js';
import * as repo from './agents.repo.js';
import type { AgentState, CreateAgent, ListAgentsQuery, UpdateAgent } from './agents.schemas.js';
import { applyAgentUpdate } from './agent-update.js';
import type { AgentRow } from '../../db/rows.js';

export function createAgentsService(deps: AgentsDeps) {
  const { db } = deps;

  async function state(row: AgentRow, executor: Db = db): Promise<AgentState> {
    const rel = await loadRelations(executor, [row.id]);
    return toAgentState(row, rel.get(row.id)!);
  }

  async function mustGet(actor: Actor, id: string, executor: Db = db): Promise<AgentRow> {
    const row = await repo.findAgent(executor, actor.orgId, id);
    if (!row) throw notFound('Agent', id);
    return row;
  }

  async function create(actor: Actor, req: CreateAgent): Promise<AgentState> {
    const agentType = req.agent_type ?? 'letta_v1_agent';
    const llmConfig = resolveLlmConfig(await catalogFor(deps, actor.orgId, req.model), req, deps.defaultModel);
    const embeddingConfig = resolveEmbeddingConfig(deps.models, req, deps.defaultEmbedding);
    return db.transaction(async (tx) => {
      const toolRows = await resolveToolsForCreate(tx, actor, req, agentType);
      const blockRows = await createAgentBlocks(tx, actor, req);
      const id = newId('agent');
      const systemId = newId('message');
      const secrets = Object.entries(req.secrets ?? req.tool_exec_environment_variables ?? {}).map(([key, value]) => ({ key, value }));
      let row = await repo.insertAgent(tx, {
        id,
        organizationId: actor.orgId,
        name: req.name ?? randomAgentName(),
        agentType,
        system: req.system ?? defaultSystemPrompt(agentType),
        description: req.description ?? null,
        metadata: req.metadata ?? null,
        tags: [...new Set(req.tags ?? [])],
        llmConfig,
        embeddingConfig,
        modelSettings: req.model_settings ?? null,
        compactionSettings: req.compaction_settings ?? null,
        responseFormat: req.response_format ?? null,
        toolRules: toolRulesForCreate(req, agentType, llmConfig, toolRows),
        messageIds: [systemId],
        secrets,
        timezone: req.timezone ?? 'UTC',
        messageBufferAutoclear: req.message_buffer_autoclear ?? agentType === 'workflow_agent',
        enableSleeptime: req.enable_sleeptime ?? null,
        hidden: req.hidden ?? null,
        maxFilesOpen: req.max_files_open ?? null,
        perFileViewWindowCharLimit: req.per_file_view_window_char_limit ?? null,
        projectId: req.project_id ?? null,
        templateId: req.template_id ?? null,
        baseTemplateId: req.base_template_id ?? null,
      });
      await blocksRepo.linkBlocks(
        tx,
        actor.orgId,
        id,
        blockRows.map((b) => b.id),
      );
      await repo.linkTools(
        tx,
        actor.orgId,
        id,
        toolRows.map((t) => t.id),
      );
      const systemText = compileAgentSystem(row, blockRows, toolRows, { messagesInRecall: 0, archivalCount: 0, lastMemoryEdit: null });
      const initial = initialMessages(actor, id, req);
      await insertMessages(tx, [
        {
          id: systemId,
          organizationId: actor.orgId,
          agentId: id,
          role: 'system',
          content: [{ type: 'text', text: systemText }],
          text: systemText,
        },
        ...initial,
      ]);
      if (initial.length) row = (await repo.updateAgentRow(tx, actor.orgId, id, { messageIds: [systemId, ...initial.map((m) => m.id)] }))!;
      return state(row, tx);
    });
  }

  return {
    create,
    async get(actor: Actor, id: string): Promise<AgentState> {
      return state(await mustGet(actor, id));
    },
    async update(actor: Actor, id: string, u: UpdateAgent): Promise<AgentState> {
      // Resolved before the transaction: a BYOK handle is looked up on `db` (one connection on PGlite).
      const models = await catalogFor(deps, actor.orgId, u.model);
      return db.transaction(async (tx) => {
        const current = await mustGet(actor, id, tx);
        const row = await applyAgentUpdate(tx, { ...deps, models }, actor, current, u);
        return state(row, tx);
      });
    },
    async delete(actor: Actor, id: string): Promise<{ message: string }> {
      if (!(await repo.deleteAgentRow(db, actor.orgId, id))) throw notFound('Agent', id);
      return { message: `Agent id=${id} successfully deleted` };
    },
    async list(actor: Actor, q: ListAgentsQuery): Promise<AgentState[]> {
      const order = q.order ?? (q.ascending === true ? 'asc' : 'desc');
      const rows = await repo.listAgentRows(
        db,
        actor.orgId,
        {
          name: q.name,
          tags: q.tags,
          matchAllTags: q.match_all_tags,
          queryText: q.query_text,
          projectId: q.project_id,
          templateId: q.template_id,
          baseTemplateId: q.base_template_id,
          identityId: q.identity_id,
          identifierKeys: q.identifier_keys,
          lastStopReason: q.last_stop_reason,
        },
        toPage({ ...q, order }, { limit: 50, order: 'desc' }),
      );
      const rel = await loadRelations(
        db,
        rows.map((r) => r.id),
      );
      return rows.map((r) => toAgentState(r, rel.get(r.id)!));
    },
    async listForBlock(actor: Actor, blockId: string, q: ListAgentsQuery | Omit<ListAgentsQuery, 'name'>): Promise<AgentState[]> {
      if (!(await blocksRepo.findBlock(db, actor.orgId, blockId))) throw notFound('Block', blockId);
      const ids = await blocksRepo.agentIdsForBlock(db, actor.orgId, blockId);
      const rows = await repo.listAgentRows(db, actor.orgId, { ids }, toPage(q, { limit: 50, order: 'desc' }));
      const rel = await loadRelations(
        db,
        rows.map((r) => r.id),
      );
      return rows.map((r) => toAgentState(r, rel.get(r.id)!));
    },
    async attachBlock(actor: Actor, agentId: string, blockId: string): Promise<AgentState> {
      const out = await db.transaction(async (tx) => {
        const agent = await mustGet(actor, agentId, tx);
        const block = await blocksRepo.findBlock(tx, actor.orgId, blockId);
        if (!block) throw notFound('Block', blockId);
        const existing = [
          ...(await listAgentBlockRows(tx, actor.orgId, agentId)),
          ...(await listDetachedBlockRows(tx, actor.orgId, agentId)),
        ];
        if (existing.some((b) => b.label === block.label && b.id !== block.id)) {
          throw new ConflictError(`Agent ${agentId} already has a block labelled '${block.label}'`);
        }
        await disownDetached(tx, agentId, [blockId]);
        await blocksRepo.linkBlocks(tx, actor.orgId, agentId, [blockId]);
        return state(agent, tx);
      });
      await deps.blocksMoved?.(actor, agentId);
      return out;
    },
    /** Detaching keeps the block the agent's (a file outside `system/`) when the agent has a memory repository. */
    async detachBlock(actor: Actor, agentId: string, blockId: string): Promise<AgentState> {
      const out = await db.transaction(async (tx) => {
        const agent = await mustGet(actor, agentId, tx);
        const block = await blocksRepo.findBlock(tx, actor.orgId, blockId);
        if (!block) throw notFound('Block', blockId);
        const wasAttached = (await blocksRepo.agentIdsForBlock(tx, actor.orgId, blockId)).includes(agentId);
        await blocksRepo.unlinkBlocks(tx, agentId, [blockId]);
        const owned = await listDetachedBlockRows(tx, actor.orgId, agentId);
        if (wasAttached && (await hasMemoryRepo(tx, agentId)) && !owned.some((b) => b.label === block.label)) {
          await ownDetached(tx, actor.orgId, agentId, [blockId]);
        }
        return state(agent, tx);
      });
      await deps.blocksMoved?.(actor, agentId);
      return out;
    },
    async attachTool(actor: Actor, agentId: string, toolId: string): Promise<AgentState> {
      return db.transaction(async (tx) => {
        const agent = await mustGet(actor, agentId, tx);
        const tool = await findTool(tx, actor.orgId, toolId);
        if (!tool) throw notFound('Tool', toolId);
        await repo.linkTools(tx, actor.orgId, agentId, [toolId]);
        let row = agent;
        const rules = agent.toolRules;
        if (tool.defaultRequiresApproval && !rules.some((r) => r.type === 'requires_approval' && r.tool_name === tool.name)) {
          row = (await repo.updateAgentRow(tx, actor.orgId, agentId, {
            toolRules: [...rules, { type: 'requires_approval', tool_name: tool.name }],
          }))!;
        }
        return state(row, tx);
      });
    },
    async detachTool(actor: Actor, agentId: string, toolId: string): Promise<AgentState> {
      const agent = await mustGet(actor, agentId);
      if (!(await findTool(db, actor.orgId, toolId))) throw notFound('Tool', toolId);
      await repo.unlinkTools(db, agentId, [toolId]);
      return state(agent);
    },
    mustGet,
  };
}

async function createAgentBlocks(tx: Db, actor: Actor, req: CreateAgent) {
  const created = await blocksRepo.insertBlocks(
    tx,
    (req.memory_blocks ?? []).map((b) => blockInsertFrom(actor, b)),
  );
  const ids = [...new Set(req.block_ids ?? [])];
  const existing = await blocksRepo.findBlocksByIds(tx, actor.orgId, ids);
  const missing = ids.filter((id) => !existing.some((b) => b.id === id));
  if (missing.length) throw new NotFoundError(`Blocks not found: ${missing.join(', ')}`);
  const all = [...created, ...existing];
  const labels = all.map((b) => b.label);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup) throw new BadRequestError(`Two memory blocks share the label '${dup}'; labels must be unique per agent`);
  return all;
}

function initialMessages(actor: Actor, agentId: string, req: CreateAgent) {
  return (req.initial_message_sequence ?? []).map((m) => {
    const text = typeof m.content === 'string' ? m.content : m.content.map((p) => (typeof p.text === 'string' ? p.text : '')).join('\n');
    return {
      id: newId('message'),
      organizationId: actor.orgId,
      agentId,
      role: m.role,
      content: [{ type: 'text', text }],
      text,
      name: m.name ?? null,
      otid: m.otid ?? null,
      senderId: m.sender_id ?? null,
    };
  });
}

export type AgentsService = ReturnType<typeof createAgentsService>;

// Tool use cases: create-or-update by name, update with schema re-derivation, list filters, delete rules.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { BadRequestError, ConflictError, notFound } from '../../errors.js';
import { pageArray, toPage } from '../../http/pagination.js';
import { newId } from '../../ids.js';
import { BUILTIN_TOOLS } from '../../tools/builtin/registry.js';
import { seedBuiltinTools } from './tool-seed.js';
import { assertAgentExists } from '../agents/agents.repo.js';
import { deriveToolSchema } from './tool-derive.js';
import { toTool } from './tools.mapper.js';
import * as repo from './tools.repo.js';
import { TOOL_TYPES, type AgentToolsQuery, type CreateTool, type ListToolsQuery, type Tool, type UpdateTool } from './tools.schemas.js';
import type { ToolInsert, ToolRow } from '../../db/rows.js';

const isBuiltin = (row: Pick<ToolRow, 'toolType'>) => row.toolType.startsWith('letta_');

function checkTypes(field: string, values: string[] | undefined): void {
  const bad = (values ?? []).filter((v) => !(TOOL_TYPES as readonly string[]).includes(v));
  if (bad.length)
    throw new BadRequestError(
      `${field}: unknown tool type ${bad.map((b) => `'${b}'`).join(', ')}; expected one of ${TOOL_TYPES.join(', ')}`,
    );
}

async function insertFrom(actor: Actor, body: CreateTool): Promise<ToolInsert> {
  const sourceType = body.source_type ?? 'python';
  const derived = await deriveToolSchema({
    sourceCode: body.source_code,
    sourceType,
    jsonSchema: body.json_schema,
    argsJsonSchema: body.args_json_schema,
  });
  return {
    id: newId('tool'),
    organizationId: actor.orgId,
    name: derived.name,
    description: body.description ?? derived.description,
    toolType: 'custom',
    sourceType,
    sourceCode: body.source_code,
    jsonSchema: derived.jsonSchema,
    argsJsonSchema: body.args_json_schema ?? null,
    tags: body.tags ?? [],
    returnCharLimit: body.return_char_limit ?? 50_000,
    pipRequirements: body.pip_requirements ?? null,
    npmRequirements: body.npm_requirements ?? null,
    defaultRequiresApproval: body.default_requires_approval ?? null,
    enableParallelExecution: body.enable_parallel_execution ?? false,
  };
}

/** Fields of an update that are not about the source; the source-derived ones are handled separately. */
function plainPatch(u: UpdateTool): Partial<ToolInsert> {
  const p: Partial<ToolInsert> = {};
  if (u.description !== undefined) p.description = u.description;
  if (u.tags != null) p.tags = u.tags;
  if (u.return_char_limit != null) p.returnCharLimit = u.return_char_limit;
  if (u.pip_requirements !== undefined) p.pipRequirements = u.pip_requirements;
  if (u.npm_requirements !== undefined) p.npmRequirements = u.npm_requirements;
  if (u.default_requires_approval !== undefined) p.defaultRequiresApproval = u.default_requires_approval;
  if (u.enable_parallel_execution != null) p.enableParallelExecution = u.enable_parallel_execution;
  if (u.metadata_ != null) p.metadata = u.metadata_;
  return p;
}

async function sourcePatch(current: ToolRow, u: UpdateTool): Promise<Partial<ToolInsert>> {
  const touchesSource = u.source_code != null || u.json_schema != null || u.source_type != null || u.args_json_schema != null;
  if (!touchesSource) return {};
  if (isBuiltin(current)) throw new BadRequestError(`Tool '${current.name}' is built in; its source and schema cannot be changed`);
  const sourceCode = u.source_code ?? current.sourceCode ?? '';
  const sourceType = u.source_type ?? current.sourceType ?? 'python';
  // A new source without a new schema means the old schema is stale: derive it again.
  const jsonSchema = u.json_schema ?? (u.source_code != null || u.source_type != null ? null : current.jsonSchema);
  const argsJsonSchema = u.args_json_schema ?? current.argsJsonSchema;
  const d = await deriveToolSchema({ sourceCode, sourceType, jsonSchema, argsJsonSchema });
  const p: Partial<ToolInsert> = { sourceCode, sourceType, jsonSchema: d.jsonSchema, name: d.name, argsJsonSchema };
  if (u.description === undefined && d.description !== undefined) p.description = d.description;
  return p;
}

export function createToolsService(deps: { db: Db }) {
  const { db } = deps;

  async function mustGet(actor: Actor, id: string): Promise<ToolRow> {
    const row = await repo.findTool(db, actor.orgId, id);
    if (!row) throw notFound('Tool', id);
    return row;
  }

  async function createOrUpdate(actor: Actor, body: CreateTool): Promise<Tool> {
    const row = await insertFrom(actor, body);
    const existing = await repo.findToolByName(db, actor.orgId, row.name);
    if (existing && isBuiltin(existing))
      throw new ConflictError(`Tool '${row.name}' is built in and cannot be replaced; choose another function name`);
    return toTool(await repo.upsertToolByName(db, row));
  }

  async function update(actor: Actor, id: string, u: UpdateTool): Promise<Tool> {
    const current = await mustGet(actor, id);
    const patch = { ...plainPatch(u), ...(await sourcePatch(current, u)) };
    if (patch.name && patch.name !== current.name) {
      const clash = await repo.findToolByName(db, actor.orgId, patch.name);
      if (clash) throw new ConflictError(`A tool named '${patch.name}' already exists (${clash.id})`);
    }
    const row = await repo.updateToolRow(db, actor.orgId, id, patch);
    if (!row) throw notFound('Tool', id);
    return toTool(row);
  }

  async function list(actor: Actor, q: ListToolsQuery): Promise<Tool[]> {
    checkTypes('tool_types', q.tool_types);
    checkTypes('exclude_tool_types', q.exclude_tool_types);
    const filter: repo.ToolFilter = {
      name: q.name,
      names: q.names,
      ids: q.tool_ids,
      search: q.search,
      types: q.tool_types,
      excludeTypes: q.exclude_tool_types,
      lettaOnly: q.return_only_letta_tools,
    };
    return (await repo.listToolRows(db, actor.orgId, filter, toPage(q, { limit: 50, order: 'desc' }))).map(toTool);
  }

  async function remove(actor: Actor, id: string): Promise<null> {
    const row = await mustGet(actor, id);
    if (isBuiltin(row)) throw new ConflictError(`Tool '${row.name}' is built in and cannot be deleted`);
    await repo.deleteToolRow(db, actor.orgId, id);
    return null;
  }

  async function listForAgent(actor: Actor, agentId: string, q: AgentToolsQuery): Promise<Tool[]> {
    await assertAgentExists(db, actor.orgId, agentId);
    const tools = (await repo.listAgentToolRows(db, actor.orgId, agentId)).map(toTool);
    return pageArray(tools, q, { limit: 50, order: 'asc' });
  }

  /** POST /v1/tools/add-base-tools: (re)writes the built-in tools of the caller's organization and returns them. */
  async function addBaseTools(actor: Actor): Promise<Tool[]> {
    await seedBuiltinTools(db, actor.orgId);
    const rows = await repo.findToolsByNames(
      db,
      actor.orgId,
      BUILTIN_TOOLS.map((t) => t.name),
    );
    return rows.sort((a, b) => a.name.localeCompare(b.name)).map(toTool);
  }

  return {
    create: createOrUpdate,
    addBaseTools,
    upsert: createOrUpdate,
    get: async (actor: Actor, id: string) => toTool(await mustGet(actor, id)),
    update,
    list,
    delete: remove,
    listForAgent,
    mustGet,
  };
}

export type ToolsService = ReturnType<typeof createToolsService>;

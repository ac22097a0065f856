// Imports an agent file in ONE transaction: MCP servers, tools, blocks (shared rows stay shared), agents, groups.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { describeDatabaseRejection } from '../../db/rejection.js';
import { AppError, BadRequestError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { BlockRow } from '../blocks/blocks.mapper.js';
import { insertBlocks } from '../blocks/blocks.repo.js';
import { importAgent, type ImportAgentDeps } from './agent-file.import-agent.js';
import { importMcpServers, importTools } from './agent-file.import-tools.js';
import { insertGroup } from './agent-file.repo.js';
import type { AgentFile, FileBlock, ImportOptions } from './agent-file.schemas.js';

export type ImportDeps = ImportAgentDeps & { db: Db };

export type ImportResult = { agent_ids: string[]; notes?: string[] };

export async function importAgentFile(deps: ImportDeps, actor: Actor, file: AgentFile, opts: ImportOptions): Promise<ImportResult> {
  try {
    return await deps.db.transaction(async (tx) => importAll(tx as Db, deps, actor, file, opts));
  } catch (e) {
    // A value the database refuses is the file's fault (400, described without SQL or values); anything else,
    // an outage included, leaves as it is and the error handler answers 503 or 500.
    if (e instanceof AppError) throw e.status === 400 ? e : new BadRequestError(`Import failed: ${e.message}`);
    const rejected = describeDatabaseRejection(e);
    if (rejected) throw new BadRequestError(`Import failed: ${rejected}`);
    throw e;
  }
}

async function importAll(tx: Db, deps: ImportDeps, actor: Actor, file: AgentFile, opts: ImportOptions): Promise<ImportResult> {
  const mcp = await importMcpServers(tx, actor, file.mcp_servers ?? []);
  const tools = await importTools(tx, actor, file.tools ?? [], mcp.ids, opts.overrideExistingTools);
  const blocks = await importBlocks(tx, actor, file.blocks ?? [], opts.projectId);
  const agentIds = new Map<string, string>();
  for (const a of file.agents) {
    const agentBlocks = (a.block_ids ?? []).map((id) => blocks.get(id)!);
    checkUniqueLabels(a.id, agentBlocks);
    const row = await importAgent(tx, deps, actor, a, { blocks: agentBlocks, tools: (a.tool_ids ?? []).map((id) => tools.get(id)!) }, opts);
    agentIds.set(a.id, row.id);
  }
  await importGroups(tx, actor, file, agentIds, blocks);
  // `notes` only when there is something to say, so the usual answer stays Letta's exact shape.
  return { agent_ids: [...agentIds.values()], ...(mcp.notes.length ? { notes: mcp.notes } : {}) };
}

/** Every file block becomes exactly one row, however many agents of the file reference it. */
async function importBlocks(tx: Db, actor: Actor, fileBlocks: FileBlock[], projectId: string | undefined): Promise<Map<string, BlockRow>> {
  const rows = await insertBlocks(
    tx,
    fileBlocks.map((b) => ({
      id: newId('block'), organizationId: actor.orgId, label: b.label, value: b.value ?? '', limit: b.limit ?? 100_000,
      description: b.description ?? null, metadata: b.metadata ?? {}, readOnly: b.read_only ?? false, hidden: b.hidden ?? null,
      tags: b.tags ?? [], isTemplate: Boolean(b.is_template), templateName: (b.template_name as string | null | undefined) ?? null,
      preserveOnMigration: Boolean(b.preserve_on_migration), projectId: projectId ?? (b.project_id as string | null | undefined) ?? null,
    })),
  );
  return new Map(fileBlocks.map((b, i) => [b.id, rows[i]!]));
}

function checkUniqueLabels(agentId: string, blocks: BlockRow[]): void {
  const labels = blocks.map((b) => b.label);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup) throw new BadRequestError(`Import failed: agent ${agentId} has two blocks labelled '${dup}'`);
}

async function importGroups(tx: Db, actor: Actor, file: AgentFile, agentIds: Map<string, string>, blocks: Map<string, BlockRow>): Promise<void> {
  for (const g of file.groups ?? []) {
    const manager = (g.manager_config as Record<string, unknown> | null | undefined) ?? {};
    const managerAgent = typeof manager.manager_agent_id === 'string' ? agentIds.get(manager.manager_agent_id) : undefined;
    const shared = Array.isArray(g.shared_block_ids) ? (g.shared_block_ids as string[]) : [];
    const num = (k: string) => (typeof manager[k] === 'number' ? (manager[k] as number) : null);
    await insertGroup(tx, {
      id: newId('group'), organizationId: actor.orgId, managerType: String(manager.manager_type ?? 'round_robin'),
      terminationToken: typeof manager.termination_token === 'string' ? manager.termination_token : null, maxTurns: num('max_turns'),
      sleeptimeAgentFrequency: num('sleeptime_agent_frequency'), maxMessageBufferLength: num('max_message_buffer_length'),
      minMessageBufferLength: num('min_message_buffer_length'),
      description: typeof g.description === 'string' ? g.description : null, managerAgentId: managerAgent ?? null,
      hidden: typeof g.hidden === 'boolean' ? g.hidden : null, extras: { manager_config: manager },
      agentIds: (g.agent_ids ?? []).map((id) => agentIds.get(id)!), blockIds: shared.map((id) => blocks.get(id)?.id).filter((x): x is string => Boolean(x)),
    });
  }
}

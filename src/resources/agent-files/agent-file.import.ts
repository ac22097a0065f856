// Imports an agent file in ONE transaction: MCP servers, tools, blocks (shared rows stay shared), agents, groups.
// Big files are written a bounded number of rows a statement; a failure anywhere rolls everything back.
import type { Actor } from '../../actor.js';
import { inBatches, ROWS_PER_INSERT } from '../../db/batches.js';
import type { Db } from '../../db/client.js';
import { AppError, BadRequestError } from '../../errors.js';
import { newId } from '../../ids.js';
import { insertBlocks } from '../blocks/blocks.repo.js';
import { dbCauseOf, short, storeFailure } from './agent-file.errors.js';
import { bool, int, obj, str } from './agent-file.fields.js';
import { importAgent, type ImportAgentDeps } from './agent-file.import-agent.js';
import { importMcpServers, importTools } from './agent-file.import-tools.js';
import { insertGroup } from './agent-file.repo.js';
import type { AgentFile, FileBlock, ImportOptions } from './agent-file.schemas.js';
import { importFolderParts } from '../folders/folder-agent-file.js';
import type { BlockRow } from '../../db/rows.js';

export type ImportDeps = ImportAgentDeps & { db: Db };

export type ImportResult = { agent_ids: string[]; notes?: string[] };

/** Errors leave raw (database ones included); the service turns them into short details (agent-file.errors.ts). */
export async function importAgentFile(deps: ImportDeps, actor: Actor, file: AgentFile, opts: ImportOptions): Promise<ImportResult> {
  return deps.db.transaction(async (tx) => importAll(tx, deps, actor, file, opts));
}

async function importAll(tx: Db, deps: ImportDeps, actor: Actor, file: AgentFile, opts: ImportOptions): Promise<ImportResult> {
  const mcp = await importMcpServers(tx, actor, file.mcp_servers ?? []);
  const tools = await importTools(tx, actor, file.tools ?? [], mcp.ids, opts.overrideExistingTools);
  const blocks = await importBlocks(tx, actor, file.blocks ?? [], opts.projectId);
  const agentIds = new Map<string, string>();
  for (const a of file.agents) {
    const agentBlocks = (a.block_ids ?? []).map((id) => blocks.get(id)!);
    checkUniqueLabels(a.id, agentBlocks);
    const links = { blocks: agentBlocks, tools: (a.tool_ids ?? []).map((id) => tools.get(id)!) };
    const row = await importAgent(tx, deps, actor, a, links, opts).catch((e: unknown) => {
      const cause = e instanceof AppError ? undefined : dbCauseOf(e);
      throw cause ? storeFailure(`agent "${short(a.id)}"`, cause) : e;
    });
    agentIds.set(a.id, row.id);
  }
  await importGroups(tx, actor, file, agentIds, blocks);
  await importFolderParts(tx, actor.orgId, file, agentIds, null);
  // `notes` only when there is something to say, so the usual answer stays Letta's exact shape.
  return { agent_ids: [...agentIds.values()], ...(mcp.notes.length ? { notes: mcp.notes } : {}) };
}

/** Every file block becomes exactly one row, however many agents of the file reference it. */
async function importBlocks(tx: Db, actor: Actor, fileBlocks: FileBlock[], projectId: string | undefined): Promise<Map<string, BlockRow>> {
  const rows = await inBatches(fileBlocks, ROWS_PER_INSERT, (batch) =>
    insertBlocks(
      tx,
      batch.map((b) => ({
        id: newId('block'),
        organizationId: actor.orgId,
        label: b.label,
        value: b.value ?? '',
        limit: b.limit ?? 100_000,
        description: b.description ?? null,
        metadata: b.metadata ?? {},
        readOnly: b.read_only ?? false,
        hidden: b.hidden ?? null,
        tags: b.tags ?? [],
        isTemplate: Boolean(b.is_template),
        templateName: str(b.template_name),
        preserveOnMigration: Boolean(b.preserve_on_migration),
        projectId: projectId ?? str(b.project_id),
      })),
    ),
  ).catch((e: unknown) => {
    const cause = dbCauseOf(e);
    throw cause ? storeFailure('a block', cause) : e;
  });
  return new Map(fileBlocks.map((b, i) => [b.id, rows[i]!]));
}

function checkUniqueLabels(agentId: string, blocks: BlockRow[]): void {
  const seen = new Set<string>();
  for (const { label } of blocks) {
    if (seen.has(label)) throw new BadRequestError(`Import failed: agent ${short(agentId)} has two blocks labelled '${short(label)}'`);
    seen.add(label);
  }
}

async function importGroups(
  tx: Db,
  actor: Actor,
  file: AgentFile,
  agentIds: Map<string, string>,
  blocks: Map<string, BlockRow>,
): Promise<void> {
  for (const g of file.groups ?? []) {
    const manager = obj(g.manager_config) ?? {};
    const managerAgent = typeof manager.manager_agent_id === 'string' ? agentIds.get(manager.manager_agent_id) : undefined;
    const shared = Array.isArray(g.shared_block_ids) ? (g.shared_block_ids as string[]) : [];
    const num = (k: string) => int(manager[k]);
    await insertGroup(tx, {
      id: newId('group'),
      organizationId: actor.orgId,
      managerType: str(manager.manager_type) ?? 'round_robin',
      terminationToken: str(manager.termination_token),
      maxTurns: num('max_turns'),
      sleeptimeAgentFrequency: num('sleeptime_agent_frequency'),
      maxMessageBufferLength: num('max_message_buffer_length'),
      minMessageBufferLength: num('min_message_buffer_length'),
      description: str(g.description),
      managerAgentId: managerAgent ?? null,
      hidden: bool(g.hidden),
      extras: { manager_config: manager },
      agentIds: (g.agent_ids ?? []).map((id) => agentIds.get(id)!),
      blockIds: shared.map((id) => blocks.get(id)?.id).filter((x): x is string => Boolean(x)),
    });
  }
}

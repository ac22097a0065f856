// Identity use cases: CRUD, upsert by identifier key, property replacement, agent/block links.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { ConflictError, NotFoundError, notFound } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { newId } from '../../ids.js';
import { listAgentRows } from '../agents/agents.repo.js';
import { toBlock } from '../blocks/blocks.mapper.js';
import { findBlocksByIds } from '../blocks/blocks.repo.js';
import type { Block } from '../blocks/blocks.schemas.js';
import { toIdentity } from './identities.mapper.js';
import * as repo from './identities.repo.js';
import type { CreateIdentity, Identity, IdentityProperty, ListIdentitiesQuery, UpdateIdentity } from './identities.schemas.js';
import type { IdentityInsert, IdentityRow } from '../../db/rows.js';

export type IdentitiesDeps = { db: Db };

async function checkAgents(db: Db, orgId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return unique;
  const found = await listAgentRows(db, orgId, { ids: unique }, { limit: unique.length, order: 'asc' });
  const missing = unique.filter((id) => !found.some((a) => a.id === id));
  if (missing.length) throw new NotFoundError(`Agents not found: ${missing.join(', ')}`);
  return unique;
}

async function checkBlocks(db: Db, orgId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const found = await findBlocksByIds(db, orgId, unique);
  const missing = unique.filter((id) => !found.some((b) => b.id === id));
  if (missing.length) throw new NotFoundError(`Blocks not found: ${missing.join(', ')}`);
  return unique;
}

/** Replaces the agent and/or block sets of an identity when the request names them. */
async function applyLinks(tx: Db, orgId: string, id: string, agentIds?: string[] | null, blockIds?: string[] | null): Promise<void> {
  if (agentIds != null) {
    const ids = await checkAgents(tx, orgId, agentIds);
    await repo.unlinkAgents(tx, id);
    await repo.linkAgents(tx, orgId, id, ids);
  }
  if (blockIds != null) {
    const ids = await checkBlocks(tx, orgId, blockIds);
    await repo.unlinkBlocks(tx, id);
    await repo.linkBlocks(tx, orgId, id, ids);
  }
}

export function createIdentitiesService(deps: IdentitiesDeps) {
  const { db } = deps;

  async function wire(row: IdentityRow, executor: Db = db): Promise<Identity> {
    const links = await repo.loadLinks(executor, [row.id]);
    return toIdentity(row, links.get(row.id)!);
  }

  async function mustGet(actor: Actor, id: string, executor: Db = db): Promise<IdentityRow> {
    const row = await repo.findIdentity(executor, actor.orgId, id);
    if (!row) throw notFound('Identity', id);
    return row;
  }

  async function insert(tx: Db, actor: Actor, req: CreateIdentity): Promise<IdentityRow> {
    const row = await repo.insertIdentity(tx, {
      id: newId('identity'),
      organizationId: actor.orgId,
      identifierKey: req.identifier_key,
      name: req.name,
      identityType: req.identity_type,
      projectId: req.project_id ?? null,
      properties: (req.properties ?? []) as Record<string, unknown>[],
    });
    await applyLinks(tx, actor.orgId, row.id, req.agent_ids ?? [], req.block_ids ?? []);
    return row;
  }

  async function update(actor: Actor, id: string, u: UpdateIdentity): Promise<Identity> {
    return db.transaction(async (t) => {
      const tx: Db = t;
      const cur = await mustGet(actor, id, tx);
      if (u.identifier_key != null && u.identifier_key !== cur.identifierKey) {
        const clash = await repo.findIdentityByKey(tx, actor.orgId, u.identifier_key, cur.projectId);
        if (clash) throw new ConflictError(`An identity with identifier_key '${u.identifier_key}' already exists`);
      }
      const patch: Partial<IdentityInsert> = {};
      if (u.identifier_key != null) patch.identifierKey = u.identifier_key;
      if (u.name != null) patch.name = u.name;
      if (u.identity_type != null) patch.identityType = u.identity_type;
      if (u.properties != null) patch.properties = u.properties as Record<string, unknown>[];
      const row = (await repo.updateIdentityRow(tx, actor.orgId, id, patch)) ?? cur;
      await applyLinks(tx, actor.orgId, id, u.agent_ids, u.block_ids);
      return wire(row, tx);
    });
  }

  return {
    mustGet,
    update,
    async create(actor: Actor, req: CreateIdentity): Promise<Identity> {
      return db.transaction(async (t) => {
        const tx: Db = t;
        if (await repo.findIdentityByKey(tx, actor.orgId, req.identifier_key, req.project_id ?? null)) {
          throw new ConflictError(`An identity with identifier_key '${req.identifier_key}' already exists`);
        }
        return wire(await insert(tx, actor, req), tx);
      });
    },
    /** PUT /v1/identities/: creates, or updates the identity with the same identifier key (links replaced). */
    async upsert(actor: Actor, req: CreateIdentity): Promise<Identity> {
      const existing = await repo.findIdentityByKey(db, actor.orgId, req.identifier_key, req.project_id ?? null);
      if (!existing) return db.transaction(async (t) => wire(await insert(t, actor, req), t));
      return update(actor, existing.id, {
        ...req,
        agent_ids: req.agent_ids ?? [],
        block_ids: req.block_ids ?? [],
        properties: req.properties ?? [],
      });
    },
    async get(actor: Actor, id: string): Promise<Identity> {
      return wire(await mustGet(actor, id));
    },
    async replaceProperties(actor: Actor, id: string, props: IdentityProperty[]): Promise<Identity> {
      await mustGet(actor, id);
      return wire((await repo.updateIdentityRow(db, actor.orgId, id, { properties: props as Record<string, unknown>[] }))!);
    },
    async delete(actor: Actor, id: string): Promise<{ message: string }> {
      if (!(await repo.deleteIdentityRow(db, actor.orgId, id))) throw notFound('Identity', id);
      return { message: `Identity id=${id} successfully deleted` };
    },
    async list(actor: Actor, q: ListIdentitiesQuery): Promise<Identity[]> {
      const rows = await repo.listIdentityRows(
        db,
        actor.orgId,
        {
          name: q.name,
          projectId: q.project_id,
          identifierKey: q.identifier_key,
          identityType: q.identity_type,
        },
        toPage(q, { limit: 50, order: 'desc' }),
      );
      const links = await repo.loadLinks(
        db,
        rows.map((r) => r.id),
      );
      return rows.map((r) => toIdentity(r, links.get(r.id)!));
    },
    async count(actor: Actor): Promise<number> {
      return repo.countIdentities(db, actor.orgId);
    },
    async listBlocks(actor: Actor, id: string): Promise<Block[]> {
      await mustGet(actor, id);
      const links = await repo.loadLinks(db, [id]);
      return (await findBlocksByIds(db, actor.orgId, links.get(id)!.blockIds)).map(toBlock);
    },
    async attachAgent(actor: Actor, agentId: string, identityId: string): Promise<null> {
      await checkAgents(db, actor.orgId, [agentId]);
      await mustGet(actor, identityId);
      await repo.linkAgents(db, actor.orgId, identityId, [agentId]);
      return null;
    },
    async detachAgent(actor: Actor, agentId: string, identityId: string): Promise<null> {
      await checkAgents(db, actor.orgId, [agentId]);
      await mustGet(actor, identityId);
      await repo.unlinkAgents(db, identityId, [agentId]);
      return null;
    },
    /** Sets an agent's identities (identity_ids on agent create/update). */
    async setAgentIdentities(actor: Actor, agentId: string, identityIds: string[]): Promise<void> {
      const unique = [...new Set(identityIds)];
      for (const id of unique) await mustGet(actor, id);
      await repo.replaceAgentIdentities(db, actor.orgId, agentId, unique);
    },
  };
}

export type IdentitiesService = ReturnType<typeof createIdentitiesService>;

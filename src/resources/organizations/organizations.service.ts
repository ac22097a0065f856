// Admin use cases for organizations: create (with the built-in tools), list, read, update quotas, delete with all rows.
import type { Db } from '../../db/client.js';
import { ConflictError, notFound } from '../../errors.js';
import { DEFAULT_ORG_ID, newId } from '../../ids.js';
import { seedBuiltinTools } from '../tools/tool-seed.js';
import * as repo from './organizations.repo.js';
import type { CreateOrganization, OrgQuotas, Organization, UpdateOrganization } from './organizations.schemas.js';
import type { OrgInsert, OrgRow } from '../../db/rows.js';

function toOrganization(r: OrgRow): Organization {
  return {
    id: r.id,
    name: r.name,
    created_at: r.createdAt.toISOString(),
    quotas: { max_agents: r.maxAgents ?? null, max_tokens_per_day: r.maxTokensPerDay ?? null },
  };
}

function quotaPatch(q: OrgQuotas | undefined): Partial<OrgInsert> {
  const patch: Partial<OrgInsert> = {};
  if (q?.max_agents !== undefined) patch.maxAgents = q.max_agents;
  if (q?.max_tokens_per_day !== undefined) patch.maxTokensPerDay = q.max_tokens_per_day;
  return patch;
}

export type OrganizationsDeps = {
  db: Db;
  /** In-process caches to clear when an organization changes or goes (quota limits, key lookups). */
  quotas?: { forget(orgId: string): void };
  apiKeys?: { forgetOrg(orgId: string): void };
};

export function createOrganizationsService(deps: OrganizationsDeps) {
  const { db } = deps;

  async function mustGet(id: string, executor: Db = db): Promise<OrgRow> {
    const row = await repo.findOrg(executor, id);
    if (!row) throw notFound('Organization', id);
    return row;
  }

  return {
    mustGet,
    /** The organization and its built-in tool rows appear together or not at all. */
    async create(req: CreateOrganization): Promise<Organization> {
      return db.transaction(async (t) => {
        const tx: Db = t;
        const row = await repo.insertOrg(tx, { id: newId('org'), name: req.name, ...quotaPatch(req.quotas) });
        await seedBuiltinTools(tx, row.id);
        return toOrganization(row);
      });
    },
    async list(): Promise<Organization[]> {
      return (await repo.listOrgRows(db)).map(toOrganization);
    },
    async get(id: string): Promise<Organization> {
      return toOrganization(await mustGet(id));
    },
    async update(id: string, u: UpdateOrganization): Promise<Organization> {
      const patch = { ...quotaPatch(u.quotas), ...(u.name !== undefined ? { name: u.name } : {}) };
      if (Object.keys(patch).length === 0) return toOrganization(await mustGet(id));
      const row = await repo.updateOrgRow(db, id, patch);
      if (!row) throw notFound('Organization', id);
      deps.quotas?.forget(id);
      return toOrganization(row);
    },
    /** Removes the organization with every agent, block, tool, message, run, key… it owns, in one transaction. */
    async delete(id: string): Promise<{ message: string }> {
      if (id === DEFAULT_ORG_ID) throw new ConflictError('The default organization cannot be deleted');
      const gone = await db.transaction((t) => repo.deleteOrgCascade(t, id));
      if (!gone) throw notFound('Organization', id);
      deps.apiKeys?.forgetOrg(id);
      deps.quotas?.forget(id);
      return { message: `Organization id=${id} successfully deleted` };
    },
  };
}
export type OrganizationsService = ReturnType<typeof createOrganizationsService>;

// BYOK providers of an organization: keys sealed with MNEMO_SECRET_KEY, base URLs checked by the outbound policy,
// `check` asks the provider itself whether the key works (by listing its models).
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { AppError, BadRequestError, ConflictError, notFound, UpstreamError } from '../../errors.js';
import { pageArray } from '../../http/pagination.js';
import { newId } from '../../ids.js';
import { LlmError } from '../../llm/llm-error.js';
import {
  BYOK_PROVIDER_TYPES,
  byokEndpoint,
  byokProvider,
  type ByokClientOptions,
  type ByokList,
  type ByokLookup,
} from '../../llm/org-models.js';
import { checkOutboundUrl, type OutboundPolicy } from '../../net/outbound-policy.js';
import { createSecretBox, type SecretBox } from '../../secrets/secret-box.js';
import * as repo from './providers.repo.js';
import type { ListProvidersQuery, Provider, ProviderCheck, ProviderCreate, ProviderUpdate } from './providers.schemas.js';

export type ProvidersDeps = {
  db: Db;
  /** MNEMO_SECRET_KEY; without it keys cannot be stored or read. */
  secretKey: string | undefined;
  outbound: OutboundPolicy;
  client: ByokClientOptions;
  /** Names of the operator's configured providers (openai, anthropic, ollama…): a BYOK provider cannot shadow one. */
  reservedNames: () => string[];
};

class SecretKeyMissingError extends AppError {
  constructor() {
    super(
      'Provider keys cannot be stored: the server has no MNEMO_SECRET_KEY. The operator must set MNEMO_SECRET_KEY (at least 32 characters) to enable /v1/providers.',
      400,
    );
  }
}

/** Providers whose models /v1/models lists for one organization. */
const MAX_LISTED = 50;

function opened(box: SecretBox, row: repo.ProviderRow) {
  const { id, name, providerType: type, baseUrl, updatedAt } = row;
  return { id, name, type, apiKey: box.open(row.apiKeyEnc), baseUrl, updatedAt };
}

function toProvider(row: repo.ProviderRow): Provider {
  return {
    id: row.id,
    name: row.name,
    provider_type: row.providerType,
    provider_category: 'byok',
    api_key: null,
    access_key: null,
    base_url: row.baseUrl,
    region: row.region,
    api_version: row.apiVersion,
    organization_id: row.organizationId,
    updated_at: row.updatedAt.toISOString(),
    last_synced: row.lastSynced?.toISOString() ?? null,
  };
}

export function createProvidersService(deps: ProvidersDeps) {
  const { db } = deps;
  const box: SecretBox | undefined = deps.secretKey ? createSecretBox(deps.secretKey) : undefined;
  function sealer(): SecretBox {
    if (!box) throw new SecretKeyMissingError();
    return box;
  }

  async function checkTarget(type: string, baseUrl: string | null | undefined): Promise<void> {
    if (!(BYOK_PROVIDER_TYPES as readonly string[]).includes(type)) {
      throw new BadRequestError(`provider_type '${type}' is not supported by this server; supported: ${BYOK_PROVIDER_TYPES.join(', ')}`);
    }
    const endpoint = byokEndpoint(type, baseUrl);
    if (!endpoint) throw new BadRequestError(`base_url is required for provider_type '${type}'`);
    await checkOutboundUrl(endpoint, deps.outbound);
  }

  async function mustGet(actor: Actor, id: string): Promise<repo.ProviderRow> {
    const row = await repo.findProvider(db, actor.orgId, id);
    if (!row) throw notFound('Provider', id);
    return row;
  }

  /** Lists the provider's models with the key: a 401/403 means the key is wrong. */
  async function probe(c: { type: string; apiKey: string; baseUrl: string | null | undefined }): Promise<void> {
    await checkTarget(c.type, c.baseUrl);
    const client = byokProvider({ name: 'check', type: c.type, apiKey: c.apiKey, baseUrl: c.baseUrl ?? null }, deps.client);
    try {
      await client.listModels();
    } catch (err) {
      const status = err instanceof LlmError ? err.status : undefined;
      if (status === 401 || status === 403)
        throw new BadRequestError(`Invalid API key for provider_type=${c.type}: the provider answered HTTP ${status}`);
      throw new UpstreamError(`Could not verify the key with the provider: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return {
    async list(actor: Actor, q: ListProvidersQuery): Promise<Provider[]> {
      const rows = await repo.listProviderRows(db, actor.orgId, { name: q.name, type: q.provider_type });
      return pageArray(rows.map(toProvider), q, { limit: 50, order: 'desc' });
    },
    get: async (actor: Actor, id: string) => toProvider(await mustGet(actor, id)),
    async create(actor: Actor, body: ProviderCreate): Promise<Provider> {
      const seal = sealer();
      if (deps.reservedNames().includes(body.name))
        throw new ConflictError(`'${body.name}' is the name of a provider configured on this server; choose another name`);
      await checkTarget(body.provider_type, body.base_url);
      if (await repo.findProviderByName(db, actor.orgId, body.name))
        throw new ConflictError(`A provider named '${body.name}' already exists`);
      const row = await repo.insertProvider(db, {
        id: newId('provider'),
        organizationId: actor.orgId,
        name: body.name,
        providerType: body.provider_type,
        baseUrl: body.base_url ?? null,
        apiKeyEnc: seal.seal(body.api_key),
        accessKeyEnc: body.access_key ? seal.seal(body.access_key) : null,
        region: body.region ?? null,
        apiVersion: body.api_version ?? null,
      });
      return toProvider(row);
    },
    async update(actor: Actor, id: string, body: ProviderUpdate): Promise<Provider> {
      const seal = sealer();
      const cur = await mustGet(actor, id);
      const baseUrl = body.base_url === undefined ? cur.baseUrl : body.base_url;
      await checkTarget(cur.providerType, baseUrl);
      const row = await repo.updateProviderRow(db, actor.orgId, id, {
        apiKeyEnc: seal.seal(body.api_key),
        baseUrl,
        ...(body.access_key !== undefined ? { accessKeyEnc: body.access_key ? seal.seal(body.access_key) : null } : {}),
        ...(body.region !== undefined ? { region: body.region } : {}),
        ...(body.api_version !== undefined ? { apiVersion: body.api_version } : {}),
      });
      if (!row) throw notFound('Provider', id);
      return toProvider(row);
    },
    async delete(actor: Actor, id: string): Promise<{ message: string }> {
      if (!(await repo.deleteProviderRow(db, actor.orgId, id))) throw notFound('Provider', id);
      return { message: `Provider id=${id} successfully deleted` };
    },
    async check(body: ProviderCheck): Promise<{ message: string }> {
      await probe({ type: body.provider_type, apiKey: body.api_key, baseUrl: body.base_url });
      return { message: `Valid api key for provider_type=${body.provider_type}` };
    },
    async checkExisting(actor: Actor, id: string): Promise<{ message: string }> {
      const row = await mustGet(actor, id);
      await probe({ type: row.providerType, apiKey: sealer().open(row.apiKeyEnc), baseUrl: row.baseUrl });
      return { message: `Valid api key for provider_type=${row.providerType}` };
    },
    /** Models are listed live when used, so a refresh only checks the key still works and records when. */
    async refresh(actor: Actor, id: string): Promise<Provider> {
      const row = await mustGet(actor, id);
      await probe({ type: row.providerType, apiKey: sealer().open(row.apiKeyEnc), baseUrl: row.baseUrl });
      const next = await repo.updateProviderRow(db, actor.orgId, id, { lastSynced: new Date() });
      return toProvider(next ?? row);
    },
    /** For the model resolver: the organization's provider of that name with its key opened. */
    lookup: (async (orgId, name) => {
      if (!box) return undefined;
      const row = await repo.findProviderByName(db, orgId, name);
      return row ? opened(box, row) : undefined;
    }) satisfies ByokLookup,
    /** For the model list: the organization's first providers with their keys opened. */
    listOpened: (async (orgId) => {
      if (!box) return [];
      const rows = await repo.listProviderRows(db, orgId, {});
      return rows.slice(0, MAX_LISTED).map((row) => opened(box, row));
    }) satisfies ByokList,
  };
}

export type ProvidersService = ReturnType<typeof createProvidersService>;

// What organization A sees of its own resources; compared before and after B's attempts.
import type { TestApp } from '../../support/test-app.js';
import { as } from './tenants.js';
import type { World } from './tenant-world.js';

export function snapshotUrls(A: World): string[] {
  const i = A.ids;
  return [
    `/v1/agents/${i.agent}`,
    `/v1/agents/${i.agent}/core-memory/blocks`,
    `/v1/agents/${i.agent}/tools`,
    `/v1/agents/${i.agent}/messages`,
    `/v1/agents/${i.agent}/archival-memory`,
    `/v1/agents/${i.agent}/groups`,
    `/v1/blocks/${i.block}`,
    `/v1/blocks/${i.block}/agents`,
    `/v1/tools/${i.tool}`,
    `/v1/mcp-servers/${i.mcp_server}`,
    `/v1/archives/${i.archive}`,
    `/v1/identities/${i.identity}`,
    `/v1/identities/${i.identity}/agents`,
    `/v1/identities/${i.identity}/blocks`,
    `/v1/groups/${i.group}`,
    `/v1/conversations/${i.conversation}`,
    `/v1/conversations/${i.conversation}/messages`,
    `/v1/runs/${i.run}`,
    `/v1/runs/${i.run}/steps`,
    `/v1/steps/${i.step}`,
    `/v1/messages/${i.message}`,
    '/v1/agents/',
    '/v1/blocks/',
    '/v1/tools/',
    '/v1/archives/',
    '/v1/identities/',
    '/v1/groups/',
    '/v1/conversations/',
    '/v1/runs/',
    '/v1/mcp-servers/',
    `/v1/providers/${i.provider}`,
    '/v1/providers/',
    `/v1/folders/${i.folder}`,
    `/v1/folders/${i.folder}/files`,
    `/v1/folders/${i.folder}/agents`,
    `/v1/agents/${i.agent}/files`,
    '/v1/folders/',
  ];
}

export async function snapshotOf(t: TestApp, A: World): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const url of snapshotUrls(A)) {
    const res = await as(t, A.tenant, 'GET', url);
    out[url] = `${res.status} ${res.text}`;
  }
  return out;
}

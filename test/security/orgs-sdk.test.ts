// The official Letta SDK with an organization key: it works, and sees only its own organization's agents.
import Letta from '@letta-ai/letta-client';
import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { createOrgWithKey } from '../support/orgs.js';

const ADMIN = 'admin-key-for-sdk-0123456789';
const t = useAgentHarness({ listen: true, env: { MNEMO_API_KEY: ADMIN } });
const client = (apiKey: string) => new Letta({ baseURL: t.url, apiKey, maxRetries: 0 });

async function names(c: Letta): Promise<string[]> {
  const out: string[] = [];
  for await (const a of c.agents.list()) out.push(a.name);
  return out.sort();
}

describe('Letta SDK with organization keys', () => {
  it("creates, lists and talks to agents within the key's organization only", async () => {
    const a = client((await createOrgWithKey(t.app, ADMIN, 'sdk-a')).key);
    const b = client((await createOrgWithKey(t.app, ADMIN, 'sdk-b')).key);
    const admin = client(ADMIN);
    const agentA = await a.agents.create({ name: 'alpha', model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' });
    await b.agents.create({ name: 'beta', model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' });
    await admin.agents.create({ name: 'gamma', model: 'openai/gpt-4o-mini', embedding: 'openai/text-embedding-3-small' });
    expect(await names(a)).toEqual(['alpha']);
    expect(await names(b)).toEqual(['beta']);
    expect(await names(admin)).toEqual(['gamma']);
    await expect(b.agents.retrieve(agentA.id)).rejects.toMatchObject({ status: 404 });
    t.llm.enqueue({ text: 'hi from alpha' });
    const reply = await a.agents.messages.create(agentA.id, { messages: [{ role: 'user', content: 'hello' }] });
    expect(reply.messages.some((m) => m.message_type === 'assistant_message')).toBe(true);
  });

  it('is refused with 401 for an unknown key', async () => {
    await expect(client('mnemo_sk_' + 'C'.repeat(43)).agents.list()).rejects.toMatchObject({ status: 401 });
  });
});

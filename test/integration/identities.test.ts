import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ offline: true });

const agent = async (name: string, extra: Record<string, unknown> = {}) =>
  (await call(t.app, 'POST', '/v1/agents/', { name, model: 'openai/gpt-4o-mini', ...extra })).body;

describe('identities API', () => {
  it('creates, reads, updates, lists and deletes an identity with properties', async () => {
    const props = [
      { key: 'plan', value: 'pro', type: 'string' },
      { key: 'seats', value: 3, type: 'number' },
    ];
    const created = await call(t.app, 'POST', '/v1/identities/', {
      identifier_key: 'user-ada',
      name: 'Ada',
      identity_type: 'user',
      properties: props,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      identifier_key: 'user-ada',
      name: 'Ada',
      identity_type: 'user',
      agent_ids: [],
      block_ids: [],
      properties: props,
    });
    expect(created.body.id).toMatch(/^identity-[0-9a-f-]{36}$/);
    const id = created.body.id;

    expect((await call(t.app, 'GET', `/v1/identities/${id}`)).body).toEqual(created.body);
    const upd = await call(t.app, 'PATCH', `/v1/identities/${id}`, { name: 'Ada L.' });
    expect(upd.body).toMatchObject({ name: 'Ada L.', properties: props });
    const replaced = await call(t.app, 'PUT', `/v1/identities/${id}/properties`, [{ key: 'beta', value: true, type: 'boolean' }]);
    expect(replaced.body.properties).toEqual([{ key: 'beta', value: true, type: 'boolean' }]);

    await call(t.app, 'POST', '/v1/identities/', { identifier_key: 'org-acme', name: 'Acme', identity_type: 'org' });
    const users = await call(t.app, 'GET', '/v1/identities/?identity_type=user');
    expect(users.body.map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await call(t.app, 'GET', '/v1/identities/?identifier_key=org-acme')).body).toHaveLength(1);
    expect((await call(t.app, 'GET', '/v1/identities/?name=ada')).body).toHaveLength(1);
    expect((await call(t.app, 'GET', '/v1/identities/count')).body).toBe(2);

    expect((await call(t.app, 'DELETE', `/v1/identities/${id}`)).status).toBe(200);
    expect((await call(t.app, 'GET', `/v1/identities/${id}`)).status).toBe(404);
  });

  it('rejects a duplicate identifier key, bad input and unknown ids', async () => {
    await call(t.app, 'POST', '/v1/identities/', { identifier_key: 'dup', name: 'A', identity_type: 'user' });
    expect((await call(t.app, 'POST', '/v1/identities/', { identifier_key: 'dup', name: 'B', identity_type: 'user' })).status).toBe(409);
    expect((await call(t.app, 'POST', '/v1/identities/', { identifier_key: 'x', name: 'B', identity_type: 'robot' })).status).toBe(422);
    const badProp = await call(t.app, 'POST', '/v1/identities/', {
      identifier_key: 'y',
      name: 'B',
      identity_type: 'user',
      properties: [{ key: 'n', value: 'x', type: 'number' }],
    });
    expect(badProp.status).toBe(422);
    const missing = 'identity-00000000-0000-4000-8000-000000000000';
    expect((await call(t.app, 'GET', `/v1/identities/${missing}`)).status).toBe(404);
    expect((await call(t.app, 'GET', '/v1/identities/not-an-id')).status).toBe(422);
  });

  it('upserts by identifier key with PUT', async () => {
    const first = await call(t.app, 'PUT', '/v1/identities/', { identifier_key: 'ups', name: 'One', identity_type: 'user' });
    const second = await call(t.app, 'PUT', '/v1/identities/', { identifier_key: 'ups', name: 'Two', identity_type: 'other' });
    expect(second.body.id).toBe(first.body.id);
    expect(second.body).toMatchObject({ name: 'Two', identity_type: 'other' });
  });

  it('scopes agents: attach/detach, identity_ids on create, and the identity_id filter', async () => {
    const ada = (await call(t.app, 'POST', '/v1/identities/', { identifier_key: 'scope-ada', name: 'Ada', identity_type: 'user' })).body;
    const bob = (await call(t.app, 'POST', '/v1/identities/', { identifier_key: 'scope-bob', name: 'Bob', identity_type: 'user' })).body;
    const a1 = await agent('ada-one', { identity_ids: [ada.id] });
    const a2 = await agent('ada-two');
    const b1 = await agent('bob-one', { identity_ids: [bob.id] });
    expect(a1.identity_ids).toEqual([ada.id]);
    expect(a1.identities[0]).toMatchObject({ id: ada.id, identifier_key: 'scope-ada', agent_ids: [a1.id] });

    const att = await call(t.app, 'PATCH', `/v1/agents/${a2.id}/identities/attach/${ada.id}`);
    expect(att.status).toBe(200);
    expect(att.body).toBeNull();
    const mine = await call(t.app, 'GET', `/v1/agents/?identity_id=${ada.id}`);
    expect(mine.body.map((a: { id: string }) => a.id).sort()).toEqual([a1.id, a2.id].sort());
    expect((await call(t.app, 'GET', `/v1/identities/${ada.id}/agents`)).body).toHaveLength(2);
    expect((await call(t.app, 'GET', `/v1/agents/?identity_id=${bob.id}`)).body.map((a: { id: string }) => a.id)).toEqual([b1.id]);

    await call(t.app, 'PATCH', `/v1/agents/${a2.id}/identities/detach/${ada.id}`);
    expect((await call(t.app, 'GET', `/v1/agents/?identity_id=${ada.id}`)).body).toHaveLength(1);
    const moved = await call(t.app, 'PATCH', `/v1/agents/${a1.id}`, { identity_ids: [bob.id] });
    expect(moved.body.identity_ids).toEqual([bob.id]);
    const unknown = 'identity-00000000-0000-4000-8000-000000000001';
    expect((await call(t.app, 'PATCH', `/v1/agents/${a1.id}/identities/attach/${unknown}`)).status).toBe(404);
    expect(
      (await call(t.app, 'POST', '/v1/agents/', { name: 'nobody', model: 'openai/gpt-4o-mini', identity_ids: [unknown] })).status,
    ).toBe(404);
  });

  it('links blocks and agents through block_ids / agent_ids', async () => {
    const block = (await call(t.app, 'POST', '/v1/blocks/', { label: 'prefs', value: 'likes tea' })).body;
    const a = await agent('linked');
    const ident = await call(t.app, 'POST', '/v1/identities/', {
      identifier_key: 'linker',
      name: 'L',
      identity_type: 'user',
      block_ids: [block.id],
      agent_ids: [a.id],
    });
    expect(ident.body).toMatchObject({ block_ids: [block.id], agent_ids: [a.id] });
    expect((await call(t.app, 'GET', `/v1/identities/${ident.body.id}/blocks`)).body.map((b: { id: string }) => b.id)).toEqual([block.id]);
    const cleared = await call(t.app, 'PATCH', `/v1/identities/${ident.body.id}`, { agent_ids: [] });
    expect(cleared.body.agent_ids).toEqual([]);
    expect(cleared.body.block_ids).toEqual([block.id]);
    const bad = await call(t.app, 'PATCH', `/v1/identities/${ident.body.id}`, {
      block_ids: ['block-00000000-0000-4000-8000-000000000000'],
    });
    expect(bad.status).toBe(404);
  });
});

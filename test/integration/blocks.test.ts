import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ offline: true });

describe('blocks API', () => {
  it('creates, reads, updates, lists and deletes a block', async () => {
    const created = await call(t.app, 'POST', '/v1/blocks/', { label: 'human', value: 'Name: Ada', limit: 500 });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ label: 'human', value: 'Name: Ada', limit: 500, read_only: false });
    expect(created.body.id).toMatch(/^block-[0-9a-f-]{36}$/);
    expect(created.body.description).toContain('person');

    const got = await call(t.app, 'GET', `/v1/blocks/${created.body.id}`);
    expect(got.body).toEqual(created.body);

    const updated = await call(t.app, 'PATCH', `/v1/blocks/${created.body.id}`, { value: 'Name: Ada Lovelace' });
    expect(updated.status).toBe(200);
    expect(updated.body.value).toBe('Name: Ada Lovelace');

    const list = await call(t.app, 'GET', '/v1/blocks/?label=human');
    expect(list.body.map((b: { id: string }) => b.id)).toContain(created.body.id);

    expect((await call(t.app, 'DELETE', `/v1/blocks/${created.body.id}`)).status).toBe(200);
    expect((await call(t.app, 'GET', `/v1/blocks/${created.body.id}`)).status).toBe(404);
  });

  it('rejects a block value over its limit and keeps the stored value', async () => {
    const b = await call(t.app, 'POST', '/v1/blocks/', { label: 'notes', value: 'short', limit: 10 });
    const res = await call(t.app, 'PATCH', `/v1/blocks/${b.body.id}`, { value: 'x'.repeat(11) });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/limit of 10/);
    expect((await call(t.app, 'GET', `/v1/blocks/${b.body.id}`)).body.value).toBe('short');
    const tooBig = await call(t.app, 'POST', '/v1/blocks/', { label: 'x', value: 'abcdef', limit: 3 });
    expect(tooBig.status).toBe(400);
  });

  it('validates input and ids', async () => {
    const missing = await call(t.app, 'POST', '/v1/blocks/', { value: 'no label' });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toContain('label');
    expect((await call(t.app, 'GET', '/v1/blocks/not-an-id')).status).toBe(422);
    expect((await call(t.app, 'GET', '/v1/blocks/block-00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/v1/blocks/',
      payload: '{bad',
      headers: { 'content-type': 'application/json' },
    });
    expect(badJson.statusCode).toBe(400);
  });

  it('paginates with order-relative cursors until an empty page', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await call(t.app, 'POST', '/v1/blocks/', { label: 'page', value: `v${i}`, tags: ['pg'] })).body.id);
    const seen: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = await call(t.app, 'GET', `/v1/blocks/?tags=pg&limit=2&order=asc${after ? `&after=${after}` : ''}`);
      if (page.body.length === 0) break;
      seen.push(...page.body.map((b: { id: string }) => b.id));
      after = page.body.at(-1).id;
    }
    expect(seen).toEqual(ids);
    const desc = await call(t.app, 'GET', `/v1/blocks/?tags=pg&limit=2&order=desc&after=${ids[2]}`);
    expect(desc.body.map((b: { id: string }) => b.id)).toEqual([ids[1], ids[0]]);
    const before = await call(t.app, 'GET', `/v1/blocks/?tags=pg&limit=2&order=asc&before=${ids[3]}`);
    expect(before.body.map((b: { id: string }) => b.id)).toEqual([ids[1], ids[2]]);
  });
});

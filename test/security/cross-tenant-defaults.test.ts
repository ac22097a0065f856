// No write falls into the default organization by omission: a job or a passage without an organization is refused
// by the database instead of being stored under DEFAULT_ORG_ID (where the default organization's key would see it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJob } from '../../src/jobs/jobs.repo.js';
import { writePassageRows } from '../../src/memory/passage-insert.js';
import { newId } from '../../src/ids.js';
import { call } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
});
afterAll(async () => t?.close());

describe('writes without an organization', () => {
  it('refuses a job without an organization', async () => {
    await expect(insertJob(t.ctx.dbh.db, { queue: 'q', payload: {} } as never)).rejects.toThrow();
  });

  it('refuses a passage without an organization', async () => {
    const archive = await call(t.app, 'POST', '/v1/archives/', { name: 'no-org', embedding: 'openai/text-embedding-3-small' });
    expect(archive.status).toBe(200);
    const row = { id: newId('passage'), archiveId: archive.body.id, text: 'orphan' };
    await expect(writePassageRows(t.ctx.dbh.db, [row as never])).rejects.toThrow();
  });
});

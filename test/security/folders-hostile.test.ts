// Hostile uploads and lookups: sizes over the limit, unsupported or mislabelled bytes, broken PDFs, catastrophic grep
// patterns, and another organization's folder and file ids.
import { describe, expect, it } from 'vitest';
import { grepFiles } from '../../src/resources/folders/file-search.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { until } from '../support/http.js';
import { multipartFile } from '../support/multipart.js';
import { callAs, createOrgWithKey } from '../support/orgs.js';

const ADMIN = 'admin-key-for-folder-tests';
const LIMIT = 64 * 1024;
const h = useAgentHarness({ env: { MNEMO_API_KEY: ADMIN, MNEMO_MAX_UPLOAD_BYTES: String(LIMIT) } });

async function setup() {
  const org = await createOrgWithKey(h.app, ADMIN, `org-${Math.random().toString(36).slice(2)}`);
  const folder = await callAs(h.app, org.key, 'POST', '/v1/folders/', { name: 'docs', embedding: 'openai/text-embedding-3-small' });
  expect(folder.status).toBe(200);
  const upload = async (name: string, content: Buffer | string, type?: string) => {
    const mp = multipartFile(name, content, type);
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/folders/${folder.body.id}/upload`,
      payload: mp.payload,
      headers: { authorization: `Bearer ${org.key}`, ...mp.headers },
    });
    return { status: res.statusCode, body: res.json() };
  };
  const files = async () => (await callAs(h.app, org.key, 'GET', `/v1/folders/${folder.body.id}/files`)).body as { id: string }[];
  return { org, folderId: folder.body.id as string, upload, files };
}

describe('hostile uploads', () => {
  it('answers 413 over the upload limit and stores nothing', async () => {
    const s = await setup();
    const res = await s.upload('big.md', Buffer.alloc(LIMIT + 1, 'a'), 'text/markdown');
    expect(res.status).toBe(413);
    expect(res.body.detail).toContain(String(LIMIT));
    expect(await s.files()).toEqual([]);
    const blobs = await h.ctx.dbh.db.execute('select count(*)::int as n from folder_file_blobs');
    expect((blobs as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
    // Exactly at the limit is accepted.
    expect((await s.upload('edge.md', Buffer.alloc(LIMIT, 'a'), 'text/markdown')).status).toBe(200);
  });

  it('answers 415 for unsupported types and for bytes that do not fit the claimed type, storing nothing', async () => {
    const s = await setup();
    expect((await s.upload('tool.exe', Buffer.from('MZ\x90\x00'), 'application/x-msdownload')).status).toBe(415);
    expect((await s.upload('fake.pdf', 'just text, not a PDF', 'application/pdf')).status).toBe(415);
    expect((await s.upload('binary.md', Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02]), 'text/markdown')).status).toBe(415);
    expect((await s.upload('fake.docx', 'plain', 'application/octet-stream')).status).toBe(415);
    expect(await s.files()).toEqual([]);
    const notMultipart = await callAs(h.app, s.org.key, 'POST', `/v1/folders/${s.folderId}/upload`, { file: 'x' });
    expect(notMultipart.status).toBe(415);
  });

  it('a broken PDF ends in processing_status error with a message, not a crash', async () => {
    const s = await setup();
    const res = await s.upload('broken.pdf', '%PDF-1.4\nthis is not a real pdf body', 'application/pdf');
    expect(res.status).toBe(200);
    const done = await until(async () => {
      const f = await callAs(h.app, s.org.key, 'GET', `/v1/folders/${s.folderId}/files/${res.body.id}`);
      return f.body.processing_status === 'error' || f.body.processing_status === 'completed' ? f.body : undefined;
    }, 60_000);
    expect(done.processing_status).toBe('error');
    expect(done.error_message).toMatch(/Could not parse/);
  });

  it('cleans path segments and control characters out of file names', async () => {
    const s = await setup();
    const res = await s.upload('../../etc/pass\u0007wd.txt', 'hello', 'text/plain');
    expect(res.status).toBe(200);
    expect(res.body.original_file_name).toBe('passwd.txt');
    expect(res.body.file_name).toBe('docs/passwd.txt');
  });

  it("another organization's folder and file ids answer 404 everywhere", async () => {
    const a = await setup();
    const up = await a.upload('a.md', '# secret of A', 'text/markdown');
    const b = await setup();
    const agentB = await callAs(h.app, b.org.key, 'POST', '/v1/agents/', {
      name: 'b',
      model: 'openai/gpt-4o-mini',
      embedding: 'openai/text-embedding-3-small',
    });
    const urls: [string, string][] = [
      ['GET', `/v1/folders/${a.folderId}`],
      ['GET', `/v1/sources/${a.folderId}`],
      ['GET', `/v1/folders/${a.folderId}/files`],
      ['GET', `/v1/folders/${a.folderId}/files/${up.body.id}`],
      ['GET', `/v1/folders/${b.folderId}/files/${up.body.id}`],
      ['DELETE', `/v1/folders/${b.folderId}/${up.body.id}`],
      ['DELETE', `/v1/folders/${a.folderId}`],
      ['PATCH', `/v1/agents/${agentB.body.id}/folders/attach/${a.folderId}`],
      ['PATCH', `/v1/agents/${agentB.body.id}/files/${up.body.id}/open`],
      ['GET', `/v1/folders/${a.folderId}/agents`],
    ];
    for (const [m, u] of urls) expect((await callAs(h.app, b.org.key, m, u)).status, `${m} ${u}`).toBe(404);
    const mp = multipartFile('x.md', 'intruder', 'text/markdown');
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/folders/${a.folderId}/upload`,
      payload: mp.payload,
      headers: { authorization: `Bearer ${b.org.key}`, ...mp.headers },
    });
    expect(res.statusCode).toBe(404);
    expect((await a.files()).map((f) => f.id)).toEqual([up.body.id]);
  });
});

describe('grep bounds', () => {
  it('stops a catastrophic pattern at the time budget instead of hanging', () => {
    const line = `${'a'.repeat(40)}!`;
    const started = Date.now();
    const res = grepFiles([{ fileId: 'f', fileName: 'evil.txt', content: `${line}\n${line}` }], /(a+)+$/i, 0, 10, 300);
    expect(res.stopped).toBe('time budget reached');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('finds matches with context and counts them per file', () => {
    const res = grepFiles([{ fileId: 'f', fileName: 'x.txt', content: 'one\ntwo needle\nthree' }], /needle/i, 1, 10);
    expect(res.matches).toEqual([{ fileName: 'x.txt', line: 2, context: ['  1: one', '> 2: two needle', '  3: three'] }]);
    expect(res.perFile.get('x.txt')).toBe(1);
  });
});

// HTTP edge of folders (`/v1/folders/…`, and `/v1/sources/…`, Letta's deprecated alias) and of an agent's files.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BadRequestError } from '../../errors.js';
import { actorOf } from '../../http/actor.js';
import { idParam } from '../../ids.js';
import type { Services } from '../../services.js';
import { AgentIdParams } from '../agents/agents.schemas.js';
import { UnsupportedMediaTypeError, type UploadPart } from './folder-upload.js';
import {
  AgentFileParams,
  AgentFilesPage,
  AgentFilesQuery,
  CreateFolder,
  FileMetadata,
  FileQuery,
  Folder,
  FolderNameParams,
  FolderStatsQuery,
  ListFilesQuery,
  ListFoldersQuery,
  OrganizationSourcesStats,
  SourceNameParams,
  UpdateFolder,
  UploadQuery,
} from './folders.schemas.js';
import type { App } from '../../http/app-type.js';

type Key = 'folder_id' | 'source_id';

export function registerFolderRoutes(app: App, s: Services, maxUploadBytes: number): void {
  for (const [base, key] of [
    ['folders', 'folder_id'],
    ['sources', 'source_id'],
  ] as const)
    registerSet(app, s, base, key, maxUploadBytes);
  const files = s.agentFolders;
  const tags = ['agents'];
  app.get(
    '/v1/agents/:agent_id/files',
    { schema: { tags, params: AgentIdParams, querystring: AgentFilesQuery, response: { 200: AgentFilesPage } } },
    (req) => files.listFiles(actorOf(req), req.params.agent_id, req.query),
  );
  app.patch(
    '/v1/agents/:agent_id/files/close-all',
    { schema: { tags, params: AgentIdParams, response: { 200: z.array(z.string()) } } },
    (req) => files.closeAll(actorOf(req), req.params.agent_id),
  );
  app.patch(
    '/v1/agents/:agent_id/files/:file_id/open',
    { schema: { tags, params: AgentFileParams, response: { 200: z.array(z.string()) } } },
    (req) => files.open(actorOf(req), req.params.agent_id, req.params.file_id),
  );
  app.patch(
    '/v1/agents/:agent_id/files/:file_id/close',
    { schema: { tags, params: AgentFileParams, response: { 200: z.null() } } },
    (req) => files.close(actorOf(req), req.params.agent_id, req.params.file_id),
  );
}

function registerSet(app: App, s: Services, base: 'folders' | 'sources', key: Key, maxUploadBytes: number): void {
  const f = s.folders;
  const tags = [base];
  const Id = z.object({ [key]: idParam('source') } as Record<Key, ReturnType<typeof idParam>>);
  const IdFile = z.object({ [key]: idParam('source'), file_id: idParam('file') } as Record<Key | 'file_id', ReturnType<typeof idParam>>);
  const AgentId = z.object({ agent_id: idParam('agent'), [key]: idParam('source') } as Record<
    Key | 'agent_id',
    ReturnType<typeof idParam>
  >);
  const p = `/v1/${base}`;
  const k = `:${key}`;
  app.post(`${p}/`, { schema: { tags, body: CreateFolder, response: { 200: Folder } } }, (req) => f.create(actorOf(req), req.body));
  app.get(`${p}/`, { schema: { tags, querystring: ListFoldersQuery, response: { 200: z.array(Folder) } } }, (req) =>
    f.list(actorOf(req), req.query),
  );
  app.get(`${p}/count`, { schema: { tags, response: { 200: z.number().int() } } }, (req) => f.count(actorOf(req)));
  app.get(`${p}/metadata`, { schema: { tags, querystring: FolderStatsQuery, response: { 200: OrganizationSourcesStats } } }, (req) =>
    f.stats(actorOf(req), req.query.include_detailed_per_source_metadata),
  );
  if (base === 'folders')
    app.get(`${p}/name/:folder_name`, { schema: { tags, params: FolderNameParams, response: { 200: z.string() } } }, (req) =>
      f.idByName(actorOf(req), req.params.folder_name),
    );
  else
    app.get(`${p}/name/:source_name`, { schema: { tags, params: SourceNameParams, response: { 200: z.string() } } }, (req) =>
      f.idByName(actorOf(req), req.params.source_name),
    );
  app.get(`${p}/${k}`, { schema: { tags, params: Id, response: { 200: Folder } } }, (req) => f.get(actorOf(req), req.params[key]));
  app.patch(`${p}/${k}`, { schema: { tags, params: Id, body: UpdateFolder, response: { 200: Folder } } }, (req) =>
    f.update(actorOf(req), req.params[key], req.body ?? {}),
  );
  app.delete(`${p}/${k}`, { schema: { tags, params: Id, response: { 200: z.null() } } }, async (req) => {
    await f.delete(actorOf(req), req.params[key]);
    return null;
  });
  app.get(`${p}/${k}/agents`, { schema: { tags, params: Id, response: { 200: z.array(z.string()) } } }, (req) =>
    f.agents(actorOf(req), req.params[key]),
  );
  app.post(`${p}/${k}/upload`, { schema: { tags, params: Id, querystring: UploadQuery, response: { 200: FileMetadata } } }, async (req) => {
    await f.get(actorOf(req), req.params[key]); // unknown folder: 404 before the body is looked at
    return f.upload(actorOf(req), req.params[key], await uploadPart(req, maxUploadBytes), req.query);
  });
  app.get(
    `${p}/${k}/files`,
    { schema: { tags, params: Id, querystring: ListFilesQuery, response: { 200: z.array(FileMetadata) } } },
    (req) => f.listFiles(actorOf(req), req.params[key], req.query),
  );
  app.get(
    `${p}/${k}/files/:file_id`,
    { schema: { tags, params: IdFile, querystring: FileQuery, response: { 200: FileMetadata } } },
    (req) => f.getFile(actorOf(req), req.params[key], req.params.file_id, req.query.include_content),
  );
  app.delete(`${p}/${k}/:file_id`, { schema: { tags, params: IdFile } }, async (req, reply) => {
    await f.deleteFile(actorOf(req), req.params[key], req.params.file_id);
    return reply.code(204).send();
  });
  const agentTags = ['agents', base];
  app.get(
    `/v1/agents/:agent_id/${base}`,
    { schema: { tags: agentTags, params: AgentIdParams, querystring: ListFoldersQuery, response: { 200: z.array(Folder) } } },
    async (req) => {
      await f.assertAgent(actorOf(req), req.params.agent_id);
      return f.list(actorOf(req), { ...req.query, agentId: req.params.agent_id });
    },
  );
  app.patch(`/v1/agents/:agent_id/${base}/attach/${k}`, { schema: { tags: agentTags, params: AgentId } }, async (req) => {
    await s.agentFolders.attach(actorOf(req), req.params.agent_id, req.params[key]);
    return s.agents.get(actorOf(req), req.params.agent_id);
  });
  app.patch(`/v1/agents/:agent_id/${base}/detach/${k}`, { schema: { tags: agentTags, params: AgentId } }, async (req) => {
    await s.agentFolders.detach(actorOf(req), req.params.agent_id, req.params[key]);
    return s.agents.get(actorOf(req), req.params.agent_id);
  });
}

/** The multipart `file` part, streamed (the per-request size limit is one byte over the upload limit, to detect it). */
async function uploadPart(req: FastifyRequest, maxUploadBytes: number): Promise<UploadPart | undefined> {
  if (!req.isMultipart()) throw new UnsupportedMediaTypeError('Upload must be multipart/form-data with a "file" field');
  const part = await req.file({ limits: { fileSize: maxUploadBytes + 1, files: 1 }, throwFileSizeLimit: false });
  if (!part) return undefined;
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw new BadRequestError('file is required (multipart/form-data field "file")');
  }
  return { filename: part.filename, mimetype: part.mimetype, file: part.file };
}

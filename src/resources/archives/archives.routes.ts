import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import { CreateArchivePassage, CreateArchivePassages, Passage } from '../passages/passages.schemas.js';
import {
  AgentArchiveParams,
  Archive,
  ArchiveIdParams,
  ArchivePassageParams,
  CreateArchive,
  ListArchivesQuery,
  UpdateArchive,
} from './archives.schemas.js';

const tags = ['archives'];

export function registerArchiveRoutes(app: App, s: Services): void {
  app.post('/v1/archives/', { schema: { tags, body: CreateArchive, response: { 200: Archive } } }, (req) =>
    s.archives.create(actorOf(req), req.body),
  );
  app.get('/v1/archives/', { schema: { tags, querystring: ListArchivesQuery, response: { 200: z.array(Archive) } } }, (req) =>
    s.archives.list(actorOf(req), req.query),
  );
  app.get('/v1/archives/:archive_id', { schema: { tags, params: ArchiveIdParams, response: { 200: Archive } } }, (req) =>
    s.archives.get(actorOf(req), req.params.archive_id),
  );
  app.patch(
    '/v1/archives/:archive_id',
    { schema: { tags, params: ArchiveIdParams, body: UpdateArchive, response: { 200: Archive } } },
    (req) => s.archives.update(actorOf(req), req.params.archive_id, req.body ?? {}),
  );
  app.delete('/v1/archives/:archive_id', { schema: { tags, params: ArchiveIdParams } }, async (req, reply) => {
    await s.archives.delete(actorOf(req), req.params.archive_id);
    return reply.code(204).send();
  });
  app.post(
    '/v1/archives/:archive_id/passages',
    { schema: { tags, params: ArchiveIdParams, body: CreateArchivePassage, response: { 200: Passage } } },
    async (req) => (await s.archives.createPassages(actorOf(req), req.params.archive_id, [req.body]))[0]!,
  );
  app.post(
    '/v1/archives/:archive_id/passages/batch',
    { schema: { tags, params: ArchiveIdParams, body: CreateArchivePassages, response: { 200: z.array(Passage) } } },
    (req) => s.archives.createPassages(actorOf(req), req.params.archive_id, req.body.passages),
  );
  app.delete('/v1/archives/:archive_id/passages/:passage_id', { schema: { tags, params: ArchivePassageParams } }, async (req, reply) => {
    await s.archives.deletePassage(actorOf(req), req.params.archive_id, req.params.passage_id);
    return reply.code(204).send();
  });
  app.patch(
    '/v1/agents/:agent_id/archives/attach/:archive_id',
    { schema: { tags: ['agents', ...tags], params: AgentArchiveParams, response: { 200: z.null() } } },
    (req) => s.archives.attach(actorOf(req), req.params.agent_id, req.params.archive_id),
  );
  app.patch(
    '/v1/agents/:agent_id/archives/detach/:archive_id',
    { schema: { tags: ['agents', ...tags], params: AgentArchiveParams, response: { 200: z.null() } } },
    (req) => s.archives.detach(actorOf(req), req.params.agent_id, req.params.archive_id),
  );
}

import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import { MessageSearchBody, MessageSearchItem } from './message-search.schemas.js';
import {
  AgentIdParams,
  AgentMemoryParams,
  AgentSearchResponse,
  CreateAgentPassage,
  ListAgentPassagesQuery,
  Passage,
  PassageSearchBody,
  PassageSearchResult,
  SearchAgentPassagesQuery,
} from './passages.schemas.js';

const tags = ['agents', 'archival-memory'];

export function registerPassageRoutes(app: App, s: Services): void {
  app.post(
    '/v1/agents/:agent_id/archival-memory',
    { schema: { tags, params: AgentIdParams, body: CreateAgentPassage, response: { 200: z.array(Passage) } } },
    (req) => s.passages.createForAgent(actorOf(req), req.params.agent_id, req.body),
  );
  app.get(
    '/v1/agents/:agent_id/archival-memory',
    { schema: { tags, params: AgentIdParams, querystring: ListAgentPassagesQuery, response: { 200: z.array(Passage) } } },
    (req) => s.passages.listForAgent(actorOf(req), req.params.agent_id, req.query),
  );
  app.get(
    '/v1/agents/:agent_id/archival-memory/search',
    { schema: { tags, params: AgentIdParams, querystring: SearchAgentPassagesQuery, response: { 200: AgentSearchResponse } } },
    (req) => s.passages.searchForAgent(actorOf(req), req.params.agent_id, req.query),
  );
  app.delete(
    '/v1/agents/:agent_id/archival-memory/:memory_id',
    { schema: { tags, params: AgentMemoryParams, response: { 200: z.object({ message: z.string() }) } } },
    (req) => s.passages.deleteForAgent(actorOf(req), req.params.agent_id, req.params.memory_id),
  );
  app.post(
    '/v1/passages/search',
    { schema: { tags: ['passages'], body: PassageSearchBody, response: { 200: z.array(PassageSearchResult) } } },
    (req) => s.passages.search(actorOf(req), req.body ?? {}),
  );
  app.post(
    '/v1/messages/search',
    { schema: { tags: ['messages'], body: MessageSearchBody, response: { 200: z.array(MessageSearchItem) } } },
    (req) => s.passages.searchMessages(actorOf(req), req.body),
  );
}

import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import { TagsQuery } from './tags.service.js';

export function registerTagRoutes(app: App, s: Services): void {
  app.get('/v1/tags/', { schema: { tags: ['tags'], querystring: TagsQuery, response: { 200: z.array(z.string()) } } }, (req) =>
    s.tags.list(actorOf(req), req.query),
  );
}

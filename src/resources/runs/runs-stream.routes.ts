// POST /v1/runs/{run_id}/stream: replay a background run's chunks after `starting_after`, then follow it live.
import { z } from 'zod';
import type { App } from '../../http/app-type.js';
import { actorOf } from '../../http/actor.js';
import { idParam } from '../../ids.js';
import type { Services } from '../../services.js';

const Params = z.object({ run_id: idParam('run') });
const Body = z
  .looseObject({
    starting_after: z.number().int().min(0).optional(),
    include_pings: z.boolean().optional(),
    poll_interval: z.number().positive().optional(),
    batch_size: z.number().int().min(1).max(1000).optional(),
  })
  .nullish();

export function registerRunStreamRoutes(app: App, s: Services): void {
  app.post('/v1/runs/:run_id/stream', { schema: { params: Params, body: Body } }, async (req, reply) =>
    s.streaming.replay(actorOf(req), req.params.run_id, req.body ?? {}, reply),
  );
}

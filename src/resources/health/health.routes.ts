import { z } from 'zod';
import type { App } from '../../http/app-type.js';

/**
 * The Letta server release whose REST API Mnemo speaks. Clients read `version` as Letta's (Letta Code warns below
 * 0.16.6), so it carries this; Mnemo's own release is `mnemo_version` and the `x-mnemo-version` header.
 */
const LETTA_API_VERSION = '0.16.8';

const Health = z.object({ version: z.string(), status: z.literal('ok'), mnemo_version: z.string() });

export function registerHealthRoutes(app: App, version: string): void {
  app.get('/v1/health/', { schema: { tags: ['health'], response: { 200: Health } } }, async (_req, reply) => {
    void reply.header('x-mnemo-version', version);
    return { version: LETTA_API_VERSION, status: 'ok' as const, mnemo_version: version };
  });
}

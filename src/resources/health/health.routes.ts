import { z } from 'zod';
import type { App } from '../../http/app-type.js';

const Health = z.object({ version: z.string(), status: z.literal('ok') });

export function registerHealthRoutes(app: App, version: string): void {
  app.get('/v1/health/', { schema: { tags: ['health'], response: { 200: Health } } }, async () => ({ version, status: 'ok' as const }));
}

// Applies the organization's quotas to the routes that create agents or send messages, whatever the resource.
import { actorOf } from './actor.js';
import type { Actor } from '../actor.js';
import type { App } from './app-type.js';

export type QuotaChecks = { admitNewAgent(actor: Actor): Promise<void>; admitMessage(actor: Actor): Promise<void> };

const MESSAGE_SEND = /^\/v1\/(agents|conversations|groups)\/:[a-z_]+\/messages(\/stream|\/async)?\/?$/;
const AGENT_CREATE = new Set(['/v1/agents', '/v1/agents/', '/v1/agents/import', '/v1/agents/import/']);

/** Must run before the routes are registered (an onRoute hook sees only later routes). */
export function registerQuotaChecks(app: App, quotas: QuotaChecks): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST')) return;
    const check = MESSAGE_SEND.test(route.url) ? quotas.admitMessage : AGENT_CREATE.has(route.url) ? quotas.admitNewAgent : undefined;
    if (!check) return;
    const hook = async (req: Parameters<typeof actorOf>[0]) => check(actorOf(req));
    const existing = route.preHandler;
    route.preHandler = [...(existing ? (Array.isArray(existing) ? existing : [existing]) : []), hook] as never;
  });
}

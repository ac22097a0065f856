// Marks HTTP requests that run a primary agent turn (JSON or streamed messages to an agent, a conversation or a
// group) in the primary gate, from the moment they arrive until their response is finished or the client leaves.
import type { App } from './app-type.js';
import type { PrimaryGate } from '../sleeptime/primary-gate.js';

/** POST …/messages and …/messages/stream of agents, conversations and groups; not /async or /cancel. */
const TURN_PATH = /^\/v1\/(agents|conversations|groups)\/[^/]+\/messages(\/stream)?\/?(\?|$)/;

export const isPrimaryTurnRequest = (method: string, url: string) => method === 'POST' && TURN_PATH.test(url);

export function trackPrimaryRequests(app: App, gate: PrimaryGate): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!isPrimaryTurnRequest(req.method, req.url)) return;
    const leave = gate.enter();
    // 'close' fires on a finished response and on a client that went away, for hijacked (SSE) replies too.
    reply.raw.once('close', leave);
    reply.raw.once('finish', leave);
  });
}

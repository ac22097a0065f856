// The size bound on message input: the text of one message (`input`, or one `messages[i].content`) on a send route
// may not exceed the configured number of characters; a longer one is refused with 413 before any work is done.
import { PayloadTooLargeError } from '../errors.js';
import type { App } from './app-type.js';

/** The routes whose body carries messages for an agent, a conversation or a group. */
const SEND_ROUTES = new Set([
  '/v1/agents/:agent_id/messages',
  '/v1/agents/:agent_id/messages/stream',
  '/v1/agents/:agent_id/messages/async',
  '/v1/conversations/:conversation_id/messages',
  '/v1/groups/:group_id/messages',
  '/v1/groups/:group_id/messages/stream',
  '/v1/groups/:group_id/messages/async',
]);

/** Characters of text in a message's content: a string, or the `text` of its parts. */
function contentChars(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const part of content) {
    const text = part && typeof part === 'object' ? (part as { text?: unknown }).text : undefined;
    if (typeof text === 'string') n += text.length;
  }
  return n;
}

/** A client-side tool's result in an approval message is stored as a tool return: the same bound applies. */
function oversizedReturn(approvals: unknown, maxChars: number): [number, number] | undefined {
  if (!Array.isArray(approvals)) return undefined;
  for (let j = 0; j < approvals.length; j++) {
    const r = approvals[j] && typeof approvals[j] === 'object' ? (approvals[j] as { tool_return?: unknown }).tool_return : undefined;
    const n = typeof r === 'string' ? r.length : 0;
    if (n > maxChars) return [j, n];
  }
  return undefined;
}

/** The first message of a send body whose text is over `maxChars`, as [field, length]; undefined when all fit. */
function oversizedMessage(body: unknown, maxChars: number): [string, number] | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { input?: unknown; messages?: unknown };
  const input = contentChars(b.input);
  if (input > maxChars) return ['input', input];
  if (!Array.isArray(b.messages)) return undefined;
  for (let i = 0; i < b.messages.length; i++) {
    const m = b.messages[i] as { content?: unknown; approvals?: unknown } | null;
    if (!m || typeof m !== 'object') continue;
    const n = contentChars(m.content);
    if (n > maxChars) return [`messages[${i}].content`, n];
    const over = oversizedReturn(m.approvals, maxChars);
    if (over) return [`messages[${i}].approvals[${over[0]}].tool_return`, over[1]];
  }
  return undefined;
}

export function limitMessageSize(app: App, maxChars: number): void {
  app.addHook('preValidation', async (req) => {
    if (req.method !== 'POST' || !SEND_ROUTES.has(req.routeOptions.url ?? '')) return;
    const over = oversizedMessage(req.body, maxChars);
    if (!over) return;
    const [field, chars] = over;
    throw new PayloadTooLargeError(
      `${field}: ${chars.toLocaleString('en-US')} characters is over the limit of ${maxChars.toLocaleString('en-US')} characters (MNEMO_MAX_MESSAGE_CHARS)`,
    );
  });
}

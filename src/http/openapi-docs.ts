// Fills the generated OpenAPI document from one table (openapi-operations.ts): operationId, summary, description and
// tags of every operation, examples of the main request bodies, and the bearer scheme behind "Authorize" in /docs.
import { OPERATIONS } from './openapi-operations.js';

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: unknown;
};
type Doc = { paths?: object; components?: object; security?: Record<string, string[]>[] };

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const;
/** Operations that answer without an API key. */
const OPEN = new Set(['health']);

/** Request bodies worth showing: what a newcomer would send first. */
const EXAMPLES: Record<string, unknown> = {
  'agents.create': {
    name: 'support-bot',
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    memory_blocks: [
      { label: 'persona', value: 'I am a patient support agent.' },
      { label: 'human', value: 'Name: unknown yet' },
    ],
    tools: ['archival_memory_insert', 'archival_memory_search'],
  },
  'agents.messages.create': { messages: [{ role: 'user', content: 'Hi, my name is Sam. Please remember it.' }] },
  'agents.messages.stream': { messages: [{ role: 'user', content: 'What do you remember about me?' }], stream_tokens: true },
  'blocks.create': { label: 'project', value: 'Launch is planned for March.', limit: 5000 },
  'agents.passages.create': { text: 'Sam prefers answers in French.' },
  'providers.create': { name: 'team-openai', provider_type: 'openai', api_key: 'sk-...' },
  'admin.orgs.create': { name: 'Acme' },
};

function withExample(body: unknown, example: unknown): unknown {
  if (!body || typeof body !== 'object' || !('content' in body)) return body;
  const content = body.content;
  if (!content || typeof content !== 'object' || !('application/json' in content)) return body;
  return { ...body, content: { ...content, 'application/json': { ...(content['application/json'] as object), example } } };
}

function documented(key: string, op: Operation): Operation {
  const entry = OPERATIONS[key];
  if (!entry) return op;
  const [operationId, summary, description] = entry;
  const tags = op.tags?.length ? op.tags : [operationId.split('.')[0] ?? 'other'];
  const out: Operation = { ...op, operationId, summary, description, tags };
  if (OPEN.has(operationId)) out.security = [];
  const example = EXAMPLES[operationId];
  if (example !== undefined && op.requestBody) out.requestBody = withExample(op.requestBody, example);
  return out;
}

/** The document with every listed operation described and bearer authentication declared. */
export function documentOperations<T extends Doc>(doc: T): T {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const [path, item] of Object.entries(doc.paths ?? {}) as [string, Record<string, Operation>][]) {
    const next: Record<string, Operation> = { ...item };
    for (const m of METHODS) {
      const op = item[m];
      if (op) next[m] = documented(`${m.toUpperCase()} ${path}`, op);
    }
    paths[path] = next;
  }
  const bearer = { type: 'http', scheme: 'bearer', description: 'The API key: MNEMO_API_KEY, or an organization key.' };
  const components = { ...(doc.components ?? {}), securitySchemes: { bearer } };
  return { ...doc, paths, components, security: [{ bearer: [] }] };
}

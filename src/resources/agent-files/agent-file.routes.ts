// HTTP edge of agent files: export (GET/POST, pretty JSON) and multipart import.
import type { FastifyRequest } from 'fastify';
import { BadRequestError } from '../../errors.js';
import { actorOf } from '../../http/actor.js';
import type { App } from '../../http/app-type.js';
import type { Services } from '../../services.js';
import { AgentIdParams } from '../agents/agents.schemas.js';
import type { ImportForm } from './agent-file.parse.js';
import { ExportBody, ExportQuery, ImportResponse } from './agent-file.schemas.js';
import type { ImportRequest } from './agent-file.service.js';

const tags = ['agents'];

export function registerAgentFileRoutes(app: App, s: Services): void {
  app.get('/v1/agents/:agent_id/export', { schema: { tags, params: AgentIdParams, querystring: ExportQuery } }, async (req, reply) => {
    const q = req.query;
    const file = await s.agentFiles.export(actorOf(req), req.params.agent_id, {
      useLegacyFormat: q.use_legacy_format,
      conversationId: q.conversation_id,
      scrubMessages: q.scrub_messages,
      includeSecrets: q.include_secrets,
    });
    return reply.type('application/json').send(JSON.stringify(file, null, 2));
  });
  app.post(
    '/v1/agents/:agent_id/export',
    { schema: { tags, params: AgentIdParams, querystring: ExportQuery, body: ExportBody } },
    async (req, reply) => {
      const q = req.query;
      const b = req.body ?? {};
      const file = await s.agentFiles.export(actorOf(req), req.params.agent_id, {
        useLegacyFormat: q.use_legacy_format,
        conversationId: b.conversation_id ?? q.conversation_id,
        scrubMessages: b.scrub_messages ?? q.scrub_messages,
        includeSecrets: b.include_secrets ?? q.include_secrets,
        skills: b.skills ?? undefined,
      });
      return reply.type('application/json').send(JSON.stringify(file, null, 2));
    },
  );
  app.post('/v1/agents/import', { schema: { tags, response: { 200: ImportResponse } } }, async (req) =>
    s.agentFiles.import(actorOf(req), await readImportRequest(req)),
  );
}

/** Multipart (`file` + form fields, as the SDK sends) or a raw JSON body holding the file (options in the query). */
async function readImportRequest(req: FastifyRequest): Promise<ImportRequest> {
  const headers = { embedding: header(req, 'x-override-embedding-model'), projectId: header(req, 'x-project-id') };
  if (!req.isMultipart()) {
    if (req.body === undefined) throw new BadRequestError('file is required (multipart/form-data field "file")');
    // The parsed body as it is: stringifying a hostile, deeply nested one would overflow the stack.
    const file = typeof req.body === 'string' ? { text: req.body } : { data: req.body };
    return { file, form: stringFields(req.query), headers };
  }
  const form: ImportForm = {};
  let fileText: string | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const buf = await part.toBuffer();
      if (part.fieldname === 'file') fileText = buf.toString('utf8');
    } else if (typeof part.value === 'string') {
      form[part.fieldname] = part.value;
    }
  }
  if (fileText === undefined) throw new BadRequestError('file is required (multipart/form-data field "file")');
  return { file: { text: fileText }, form, headers };
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function stringFields(q: unknown): ImportForm {
  const out: ImportForm = {};
  for (const [k, v] of Object.entries((q ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

// /v1/git/<agent-id>/state.git: git's smart HTTP (clone, fetch, pull, push) for an agent's memory repository.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { actorOf } from '../http/actor.js';
import { idParam } from '../ids.js';
import type { Services } from '../services.js';
import type { CgiResponse } from './git-process.js';
import type { App } from '../http/app-type.js';

const Params = z.object({ agent_id: idParam('agent') });
const ServiceQuery = z.object({
  service: z.enum(['git-upload-pack', 'git-receive-pack'], {
    message: "only git's smart HTTP is served: service must be git-upload-pack or git-receive-pack",
  }),
});
const Headers = z.object({
  'git-protocol': z
    .string()
    .regex(/^[A-Za-z0-9=:.,_-]{1,100}$/)
    .optional(),
  'content-encoding': z.enum(['gzip', 'x-gzip']).optional(),
});
const hide = true;

export function registerGitRoutes(app: App, s: Services, maxPushBytes: number): void {
  void app.register(async (scope: App) => {
    const types = ['application/x-git-upload-pack-request', 'application/x-git-receive-pack-request'];
    scope.addContentTypeParser(types, { parseAs: 'buffer', bodyLimit: maxPushBytes }, (_req, body, done) => done(null, body));
    const git = () => {
      if (!s.gitHttp) throw new NotFoundError('Git-backed memory is turned off on this server (MNEMO_GIT_MEMORY=0)');
      return s.gitHttp;
    };
    scope.get(
      '/v1/git/:agent_id/state.git/info/refs',
      { schema: { hide, params: Params, querystring: ServiceQuery, headers: Headers } },
      async (req, reply) =>
        send(
          reply,
          await git().serve(actorOf(req), req.params.agent_id, {
            method: 'GET',
            path: 'info/refs',
            service: req.query.service,
            gitProtocol: req.headers['git-protocol'],
          }),
        ),
    );
    const PostParams = Params.extend({ service: ServiceQuery.shape.service });
    scope.post('/v1/git/:agent_id/state.git/:service', { schema: { hide, params: PostParams, headers: Headers } }, async (req, reply) =>
      send(
        reply,
        await git().serve(actorOf(req), req.params.agent_id, {
          method: 'POST',
          path: req.params.service,
          contentType: req.headers['content-type'],
          contentEncoding: req.headers['content-encoding'],
          gitProtocol: req.headers['git-protocol'],
          body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        }),
      ),
    );
  });
}

function send(reply: FastifyReply, r: CgiResponse) {
  return reply.code(r.status).headers(r.headers).send(r.body);
}

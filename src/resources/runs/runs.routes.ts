import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import { pageQuery, queryArray, queryBool, queryString } from '../../http/query.js';
import type { App } from '../../http/app-type.js';
import { idParam } from '../../ids.js';
import type { Services } from '../../services.js';
import { LettaMessageWire, ListMessagesQuery } from '../messages/messages.schemas.js';

const RunParams = z.object({ run_id: idParam('run') });
const StepParams = z.object({ step_id: idParam('step') });
const ListRunsQuery = z.object({
  ...pageQuery(1000),
  agent_id: queryString(),
  agent_ids: queryArray(),
  statuses: queryArray(),
  background: queryBool(),
  stop_reason: queryString(),
  conversation_id: queryString(),
  active: queryBool(),
  ascending: queryBool(),
});
const ListStepsQuery = z.object({
  ...pageQuery(1000),
  agent_id: queryString(),
  run_id: queryString(),
  model: queryString(),
  feedback: z.enum(['positive', 'negative']).optional(),
  has_feedback: queryBool(),
});
const Loose = z.looseObject({ id: z.string() });

export function registerRunRoutes(app: App, s: Services): void {
  const tags = ['runs'];
  app.get('/v1/runs/', { schema: { tags, querystring: ListRunsQuery, response: { 200: z.array(Loose) } } }, (req) => {
    const q = req.query;
    const agentIds = [...(q.agent_ids ?? []), ...(q.agent_id ? [q.agent_id] : [])];
    const statuses = q.active ? ['created', 'running'] : q.statuses;
    const order = q.order ?? (q.ascending === true ? 'asc' : 'desc');
    return s.runs.list(
      actorOf(req),
      { agentIds, statuses, background: q.background, stopReason: q.stop_reason, conversationId: q.conversation_id },
      { ...q, order },
    );
  });
  app.get('/v1/runs/:run_id', { schema: { tags, params: RunParams, response: { 200: Loose } } }, (req) =>
    s.runs.get(actorOf(req), req.params.run_id),
  );
  app.get('/v1/runs/:run_id/usage', { schema: { tags, params: RunParams } }, (req) => s.runs.usage(actorOf(req), req.params.run_id));
  app.get(
    '/v1/runs/:run_id/messages',
    { schema: { tags, params: RunParams, querystring: ListMessagesQuery, response: { 200: z.array(LettaMessageWire) } } },
    (req) => s.runs.messages(actorOf(req), req.params.run_id, req.query),
  );
  app.get(
    '/v1/runs/:run_id/steps',
    { schema: { tags, params: RunParams, querystring: ListStepsQuery, response: { 200: z.array(Loose) } } },
    (req) => s.runs.steps(actorOf(req), req.params.run_id, req.query),
  );

  const stepTags = ['steps'];
  app.get('/v1/steps/', { schema: { tags: stepTags, querystring: ListStepsQuery, response: { 200: z.array(Loose) } } }, (req) => {
    const q = req.query;
    return s.runs.listSteps(
      actorOf(req),
      { agentId: q.agent_id, runId: q.run_id, model: q.model, feedback: q.feedback, hasFeedback: q.has_feedback },
      q,
    );
  });
  app.get('/v1/steps/:step_id', { schema: { tags: stepTags, params: StepParams, response: { 200: Loose } } }, (req) =>
    s.runs.getStep(actorOf(req), req.params.step_id),
  );
  app.get('/v1/steps/:step_id/metrics', { schema: { tags: stepTags, params: StepParams, response: { 200: Loose } } }, (req) =>
    s.runs.stepMetrics(actorOf(req), req.params.step_id),
  );
  app.get(
    '/v1/steps/:step_id/messages',
    { schema: { tags: stepTags, params: StepParams, querystring: ListMessagesQuery, response: { 200: z.array(LettaMessageWire) } } },
    (req) => s.runs.stepMessages(actorOf(req), req.params.step_id, req.query),
  );
  const Feedback = z.object({ feedback: z.enum(['positive', 'negative']).nullish(), tags: z.array(z.string()).nullish() }).nullish();
  app.patch(
    '/v1/steps/:step_id/feedback',
    { schema: { tags: stepTags, params: StepParams, body: Feedback, response: { 200: Loose } } },
    (req) => s.runs.feedback(actorOf(req), req.params.step_id, req.body ?? {}),
  );
}

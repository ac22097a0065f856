// Run and step use cases (read side; runs are created by the messages service and finished by the loop).
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { notFound } from '../../errors.js';
import type { MessagesService } from '../messages/messages.service.js';
import type { ListMessagesQuery } from '../messages/messages.schemas.js';
import { findStep, listSteps, setFeedback, toStep, toStepMetrics, type StepFilter } from '../steps/steps.repo.js';
import { toRun, toRunUsage } from './runs.mapper.js';
import { findRun, listRuns, type RunFilter } from './runs.repo.js';

type PageQ = { before?: string; after?: string; limit?: number; order?: 'asc' | 'desc' };

export function createRunsService(deps: { db: Db; messages: MessagesService }) {
  const { db } = deps;
  async function mustRun(actor: Actor, id: string) {
    const r = await findRun(db, actor.orgId, id);
    if (!r) throw notFound('Run', id);
    return r;
  }
  async function mustStep(actor: Actor, id: string) {
    const s = await findStep(db, actor.orgId, id);
    if (!s) throw notFound('Step', id);
    return s;
  }
  const page = (q: PageQ, limit = 100) => ({
    before: q.before,
    after: q.after,
    limit: q.limit ?? limit,
    order: q.order ?? ('desc' as const),
  });
  return {
    async list(actor: Actor, f: RunFilter, q: PageQ) {
      return (await listRuns(db, actor.orgId, f, page(q))).map(toRun);
    },
    async get(actor: Actor, id: string) {
      return toRun(await mustRun(actor, id));
    },
    async usage(actor: Actor, id: string) {
      const run = await mustRun(actor, id);
      const [last] = await listSteps(db, actor.orgId, { runId: id }, { limit: 1, order: 'desc' });
      return toRunUsage(run, last?.totalTokens || null);
    },
    async messages(actor: Actor, id: string, q: ListMessagesQuery) {
      await mustRun(actor, id);
      return deps.messages.listRows(actor, { runId: id }, { ...q, order: q.order ?? 'asc' }, 'letta_v1_agent');
    },
    async steps(actor: Actor, runId: string, q: PageQ) {
      await mustRun(actor, runId);
      return (await listSteps(db, actor.orgId, { runId }, { ...page(q), order: q.order ?? 'asc' })).map(toStep);
    },
    async listSteps(actor: Actor, f: StepFilter, q: PageQ) {
      return (await listSteps(db, actor.orgId, f, page(q))).map(toStep);
    },
    async getStep(actor: Actor, id: string) {
      return toStep(await mustStep(actor, id));
    },
    async stepMetrics(actor: Actor, id: string) {
      return toStepMetrics(await mustStep(actor, id));
    },
    async stepMessages(actor: Actor, id: string, q: ListMessagesQuery) {
      await mustStep(actor, id);
      return deps.messages.listRows(actor, { stepId: id }, { ...q, order: q.order ?? 'asc' }, 'letta_v1_agent');
    },
    async feedback(actor: Actor, id: string, body: { feedback?: 'positive' | 'negative' | null; tags?: string[] | null }) {
      await mustStep(actor, id);
      const row = await setFeedback(db, actor.orgId, id, body.feedback, body.tags ?? undefined);
      return toStep(row!);
    },
  };
}

export type RunsService = ReturnType<typeof createRunsService>;

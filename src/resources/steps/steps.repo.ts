// SQL for steps (one model call each).
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { steps } from '../../db/schema/index.js';
import type { StepRow } from '../../db/rows.js';

export type StepFilter = { runId?: string; agentId?: string; model?: string; feedback?: string; hasFeedback?: boolean };
export type StepPage = { before?: string; after?: string; limit: number; order: 'asc' | 'desc' };

export async function findStep(db: Db, orgId: string, id: string): Promise<StepRow | undefined> {
  const [r] = await db
    .select()
    .from(steps)
    .where(and(eq(steps.organizationId, orgId), eq(steps.id, id)));
  return r;
}

export async function listSteps(db: Db, orgId: string, f: StepFilter, page: StepPage): Promise<StepRow[]> {
  const conds: (SQL | undefined)[] = [eq(steps.organizationId, orgId)];
  if (f.runId) conds.push(eq(steps.runId, f.runId));
  if (f.agentId) conds.push(eq(steps.agentId, f.agentId));
  if (f.model) conds.push(eq(steps.model, f.model));
  if (f.feedback) conds.push(eq(steps.feedback, f.feedback));
  if (f.hasFeedback !== undefined) conds.push(f.hasFeedback ? sql`${steps.feedback} is not null` : sql`${steps.feedback} is null`);
  const cursor = (id: string) => sql`(select created_at, id from steps where id = ${id})`;
  const fwd = page.order === 'asc' ? sql`>` : sql`<`;
  const back = page.order === 'asc' ? sql`<` : sql`>`;
  if (page.after) conds.push(sql`(${steps.createdAt}, ${steps.id}) ${fwd} ${cursor(page.after)}`);
  if (page.before) conds.push(sql`(${steps.createdAt}, ${steps.id}) ${back} ${cursor(page.before)}`);
  const reverse = Boolean(page.before && !page.after);
  const ascending = (page.order === 'asc') !== reverse;
  const order = ascending ? [asc(steps.createdAt), asc(steps.id)] : [desc(steps.createdAt), desc(steps.id)];
  const rows = await db
    .select()
    .from(steps)
    .where(and(...conds))
    .orderBy(...order)
    .limit(page.limit);
  return reverse ? rows.reverse() : rows;
}

export async function setFeedback(
  db: Db,
  orgId: string,
  id: string,
  feedback: string | null | undefined,
  tags: string[] | undefined,
): Promise<StepRow | undefined> {
  const patch: Partial<typeof steps.$inferInsert> = {};
  if (feedback !== undefined) patch.feedback = feedback;
  if (tags !== undefined) patch.tags = tags;
  const [r] = await db
    .update(steps)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(steps.organizationId, orgId), eq(steps.id, id)))
    .returning();
  return r;
}

export function toStep(r: StepRow) {
  return {
    id: r.id,
    run_id: r.runId,
    agent_id: r.agentId,
    status: r.status,
    origin: r.origin,
    provider_name: r.providerName,
    provider_category: r.providerCategory,
    provider_id: null,
    model: r.model,
    model_handle: r.modelHandle,
    model_endpoint: r.modelEndpoint,
    context_window_limit: r.contextWindowLimit,
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    total_tokens: r.totalTokens,
    cached_input_tokens: r.cachedInputTokens,
    cache_write_tokens: r.cacheWriteTokens,
    reasoning_tokens: r.reasoningTokens,
    stop_reason: r.stopReason,
    tags: r.tags,
    feedback: r.feedback,
    error_type: r.errorType,
    error_data: r.errorData,
    trace_id: null,
    tid: null,
    request_id: null,
    project_id: null,
    created_at: r.createdAt.toISOString(),
    completed_at: r.completedAt?.toISOString() ?? null,
  };
}

const ns = (ms: number | null) => (ms == null ? null : ms * 1_000_000);

/** Letta's StepMetrics: how long the step, its model call and its tools took (nanoseconds, from stored milliseconds). */
export function toStepMetrics(r: StepRow) {
  return {
    id: r.id,
    agent_id: r.agentId,
    run_id: r.runId,
    job_id: r.runId,
    provider_id: null,
    step_start_ns: null,
    llm_request_start_ns: null,
    llm_request_ns: ns(r.llmDurationMs),
    tool_execution_ns: ns(r.toolDurationMs),
    step_ns: ns(r.durationMs),
    base_template_id: null,
    template_id: null,
    project_id: null,
  };
}

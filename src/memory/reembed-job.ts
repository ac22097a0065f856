// Re-embedding an archive after its embedding model changed: a durable job (queue `reembed`) that works in batches.
//
// Progress lives in the data, not in the job: a passage is done when its `embedding_config` equals the archive's.
// Each batch commits on its own, so a job interrupted by a crash or a restart is reclaimed by the queue and simply
// continues with the passages still carrying the old config. If the archive's config changes again mid-way, the
// next batch picks up the new one (passages done with the intermediate config count as pending again).
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import { ensureVectorIndex } from '../db/vector-index.js';
import { embedTexts, type MemoryDeps } from './embedding.js';
import { findArchive } from './archive-rows.js';
import type { NewJob } from '../jobs/jobs.repo.js';
import type { JobHandler } from '../jobs/queue.js';
import { startProgress } from '../log-progress.js';

export const REEMBED_QUEUE = 'reembed';
const REEMBED_BATCH = 64;

export type ReembedPayload = { archiveId: string; orgId: string };

/** Config equality that ignores key order. */
export function sameEmbeddingConfig(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown) =>
    JSON.stringify(v ?? null, (_k, x) =>
      x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x,
    );
  return canonical(a) === canonical(b);
}

/** The job to enqueue when an archive's embedding config changed (one runs at a time per archive). */
export function reembedJob(p: ReembedPayload): NewJob {
  return { queue: REEMBED_QUEUE, payload: p, serialKey: `reembed:${p.archiveId}`, orgId: p.orgId, maxAttempts: 10 };
}

/** Re-embeds one batch of the archive's stale passages; returns how many (0 = done or archive gone). */
export async function reembedBatch(deps: MemoryDeps, p: ReembedPayload, batch = REEMBED_BATCH): Promise<number> {
  const archive = await findArchive(deps.db, p.orgId, p.archiveId);
  if (!archive) return 0;
  const cfg = archive.embeddingConfig ?? null;
  const cfgJson = cfg ? JSON.stringify(cfg) : null;
  const stale = await queryRows<{ id: string; text: string }>(
    deps.db,
    sql`select id, text from passages
    where archive_id = ${p.archiveId} and embedding_config is distinct from ${cfgJson}::jsonb order by id limit ${batch}`,
  );
  if (stale.length === 0) return 0;
  const vectors = await embedTexts(
    deps.embedderFor,
    cfg,
    stale.map((s) => s.text),
  );
  if (vectors?.[0]) await ensureVectorIndex(deps.db, 'passages', vectors[0].length);
  // Without a model the passages lose their vectors (full-text only) but still record the config they match.
  const values = stale.map((s, i) => {
    const v = vectors?.[i];
    return sql`(${s.id}::text, ${v ? `[${v.join(',')}]` : null}::vector, ${v ? v.length : null}::int)`;
  });
  await deps.db.execute(sql`update passages p set embedding = v.e, embedding_dim = v.d, embedding_config = ${cfgJson}::jsonb,
      updated_at = now() from (values ${sql.join(values, sql`, `)}) as v(id, e, d) where p.id = v.id`);
  return stale.length;
}

/** Passages of the archive not yet embedded with its current config (the work left, for progress lines). */
async function countStale(deps: MemoryDeps, p: ReembedPayload): Promise<number> {
  const archive = await findArchive(deps.db, p.orgId, p.archiveId);
  if (!archive) return 0;
  const cfgJson = archive.embeddingConfig ? JSON.stringify(archive.embeddingConfig) : null;
  const rows = await queryRows<{ n: string | number }>(
    deps.db,
    sql`select count(*) as n from passages where archive_id = ${p.archiveId} and embedding_config is distinct from ${cfgJson}::jsonb`,
  );
  return Number(rows[0]?.n ?? 0);
}

export function createReembedHandler(deps: MemoryDeps, batch = REEMBED_BATCH, progressEveryMs?: number): JobHandler {
  return async (payload, ctx) => {
    const p = payload as ReembedPayload;
    const total = await countStale(deps, p);
    const progress = startProgress(ctx.log, 're-embedding archive', { archiveId: p.archiveId }, { total, everyMs: progressEveryMs });
    let done = 0;
    for (let n = -1; n !== 0; done += n) {
      if (ctx.signal.aborted) throw new Error('re-embedding interrupted; it resumes where it stopped');
      n = await reembedBatch(deps, p, batch);
      if (n > 0) progress.step(done + n);
    }
    progress.finish({ passages: done });
  };
}

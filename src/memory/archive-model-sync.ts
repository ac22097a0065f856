// An agent's default archive follows the agent's embedding model. When the agent's model changed (PATCH agent), the
// next archival use notices, switches the archive's config and enqueues its re-embedding, in one transaction.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { archives } from '../db/schema/index.js';
import { reembedJob, sameEmbeddingConfig } from './reembed-job.js';
import { insertJob } from '../jobs/jobs.repo.js';
import { archivesOfAgent } from './archive-rows.js';

type AgentLike = { id: string; embeddingConfig: Record<string, unknown> | null };

/** True when the default archive's model was switched (and a re-embedding job enqueued). */
export async function syncDefaultArchiveModel(db: Db, orgId: string, agent: AgentLike): Promise<boolean> {
  const own = (await archivesOfAgent(db, orgId, agent.id)).find((a) => a.isOwner);
  if (!own || sameEmbeddingConfig(own.embeddingConfig, agent.embeddingConfig)) return false;
  return db.transaction(async (t) => {
    const tx: Db = t;
    // Compare-and-set on the old config: of two concurrent callers only one switches and enqueues.
    const before = own.embeddingConfig
      ? sql`${archives.embeddingConfig} = ${JSON.stringify(own.embeddingConfig)}::jsonb`
      : sql`${archives.embeddingConfig} is null`;
    const changed = await tx
      .update(archives)
      .set({ embeddingConfig: agent.embeddingConfig, updatedAt: new Date() })
      .where(and(eq(archives.id, own.id), before))
      .returning({ id: archives.id });
    if (changed.length === 0) return false;
    await insertJob(tx, reembedJob({ archiveId: own.id, orgId }));
    return true;
  });
}

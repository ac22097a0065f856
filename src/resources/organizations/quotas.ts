// Per-organization quotas (set through PATCH /v1/admin/orgs/{id}): agents held, model tokens per UTC day.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { TooManyRequestsError } from '../../errors.js';
import { countAgents, findOrg, tallyTokens } from './organizations.repo.js';

type Limits = { maxAgents: number | null; maxTokensPerDay: number | null };

function secondsToUtcMidnight(now = new Date()): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/**
 * An organization's limits are read at most once a second per process (a quota change applies within a second), so
 * an organization without quotas costs a message send no query at all. Counting happens only when a quota is set:
 * the agents by `agents_org_created_idx`; today's tokens as a running sum over steps (`steps_org_created_idx`): each
 * check reads only the steps of the last minute and those since its previous check, not the whole day's, whose sum
 * grows with the day's traffic. A step written more than a minute after its created_at would be missed (none is: a
 * step is one statement).
 */
export function createQuotas(deps: { db: Db; cacheMs?: number }) {
  const { db } = deps;
  const cacheMs = deps.cacheMs ?? 1000;
  const cache = new Map<string, { limits: Limits; until: number }>();
  const tallies = new Map<string, { day: string; settledUntil: string; settledSum: number }>();

  async function tokensToday(orgId: string): Promise<number> {
    const prev = tallies.get(orgId);
    const t = await tallyTokens(db, orgId, prev?.settledUntil ?? null);
    const base = prev && prev.day === t.day ? prev.settledSum : 0;
    if (tallies.size > 10_000) tallies.clear();
    tallies.set(orgId, { day: t.day, settledUntil: t.cut, settledSum: base + t.settled });
    return base + t.total;
  }

  async function limitsOf(orgId: string): Promise<Limits> {
    const now = Date.now();
    const hit = cache.get(orgId);
    if (hit && hit.until > now) return hit.limits;
    const row = await findOrg(db, orgId);
    const limits = { maxAgents: row?.maxAgents ?? null, maxTokensPerDay: row?.maxTokensPerDay ?? null };
    if (cache.size > 10_000) cache.clear();
    cache.set(orgId, { limits, until: now + cacheMs });
    return limits;
  }

  return {
    /** Before an agent is created or imported: 429 once the organization holds max_agents. */
    async admitNewAgent(actor: Actor): Promise<void> {
      const { maxAgents } = await limitsOf(actor.orgId);
      if (maxAgents == null) return;
      const n = await countAgents(db, actor.orgId);
      if (n >= maxAgents)
        throw new TooManyRequestsError(`Quota max_agents exceeded: the organization holds ${n} agents, its limit is ${maxAgents}`);
    },
    /** Before a message is sent: 429 once the organization's steps used max_tokens_per_day today (UTC). */
    async admitMessage(actor: Actor): Promise<void> {
      const { maxTokensPerDay } = await limitsOf(actor.orgId);
      if (maxTokensPerDay == null) return;
      const used = await tokensToday(actor.orgId);
      if (used >= maxTokensPerDay) {
        throw new TooManyRequestsError(
          `Quota max_tokens_per_day exceeded: the organization used ${used} model tokens today (UTC), its limit is ${maxTokensPerDay}`,
          { retryAfterSeconds: secondsToUtcMidnight(), retryable: false },
        );
      }
    },
    /** Drops the cached limits of an organization (after the admin API changed them in this process). */
    forget(orgId: string): void {
      cache.delete(orgId);
    },
  };
}
export type Quotas = ReturnType<typeof createQuotas>;

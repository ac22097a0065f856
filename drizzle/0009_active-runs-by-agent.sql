-- The active-runs index, keyed by agent: a turn's lock claim reads only the earlier active runs of its own agent
-- (a conversation's claim looks its agent up), instead of every active run in the database with a heap fetch each
-- to filter by thread. Start-up recovery and cancel still find active runs through the same partial index.
DROP INDEX "runs_active_idx";--> statement-breakpoint
CREATE INDEX "runs_active_idx" ON "runs" USING btree ("agent_id","seq") WHERE "runs"."status" in ('created', 'running');

-- Active runs (waiting or running) in their own small index: the lock claim finds earlier waiting runs of its thread
-- here, in time that does not grow with the runs already finished.
CREATE INDEX "runs_active_idx" ON "runs" USING btree ("seq") WHERE "runs"."status" in ('created', 'running');
-- A step's agent key was redundant: every step belongs to a run of the same agent, and runs.agent_id and
-- steps.run_id already cascade an agent's deletion to its steps. The check cost every step write a lookup of the
-- agent row.
ALTER TABLE "steps" DROP CONSTRAINT "steps_agent_id_agents_id_fk";

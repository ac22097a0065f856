-- The agent's message count moves from message_counts (kept by statement triggers, 0004) onto the agent row. The
-- insert trigger cost every statement that stores messages a PL/pgSQL call, a transition table and an upsert of the
-- counter row (~0.1 ms each, two such statements per turn); the loop's statements already update the agent row and
-- now add their rows to the count there, and every other insert goes through insertMessages, which does the same in
-- its transaction. Deletes are rare and keep a statement trigger.
ALTER TABLE "agents" ADD COLUMN "message_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-added from here (drizzle cannot express the backfill, functions or triggers).
UPDATE "agents" a SET "message_count" = c."n" FROM (SELECT "agent_id", count(*) AS "n" FROM "messages" GROUP BY "agent_id") c
  WHERE a."id" = c."agent_id";--> statement-breakpoint
DROP TRIGGER "messages_count_added" ON "messages";--> statement-breakpoint
DROP TRIGGER "messages_count_removed" ON "messages";--> statement-breakpoint
DROP FUNCTION "mnemo_count_messages_added"();--> statement-breakpoint
DROP FUNCTION "mnemo_count_messages_removed"();--> statement-breakpoint
CREATE FUNCTION "mnemo_uncount_messages"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "agents" a SET "message_count" = a."message_count" - r."k"
    FROM (SELECT "agent_id", count(*) AS "k" FROM "removed" GROUP BY "agent_id") r WHERE a."id" = r."agent_id";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "messages_uncount" AFTER DELETE ON "messages" REFERENCING OLD TABLE AS "removed"
  FOR EACH STATEMENT EXECUTE FUNCTION "mnemo_uncount_messages"();--> statement-breakpoint
DROP TABLE "message_counts" CASCADE;

CREATE TABLE "message_counts" (
	"agent_id" text PRIMARY KEY NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "archive_passage_counts" (
	"archive_id" text PRIMARY KEY NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "message_counts" ADD CONSTRAINT "message_counts_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "archive_passage_counts" ADD CONSTRAINT "archive_passage_counts_archive_id_archives_id_fk" FOREIGN KEY ("archive_id") REFERENCES "public"."archives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-added (drizzle cannot express functions or triggers): the counters follow every insert and delete, cascades
-- included, one upsert per statement whatever its row count. Rows never move between agents or archives.
CREATE FUNCTION "mnemo_count_messages_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "message_counts" ("agent_id", "n")
    SELECT "agent_id", count(*) FROM "added" GROUP BY "agent_id" ORDER BY "agent_id"
    ON CONFLICT ("agent_id") DO UPDATE SET "n" = "message_counts"."n" + excluded."n";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "mnemo_count_messages_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "message_counts" c SET "n" = c."n" - r."k"
    FROM (SELECT "agent_id", count(*) AS "k" FROM "removed" GROUP BY "agent_id") r WHERE c."agent_id" = r."agent_id";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "messages_count_added" AFTER INSERT ON "messages" REFERENCING NEW TABLE AS "added"
  FOR EACH STATEMENT EXECUTE FUNCTION "mnemo_count_messages_added"();--> statement-breakpoint
CREATE TRIGGER "messages_count_removed" AFTER DELETE ON "messages" REFERENCING OLD TABLE AS "removed"
  FOR EACH STATEMENT EXECUTE FUNCTION "mnemo_count_messages_removed"();--> statement-breakpoint
CREATE FUNCTION "mnemo_count_passages_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "archive_passage_counts" ("archive_id", "n")
    SELECT "archive_id", count(*) FROM "added" GROUP BY "archive_id" ORDER BY "archive_id"
    ON CONFLICT ("archive_id") DO UPDATE SET "n" = "archive_passage_counts"."n" + excluded."n";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "mnemo_count_passages_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "archive_passage_counts" c SET "n" = c."n" - r."k"
    FROM (SELECT "archive_id", count(*) AS "k" FROM "removed" GROUP BY "archive_id") r WHERE c."archive_id" = r."archive_id";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "passages_count_added" AFTER INSERT ON "passages" REFERENCING NEW TABLE AS "added"
  FOR EACH STATEMENT EXECUTE FUNCTION "mnemo_count_passages_added"();--> statement-breakpoint
CREATE TRIGGER "passages_count_removed" AFTER DELETE ON "passages" REFERENCING OLD TABLE AS "removed"
  FOR EACH STATEMENT EXECUTE FUNCTION "mnemo_count_passages_removed"();--> statement-breakpoint
-- Existing rows, counted once.
INSERT INTO "message_counts" ("agent_id", "n") SELECT "agent_id", count(*) FROM "messages" GROUP BY "agent_id";--> statement-breakpoint
INSERT INTO "archive_passage_counts" ("archive_id", "n") SELECT "archive_id", count(*) FROM "passages" GROUP BY "archive_id";

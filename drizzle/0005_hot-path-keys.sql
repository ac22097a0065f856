-- Rows written on every turn (messages, runs, steps) and archival passages keep their organization column but lose
-- its foreign key: each belongs to an agent or archive that already references the organization, and the key check
-- share-locked the one organization row from every insert of every concurrent turn. runs_status_idx goes too; the
-- lock claim's check for waiting runs relied on it, and 0006 gives that check a partial index of active runs.
ALTER TABLE "messages" DROP CONSTRAINT "messages_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "passages" DROP CONSTRAINT "passages_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "runs" DROP CONSTRAINT "runs_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "steps" DROP CONSTRAINT "steps_organization_id_organizations_id_fk";
--> statement-breakpoint
DROP INDEX "runs_status_idx";
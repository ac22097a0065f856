-- Rows written on every turn (messages, runs, steps) and archival passages keep their organization column but lose
-- its foreign key: each belongs to an agent or archive that already references the organization, and the key check
-- share-locked the one organization row from every insert of every concurrent turn. runs_status_idx goes too: no
-- query needs it (runs are found by id, agent or organization), and without it finishing a run is a HOT update.
ALTER TABLE "messages" DROP CONSTRAINT "messages_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "passages" DROP CONSTRAINT "passages_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "runs" DROP CONSTRAINT "runs_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "steps" DROP CONSTRAINT "steps_organization_id_organizations_id_fk";
--> statement-breakpoint
DROP INDEX "runs_status_idx";
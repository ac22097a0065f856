CREATE INDEX "passages_org_archive_dim_idx" ON "passages" USING btree ("organization_id","archive_id","embedding_dim");--> statement-breakpoint
-- Hand-added (drizzle cannot express column storage): keep vectors in the row (compressed or moved out only when a
-- row would not fit a page), so exact scans of an archive do not pay three TOAST reads per passage. Applies to rows
-- written from now on; existing rows move when rewritten.
ALTER TABLE "passages" ALTER COLUMN "embedding" SET STORAGE MAIN;

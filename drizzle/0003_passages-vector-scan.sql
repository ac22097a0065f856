CREATE INDEX "passages_org_archive_dim_idx" ON "passages" USING btree ("organization_id","archive_id","embedding_dim");--> statement-breakpoint
-- Hand-added (drizzle cannot express table storage options): compress or move values out of the row only when the
-- row would not fit a page. With the default (2 kB) every 768-dim vector went to the TOAST table, so an exact scan of
-- an archive paid three extra page reads per passage. Applies to rows written from now on.
ALTER TABLE "passages" SET (toast_tuple_target = 8160);

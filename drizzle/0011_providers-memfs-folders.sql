CREATE TABLE "providers" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"name" text NOT NULL,
	"provider_type" text NOT NULL,
	"base_url" text,
	"api_key_enc" text NOT NULL,
	"access_key_enc" text,
	"region" text,
	"api_version" text,
	"last_synced" timestamp (6) with time zone,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memfs_objects" (
	"agent_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"sha" text NOT NULL,
	"type" text NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memfs_objects_agent_id_sha_pk" PRIMARY KEY("agent_id","sha")
);
--> statement-breakpoint
CREATE TABLE "memfs_refs" (
	"agent_id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"head" text NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_file_views" (
	"agent_id" text NOT NULL,
	"file_id" text NOT NULL,
	"folder_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"is_open" boolean DEFAULT true NOT NULL,
	"start_line" integer,
	"line_count" integer,
	"last_accessed_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_file_views_agent_id_file_id_pk" PRIMARY KEY("agent_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "agent_folders" (
	"agent_id" text NOT NULL,
	"folder_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_folders_agent_id_folder_id_pk" PRIMARY KEY("agent_id","folder_id")
);
--> statement-breakpoint
CREATE TABLE "file_chunks" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"folder_id" text NOT NULL,
	"file_id" text NOT NULL,
	"file_name" text NOT NULL,
	"chunk_index" integer NOT NULL,
	"text" text NOT NULL,
	"embedding" vector,
	"embedding_dim" integer,
	"embedding_config" jsonb,
	"tsv" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', "text")) STORED,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "folder_file_blobs" (
	"file_id" text NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "folder_file_blobs_file_id_seq_pk" PRIMARY KEY("file_id","seq")
);
--> statement-breakpoint
CREATE TABLE "folder_files" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"folder_id" text NOT NULL,
	"file_name" text NOT NULL,
	"original_file_name" text NOT NULL,
	"file_type" text,
	"file_size" integer DEFAULT 0 NOT NULL,
	"processing_status" text DEFAULT 'pending' NOT NULL,
	"error_message" text,
	"total_chunks" integer,
	"chunks_embedded" integer,
	"content" text,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "folders" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"instructions" text,
	"metadata" jsonb,
	"embedding_config" jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memfs_objects" ADD CONSTRAINT "memfs_objects_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memfs_refs" ADD CONSTRAINT "memfs_refs_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_file_views" ADD CONSTRAINT "agent_file_views_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_file_views" ADD CONSTRAINT "agent_file_views_file_id_folder_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."folder_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_folders" ADD CONSTRAINT "agent_folders_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_folders" ADD CONSTRAINT "agent_folders_folder_id_folders_id_fk" FOREIGN KEY ("folder_id") REFERENCES "public"."folders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_chunks" ADD CONSTRAINT "file_chunks_file_id_folder_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."folder_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "folder_file_blobs" ADD CONSTRAINT "folder_file_blobs_file_id_folder_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."folder_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "folder_files" ADD CONSTRAINT "folder_files_folder_id_folders_id_fk" FOREIGN KEY ("folder_id") REFERENCES "public"."folders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "folders" ADD CONSTRAINT "folders_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "providers_org_name_uq" ON "providers" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "providers_org_created_idx" ON "providers" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "memfs_objects_org_idx" ON "memfs_objects" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "agent_file_views_file_idx" ON "agent_file_views" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "agent_folders_folder_idx" ON "agent_folders" USING btree ("folder_id");--> statement-breakpoint
CREATE INDEX "file_chunks_org_folder_dim_idx" ON "file_chunks" USING btree ("organization_id","folder_id","embedding_dim");--> statement-breakpoint
CREATE INDEX "file_chunks_file_idx" ON "file_chunks" USING btree ("file_id","chunk_index");--> statement-breakpoint
CREATE INDEX "file_chunks_tsv_idx" ON "file_chunks" USING gin ("tsv");--> statement-breakpoint
CREATE UNIQUE INDEX "folder_files_folder_name_idx" ON "folder_files" USING btree ("folder_id","file_name");--> statement-breakpoint
CREATE INDEX "folder_files_org_folder_created_idx" ON "folder_files" USING btree ("organization_id","folder_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "folders_org_name_idx" ON "folders" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "folders_org_created_idx" ON "folders" USING btree ("organization_id","created_at","id");
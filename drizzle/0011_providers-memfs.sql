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
ALTER TABLE "providers" ADD CONSTRAINT "providers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memfs_objects" ADD CONSTRAINT "memfs_objects_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memfs_refs" ADD CONSTRAINT "memfs_refs_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "providers_org_name_uq" ON "providers" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "providers_org_created_idx" ON "providers" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "memfs_objects_org_idx" ON "memfs_objects" USING btree ("organization_id");
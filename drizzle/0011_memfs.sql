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
ALTER TABLE "memfs_objects" ADD CONSTRAINT "memfs_objects_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memfs_refs" ADD CONSTRAINT "memfs_refs_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "memfs_objects_org_idx" ON "memfs_objects" USING btree ("organization_id");
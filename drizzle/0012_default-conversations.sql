CREATE TABLE "default_conversations" (
	"agent_id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"summary" text,
	"description" text,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "default_conversations" ADD CONSTRAINT "default_conversations_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;